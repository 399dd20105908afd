"""Country names, abbreviations, demonyms and capitals mapped to ISO 3166-1 alpha-3.

One table serves both the labelling rules (what is an ACTOR) and normalization (which iso3).
``pycountry`` gives the base names; the aliases below add what news text actually writes.
"""
from __future__ import annotations

import functools
import re

import pycountry

#: Blocs that set trade policy (EVENTS.md: ``EUU`` for the EU/EC).
BLOCS: dict[str, str] = {
    "EC": "EUU", "E.C.": "EUU", "EEC": "EUU", "EU": "EUU", "E.U.": "EUU",
    "European Community": "EUU", "European Union": "EUU", "European Economic Community": "EUU",
    "Common Market": "EUU", "European Commission": "EUU", "EC Commission": "EUU", "Brussels": "EUU",
    "Community": "EUU",
}

#: Names that news writes and pycountry does not (or writes differently).
NAME_ALIASES: dict[str, str] = {
    "U.S.": "USA", "US": "USA", "U.S.A.": "USA", "USA": "USA", "America": "USA", "United States": "USA",
    "United States of America": "USA", "U.K.": "GBR", "UK": "GBR", "Britain": "GBR", "Great Britain": "GBR",
    "United Kingdom": "GBR", "England": "GBR", "China": "CHN", "PRC": "CHN", "People's Republic of China": "CHN",
    "Mainland China": "CHN", "Taiwan": "TWN", "South Korea": "KOR", "Korea": "KOR", "North Korea": "PRK",
    "Russia": "RUS", "Soviet Union": "SUN", "USSR": "SUN", "Iran": "IRN", "Syria": "SYR", "Vietnam": "VNM",
    "Laos": "LAO", "Bolivia": "BOL", "Venezuela": "VEN", "Tanzania": "TZA", "Moldova": "MDA",
    "West Germany": "DEU", "East Germany": "DDR", "Germany": "DEU", "Holland": "NLD", "Netherlands": "NLD",
    "Hong Kong": "HKG", "Macau": "MAC", "Czechoslovakia": "CSK", "Yugoslavia": "YUG", "Turkey": "TUR",
    "Ivory Coast": "CIV", "Burma": "MMR", "Zaire": "ZAR", "Czech Republic": "CZE", "Czechia": "CZE",
    "Brunei": "BRN", "Micronesia": "FSM", "Palestine": "PSE", "Vatican": "VAT", "Cape Verde": "CPV",
    "Swaziland": "SWZ", "Macedonia": "MKD", "UAE": "ARE", "U.A.E.": "ARE", "Israel": "ISR",
}

#: Demonyms and country adjectives.
DEMONYMS: dict[str, str] = {
    "American": "USA", "Americans": "USA", "Chinese": "CHN", "Japanese": "JPN", "British": "GBR",
    "Canadian": "CAN", "Canadians": "CAN", "Mexican": "MEX", "German": "DEU", "West German": "DEU",
    "East German": "DDR", "French": "FRA", "Italian": "ITA", "Spanish": "ESP", "Portuguese": "PRT",
    "Dutch": "NLD", "Belgian": "BEL", "Danish": "DNK", "Swedish": "SWE", "Norwegian": "NOR",
    "Finnish": "FIN", "Swiss": "CHE", "Austrian": "AUT", "Irish": "IRL", "Greek": "GRC", "Turkish": "TUR",
    "Russian": "RUS", "Soviet": "SUN", "Polish": "POL", "Hungarian": "HUN", "Czech": "CZE",
    "Romanian": "ROU", "Yugoslav": "YUG", "Ukrainian": "UKR", "Indian": "IND", "Pakistani": "PAK",
    "Bangladeshi": "BGD", "Sri Lankan": "LKA", "Indonesian": "IDN", "Malaysian": "MYS", "Thai": "THA",
    "Vietnamese": "VNM", "Philippine": "PHL", "Filipino": "PHL", "Singaporean": "SGP",
    "Taiwanese": "TWN", "Korean": "KOR", "South Korean": "KOR", "North Korean": "PRK", "Australian": "AUS",
    "New Zealand": "NZL", "Brazilian": "BRA", "Argentine": "ARG", "Argentinian": "ARG", "Chilean": "CHL",
    "Peruvian": "PER", "Colombian": "COL", "Venezuelan": "VEN", "Ecuadorean": "ECU", "Ecuadorian": "ECU",
    "Bolivian": "BOL", "Uruguayan": "URY", "Paraguayan": "PRY", "Cuban": "CUB", "Egyptian": "EGY",
    "Israeli": "ISR", "Iranian": "IRN", "Iraqi": "IRQ", "Saudi": "SAU", "Saudi Arabian": "SAU",
    "Syrian": "SYR", "Jordanian": "JOR", "Lebanese": "LBN", "Kuwaiti": "KWT", "Emirati": "ARE",
    "Nigerian": "NGA", "South African": "ZAF", "Kenyan": "KEN", "Ethiopian": "ETH", "Moroccan": "MAR",
    "Algerian": "DZA", "Tunisian": "TUN", "Libyan": "LBY", "Ghanaian": "GHA", "Zimbabwean": "ZWE",
    "Zambian": "ZMB", "Ivorian": "CIV", "Cambodian": "KHM", "Burmese": "MMR", "Nepalese": "NPL",
    "Afghan": "AFG", "Mongolian": "MNG", "Icelandic": "ISL", "Luxembourg": "LUX", "Bulgarian": "BGR",
    "Slovak": "SVK", "Croatian": "HRV", "Serbian": "SRB", "Hong Kong": "HKG",
    "Congressional": "USA",
}

#: Capitals and seats of government that stand for the state (venues such as London or Geneva
#: are deliberately absent: in trade news they are mostly where talks happen).
CAPITALS: dict[str, str] = {
    "Washington": "USA", "Beijing": "CHN", "Peking": "CHN", "Tokyo": "JPN", "Moscow": "RUS",
    "Seoul": "KOR", "Taipei": "TWN", "Ottawa": "CAN", "Mexico City": "MEX", "Canberra": "AUS",
    "Wellington": "NZL", "Bonn": "DEU", "Berlin": "DEU", "Paris": "FRA", "Rome": "ITA", "Madrid": "ESP",
    "The Hague": "NLD", "New Delhi": "IND", "Brasilia": "BRA", "Buenos Aires": "ARG", "Jakarta": "IDN",
    "Kuala Lumpur": "MYS", "Bangkok": "THA", "Manila": "PHL", "Pyongyang": "PRK", "Hanoi": "VNM",
    "Tehran": "IRN", "Riyadh": "SAU", "Ankara": "TUR", "Pretoria": "ZAF", "Kiev": "UKR", "Kyiv": "UKR",
    "Brussels": "EUU",
}

#: Surnames of heads of state and trade officials often named alone (1980s and 2020s).
KNOWN_OFFICIALS: dict[str, str] = {
    "Trump": "USA", "Biden": "USA", "Obama": "USA", "Reagan": "USA", "Bush": "USA", "Clinton": "USA",
    "Yeutter": "USA", "Baldrige": "USA", "Lyng": "USA", "Bessent": "USA", "Lutnick": "USA", "Greer": "USA",
    "Xi": "CHN", "Nakasone": "JPN", "Tamura": "JPN", "Thatcher": "GBR", "Kohl": "DEU", "Mitterrand": "FRA",
    "Chirac": "FRA", "Mulroney": "CAN", "Gorbachev": "SUN", "Hawke": "AUS", "De Clercq": "EUU",
    "Lighthizer": "USA", "Mnuchin": "USA", "Volcker": "USA", "Lifeng": "CHN", "Wentao": "CHN",
    "Takeshita": "JPN", "Miyazawa": "JPN", "Ishiba": "JPN", "Akazawa": "JPN", "Sefcovic": "EUU",
}

#: Words that end the name of an organisation, so a country word inside it is no party.
ORG_SUFFIXES = (
    "Corp", "Corporation", "Inc", "Co", "Company", "Ltd", "Limited", "Group", "Bank", "Institute",
    "Association", "Council", "Federation", "Industries", "Motors", "Airlines", "Exchange", "Chamber",
    "Foundation", "Holdings", "Steel", "Zinc", "Express", "Times", "Journal", "Post", "Press",
)


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every name, alias, demonym and bloc this package knows, mapped to iso3."""
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(c, attr, None)
            if name and "," not in name and "(" not in name:
                table[name] = c.alpha_3
    table.update(NAME_ALIASES)
    table.update(DEMONYMS)
    table.update(BLOCS)
    table.pop("Community", None)  # too ambiguous to match as a name on its own
    return table


def iso3_for(surface: str) -> str | None:
    """Best-effort iso3 of a country word, capital, bloc or known official's name (``None`` if unknown)."""
    s = re.sub(r"^(?:the|The)\s+", "", surface.strip())
    s = re.sub(r"['’]s$", "", s)
    names = country_names()
    for table in (names, CAPITALS, KNOWN_OFFICIALS):
        if s in table:
            return table[s]
    for word_run in _prefixes(s):
        for table in (names, CAPITALS):
            if word_run in table:
                return table[word_run]
    for token in reversed(s.replace("-", " ").split()):
        if token in KNOWN_OFFICIALS:
            return KNOWN_OFFICIALS[token]
    return None


def _prefixes(s: str) -> list[str]:
    """Leading word runs, longest first: ``U.S. Trade Representative`` → ``U.S. Trade``, ``U.S.``."""
    toks = s.split()
    return [" ".join(toks[:i]) for i in range(len(toks) - 1, 0, -1)]
