"""Span text to EVENTS.md values: actors to ISO3, rates to numbers, dates to ISO 8601, measures to types.

Every function is total: odd text gives a record with ``None`` values rather than an exception.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

import pycountry
from dateparser.date import DateDataParser

from trade_events.events.records import EventDate, Party, Rate
from trade_events.gazetteer import CAPITALS, KNOWN_OFFICIALS, country_names, iso3_for

# ---------------------------------------------------------------------------------------------- actors
#: Bodies that can only be one state's.
_BODIES: dict[str, str] = {
    "White House": "USA", "USTR": "USA", "Pentagon": "USA", "USDA": "USA", "DOJ": "USA",
    "International Trade Commission": "USA", "Customs and Border Protection": "USA", "Federal Register": "USA",
    "Ways and Means Committee": "USA", "House Ways and Means Committee": "USA",
    "MITI": "JPN", "Ministry of International Trade and Industry": "JPN", "Diet": "JPN",
    "MOFCOM": "CHN", "State Council": "CHN", "Politburo": "CHN", "Bundestag": "DEU", "Kremlin": "RUS",
    "Downing Street": "GBR",
}
#: US-style bodies and titles: ``USA`` only when the context names the United States.
_US_STYLE = re.compile(
    r"\b(?:(?:Commerce|State|Agriculture|Treasury|Labor|Justice|Defense|Energy|Homeland\s+Security)\s+Department"
    r"|Department\s+of\s+(?:Commerce|State|Agriculture|the\s+Treasury|Labor|Justice|Defense|Energy)|Treasury"
    r"|Congress|Senate|House(?:\s+of\s+Representatives)?|Trade\s+Representative|[Aa]dministration"
    r"|(?:Commerce|Treasury|Agriculture)\s+Secretary|Secretary\s+of\s+(?:State|Commerce|Agriculture|the\s+Treasury))\b")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


@functools.lru_cache(maxsize=1)
def _mention_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {**KNOWN_OFFICIALS, **CAPITALS, **country_names()}
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?!\w)"), table


def _mentions(text: str) -> list[str]:
    """ISO3 codes of the countries, capitals, blocs and known officials a text names, in order."""
    pattern, table = _mention_re()
    return [table[m.group()] for m in pattern.finditer(text)]


def _pycountry_iso3(surface: str) -> str | None:
    """pycountry's own lookup (``Russian Federation``, ``Viet Nam``, ``JPN``); no two-letter codes."""
    if len(surface) < 3 or (len(surface) == 3 and not surface.isupper()):
        return None
    try:
        return pycountry.countries.lookup(surface).alpha_3
    except LookupError:
        return None


def _body_iso3(surface: str, text: str, context: str) -> str | None:
    """A government body's state: its own, the country written just before it, or USA for US-style bodies."""
    if surface in _BODIES:
        return _BODIES[surface]
    at = context.find(text) if text else -1
    if at > 0:  # Japan's trade ministry
        window = context[max(0, at - 40):at]
        pattern, table = _mention_re()
        for m in reversed(list(pattern.finditer(window))):
            if re.fullmatch(r"(?:['’]s?)?\s+(?:the\s+)?", window[m.end():]):
                return table[m.group()]
    inside = set(_mentions(surface))
    if len(inside) == 1:
        return inside.pop()
    if _US_STYLE.search(surface) and "USA" in _mentions(context):
        return "USA"
    return None


def normalize_actor(text: str, context: str = "") -> Party:
    """The ISO3 code of a country, bloc, capital, government body or official (``None`` when unclear)."""
    surface = _POSSESSIVE.sub("", _DETERMINER.sub("", text.strip())).strip()
    iso3 = iso3_for(surface) or _pycountry_iso3(surface) or _body_iso3(surface, text.strip(), context)
    if iso3 is None and not surface.isascii():  # México, Me\u0301xico (NFD): the gazetteer is unaccented
        folded = "".join(c for c in unicodedata.normalize("NFKD", surface) if not unicodedata.combining(c))
        if folded != surface:
            iso3 = normalize_actor(folded, context).iso3
    return Party(text, iso3)


# ----------------------------------------------------------------------------------------------- rates
_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_WORD_VALUE = {**{w: i for i, w in enumerate(_SMALL)}, **_TENS}
_WORD = rf"(?:{'|'.join(sorted(_WORD_VALUE, key=len, reverse=True))}|hundred|thousand)"
_NUM = rf"(?:\d+\s*/\s*\d+|\d[\d,.]*(?:[\s-]+\d+\s*/\s*\d+)?|{_WORD}(?:[\s-]+(?:and\s+)?{_WORD})*)"
_SCALE = r"(?:thousand|mln|million|mn|bln|billion|bn|trillion|tn|m|b)"
_SCALES = {"thousand": 1e3, "mln": 1e6, "million": 1e6, "mn": 1e6, "m": 1e6, "bln": 1e9, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_PCT_RE = re.compile(rf"(?<![\w.])(?P<n>{_NUM})\s*(?:%|percent(?:age)?(?:\s+points?)?|per\s*cent|pct|p\.c\.)",
                     re.I)
_MONEY_RE = re.compile(
    rf"(?P<c1>US\s?\$|U\.S\.\s?\$|\$|€|£|¥)\s*(?P<n1>{_NUM})(?:\s*(?P<s1>{_SCALE})\b)?"
    rf"|(?<![\w.])(?P<n2>{_NUM})\s*(?:(?P<s2>{_SCALE})\s+)?(?:U\.S\.\s+|US\s+)?"
    rf"(?P<c2>dlrs|dollars?|yen|ecus?|euros?|stg|sterling|pounds?)\b", re.I)
_QTY_RE = re.compile(
    rf"(?<![\w.])(?P<n>{_NUM})\s*(?:(?P<s>{_SCALE})\s+)?(?P<u>tonnes|tons|metric\s+tons|bushels|barrels|units|cars"
    rf"|vehicles|head)\b", re.I)
_CURRENCY = {"$": "usd", "us$": "usd", "u.s.$": "usd", "dlrs": "usd", "dollar": "usd", "dollars": "usd",
             "€": "eur", "euro": "eur", "euros": "eur", "£": "gbp", "stg": "gbp", "sterling": "gbp",
             "pound": "gbp", "pounds": "gbp", "¥": "jpy", "yen": "jpy", "ecu": "ecu", "ecus": "ecu"}
_QTY_UNIT = {"tons": "tonnes", "metric tons": "tonnes", "cars": "units", "vehicles": "units"}


def _number(text: str) -> float | None:
    """``8,000`` → 8000.0, ``12-1/2`` → 12.5, ``2,5`` → 2.5, ``twenty-five`` → 25.0; else ``None``."""
    s = re.sub(r"\s+", " ", text.strip().lower())
    if m := re.fullmatch(r"(\d+)\s*/\s*(\d+)", s):
        return int(m[1]) / int(m[2]) if int(m[2]) else None
    if m := re.fullmatch(r"(\d[\d,.]*?)(?:[ -](\d+)\s*/\s*(\d+))?", s):
        whole, frac = m[1], (int(m[2]) / int(m[3]) if m[2] and int(m[3]) else 0.0)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", whole):
            whole = whole.replace(",", "")
        elif re.fullmatch(r"\d+,\d+", whole):
            whole = whole.replace(",", ".")
        try:
            return float(whole) + frac
        except ValueError:
            return None
    total = current = 0
    for word in re.split(r"[\s-]+", s):
        if word in _WORD_VALUE:
            current += _WORD_VALUE[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word != "and":
            return None
    return float(total + current)


def _scaled(number: str, scale: str | None) -> float | None:
    value = _number(number)
    return None if value is None else value * _SCALES.get((scale or "").lower(), 1.0)


def normalize_rate(text: str) -> Rate:
    """A rate or amount as a float and unit: ``percent``, ``usd`` (other currencies by code), ``tonnes``, ...

    A bare number (the left end of ``between 10 and 40 pct``) keeps unit ``None``.
    """
    if m := _PCT_RE.search(text):
        value = _number(m["n"])
        return Rate(text, value, "percent" if value is not None else None)
    if m := _MONEY_RE.search(text):
        number, scale, currency = (m["n1"], m["s1"], m["c1"]) if m["n1"] else (m["n2"], m["s2"], m["c2"])
        value = _scaled(number, scale)
        unit = _CURRENCY.get(re.sub(r"\s", "", currency.lower()))
        return Rate(text, value, unit if value is not None else None)
    if m := _QTY_RE.search(text):
        value = _scaled(m["n"], m["s"])
        unit = re.sub(r"\s+", " ", m["u"].lower())
        return Rate(text, value, _QTY_UNIT.get(unit, unit) if value is not None else None)
    return Rate(text, _number(text), None)


# ----------------------------------------------------------------------------------------------- dates
_MONTHS = {name: i for i, names in enumerate(
    ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
     "september sept sep", "october oct", "november nov", "december dec"], 1) for name in names.split()}
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}
_MONTH = rf"(?P<mon>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_REL = (r"(?P<rel>last|past|previous|this|next|coming|the|earlier\s+this|later\s+this"
        r"|earlier\s+in\s+the|later\s+in\s+the)")
_LEAD = re.compile(r"^(?:(?:in|on|at|by|since|from|until|till|during|for|of|before|after)\s+)+")
_PART = re.compile(r"^(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of|early|mid|late|end)(?:\s+|-)(?=\w)")
_DEFAULT_BASE = dt.datetime(2000, 1, 1)


@functools.lru_cache(maxsize=8)
def _parser(reference: dt.date | None) -> DateDataParser:
    base = dt.datetime.combine(reference, dt.time()) if reference else _DEFAULT_BASE
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period", "RETURN_AS_TIMEZONE_AWARE": False})


def _past_parser(reference: dt.date) -> DateDataParser:
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(reference, dt.time()), "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False})


def _has_year(s: str) -> bool:
    return re.search(r"\b(?:1[89]\d\d|20\d\d)\b|\d+/\d+/\d+", s) is not None


def _week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _month(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _offset(rel: str | None) -> int:
    """``last`` → -1, ``next`` → +1, ``this`` (and none) → 0."""
    rel = rel or ""
    return -1 if re.search(r"last|past|previous", rel) else 1 if re.search(r"next|coming", rel) else 0


def _nearest_year(month: int, day: int | None, ref: dt.date) -> int:
    """The year that puts ``month`` (and ``day``) nearest the reference; the reference's own year on a tie."""
    def distance(year: int) -> int:
        if day is None:
            return abs((year - ref.year) * 12 + month - ref.month)
        try:
            return abs((dt.date(year, month, day) - ref).days)
        except ValueError:
            return 10 ** 6
    return min((ref.year, ref.year - 1, ref.year + 1), key=distance)


_Resolved = tuple[str | None, str | None]


def _relative_unit(s: str, ref: dt.date | None) -> _Resolved | None:
    """``last week``, ``this month``, ``earlier this year``, ``next quarter``, ``last weekend``."""
    m = re.fullmatch(rf"{_REL}\s+(?P<unit>week|weekend|month|year|quarter)", s)
    if not m:
        return None
    if ref is None:
        return None, None
    by, unit = _offset(m["rel"]), m["unit"]
    if unit in ("week", "month", "year"):  # dateparser resolves the offset against the article's date
        phrase = {-1: "last", 0: "this", 1: "next"}.get(by)
        parsed = _parser(ref).get_date_data(f"{phrase} {unit}") if phrase else None
        if parsed is not None and parsed.date_obj is not None:
            d = parsed.date_obj.date()
            return {"week": (_week(d), "week"), "month": (_month(d.year, d.month), "month"),
                    "year": (str(d.year), "year")}[unit]
    if unit == "week":
        return _week(ref + dt.timedelta(weeks=by)), "week"
    if unit == "weekend":
        saturday = ref + dt.timedelta(days=5 - ref.weekday() + 7 * by)
        return f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}", "range"
    if unit == "month":
        return _month(*_shift_month(ref.year, ref.month, by)), "month"
    if unit == "year":
        return str(ref.year + by), "year"
    year, month = _shift_month(ref.year, ref.month, 3 * by)
    return f"{year}-Q{(month - 1) // 3 + 1}", "quarter"


def _ago(s: str, ref: dt.date | None) -> _Resolved | None:
    """``a year ago``, ``two weeks ago``, ``three days ago``; vague counts (``a few``) give no value."""
    m = re.fullmatch(r"(?P<n>\w+(?:\s+few)?)\s+(?P<unit>day|week|month|year)s?\s+ago", s)
    if not m:
        return None
    n = 1.0 if m["n"] in ("a", "one") else _number(m["n"])
    if ref is None or n is None:
        return None, None
    n, unit = int(n), m["unit"]
    if unit == "day":
        return (ref - dt.timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return _week(ref - dt.timedelta(weeks=n)), "week"
    if unit == "month":
        return _month(*_shift_month(ref.year, ref.month, -n)), "month"
    return str(ref.year - n), "year"


def _simple_day(s: str, ref: dt.date | None) -> _Resolved | None:
    """``today``, ``tonight``, ``yesterday``, ``tomorrow``: resolved by ``dateparser`` against the reference."""
    if s not in ("today", "tonight", "yesterday", "tomorrow"):
        return None
    if ref is None:
        return None, None
    parsed = _parser(ref).get_date_data("today" if s == "tonight" else s)
    return (parsed.date_obj.date().isoformat(), "day") if parsed.date_obj else (None, None)


def _weekday(s: str, ref: dt.date | None) -> _Resolved | None:
    """Weekdays: bare = the reference day if it is that weekday, else the most recent past one.

    ``last`` is strictly before the reference, ``next``/``coming`` strictly after, ``this`` in its ISO week;
    ``Tuesday, June 10`` resolves its date.
    """
    m = re.fullmatch(r"(?:(?P<rel>last|past|this|next|coming)\s+)?(?P<wd>[a-z]+day),?(?:\s+(?P<rest>.+))?", s)
    if not m or m["wd"] not in _WEEKDAYS:
        return None
    if m["rest"]:
        return _month_day(m["rest"], ref)
    if ref is None:
        return None, None
    wd, rel = _WEEKDAYS[m["wd"]], m["rel"]
    if rel in (None, "last", "past") and wd != ref.weekday():
        # the most recent past such weekday: dateparser, preferring past dates, relative to the article
        parsed = _past_parser(ref).get_date_data(m["wd"])
        if parsed.date_obj is not None:
            return parsed.date_obj.date().isoformat(), "day"
    if rel in ("next", "coming"):
        delta = (wd - ref.weekday()) % 7 or 7
    elif rel == "this":
        delta = wd - ref.weekday()
    else:
        delta = -((ref.weekday() - wd) % 7 or (7 if rel else 0))
    return (ref + dt.timedelta(days=delta)).isoformat(), "day"


def _season(s: str, ref: dt.date | None) -> _Resolved | None:
    """``last summer``, ``this spring``, ``summer of 1987``: a three-month range (winter runs Dec-Feb)."""
    m = re.fullmatch(rf"(?:{_REL}\s+)?(?P<season>{'|'.join(_SEASONS)})(?:\s+(?:of\s+)?{_YEAR})?", s)
    if not m:
        return None
    first = _SEASONS[m["season"]]
    if m["year"]:
        start = int(m["year"])
    elif ref is None:
        return None, None
    else:
        now = ref.year * 12 + ref.month - 1
        starts = [y * 12 + first - 1 for y in range(ref.year - 2, ref.year + 2)]
        by = _offset(m["rel"])
        if by < 0:
            index = max(i for i in starts if i + 2 < now)
        elif by > 0:
            index = min(i for i in starts if i > now)
        else:
            index = next((i for i in starts if i <= now <= i + 2), ref.year * 12 + first - 1)
        start = index // 12
    end_year, end_month = _shift_month(start, first, 2)
    return f"{_month(start, first)}/{_month(end_year, end_month)}", "range"


def _quarter(s: str, ref: dt.date | None) -> _Resolved | None:
    """``first quarter``, ``Q3 1987``, ``second half of next year``: quarter, or a month range for halves."""
    m = re.fullmatch(r"(?:the\s+)?(?:(?P<ord>\w+)\s+(?P<part>quarter|half)|q(?P<q>[1-4]))"
                     rf"(?:\s+(?:of\s+)?(?:{_YEAR}|(?P<rel>this|next|last)\s+year))?", s)
    if not m or not (m["q"] or m["ord"] in _ORDINALS):
        return None
    if m["year"]:
        year = int(m["year"])
    elif ref is None:
        return None, None
    else:
        year = ref.year + _offset(m["rel"])
    n = int(m["q"]) if m["q"] else _ORDINALS[m["ord"]]
    if m["part"] == "half":
        n = 2 if n > 1 else 1
        return f"{_month(year, 6 * n - 5)}/{_month(year, 6 * n)}", "range"
    return f"{year}-Q{n}", "quarter"


def _years(s: str, ref: dt.date | None) -> _Resolved | None:
    """``1987``, ``fiscal 1987``, ``the 1980s``, ``1986-87``, ``crop year 1986/87``."""
    s = re.sub(r"^(?:fiscal|calendar|crop|marketing|financial)\s+(?:year\s+)?", "", s)
    if m := re.fullmatch(r"(?:the\s+)?(1[89]\d0|20\d0)['’]?s", s):
        return f"{m[1]}/{int(m[1]) + 9}", "range"
    if m := re.fullmatch(rf"{_YEAR}(?:\s*(?:to|through|-|–|/)\s*(?P<end>1[89]\d\d|20\d\d|\d\d))?", s):
        start, end = int(m["year"]), m["end"]
        if not end:
            return str(start), "year"
        stop = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
        return (f"{start}/{stop}", "range") if stop > start else None
    return None


def _month_day(s: str, ref: dt.date | None) -> _Resolved | None:
    """``April``, ``last April``, ``May 12``, ``12 May 1987``; with no year, the one nearest the reference."""
    m = (re.fullmatch(rf"(?:{_REL}\s+)?{_MONTH}(?:\s+{_DAY})?,?(?:\s+(?:of\s+)?{_YEAR})?", s)
         or re.fullmatch(rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?", s))
    if not m:
        return None
    month = _MONTHS[m["mon"]]
    day = int(m["day"]) if m["day"] else None
    if m["year"]:
        year = int(m["year"])
    elif ref is None:
        return None, None
    elif (by := _offset(m.groupdict().get("rel"))) != 0:  # last April: strictly before the reference month
        year = next(y for y in (ref.year, ref.year + by) if ((y - ref.year) * 12 + month - ref.month) * by > 0)
    elif m.groupdict().get("rel") not in (None, "the"):  # this April, earlier this April
        year = ref.year
    else:
        year = _nearest_year(month, day, ref)
    return (dt.date(year, month, day).isoformat(), "day") if day else (_month(year, month), "month")


def _day_range(s: str, ref: dt.date | None) -> _Resolved | None:
    """``June 3 and 4``, ``June 3-4``, ``June 3 to 10, 1987``."""
    m = re.fullmatch(rf"{_MONTH}\s+(?P<d1>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s*(?:and|-|–|to|through)\s*"
                     rf"{_DAY},?(?:\s+{_YEAR})?", s)
    if not m:
        return None
    year = f" {m['year']}" if m["year"] else ""
    first, last = _month_day(f"{m['mon']} {m['d1']}{year}", ref), _month_day(f"{m['mon']} {m['day']}{year}", ref)
    if not first or not last or not first[0] or not last[0]:
        return None, None
    return f"{first[0]}/{last[0]}", "range"


_RULES = (_simple_day, _relative_unit, _ago, _weekday, _season, _quarter, _years, _day_range, _month_day)


def _resolve(s: str, ref: dt.date | None) -> _Resolved | None:
    """The first rule that knows the form, else a range of two known forms, else ``None``."""
    s = _PART.sub("", _LEAD.sub("", s))
    for rule in _RULES:
        if (found := rule(s, ref)) is not None:
            return found
    parts = re.split(r"\s+(?:to|through|until|till)\s+|\s*[-–]\s*", s, maxsplit=1)
    if len(parts) == 2:
        return _range(*parts, ref)
    return None


def _range(left: str, right: str, ref: dt.date | None) -> _Resolved | None:
    """``January to May``: the right end resolves first; a year-less left end takes its year, or the one before."""
    end = _resolve(right, ref)
    if end is None or end[0] is None:
        return end
    if not _has_year(left) and re.match(r"\d{4}", end[0]):
        year = int(end[0][:4])
        start = _resolve(f"{left} {year}", ref)
        if start and start[0] and start[0][:10] > end[0][:10]:
            start = _resolve(f"{left} {year - 1}", ref)
    else:
        start = _resolve(left, ref)
    if start is None or start[0] is None:
        return start
    return f"{start[0].split('/')[0]}/{end[0].split('/')[-1]}", "range"


def _dateparser(s: str, ref: dt.date | None) -> _Resolved | None:
    """Other forms (``3/15/87``, ``15th of May``) through ``dateparser``; relative ones need a reference."""
    if ref is None and not _has_year(s):
        return None
    parsed = _parser(ref).get_date_data(s)
    if parsed.date_obj is None:
        return None
    d = parsed.date_obj.date()
    return {"week": (_week(d), "week"), "month": (_month(d.year, d.month), "month"),
            "year": (str(d.year), "year")}.get(parsed.period or "day", (d.isoformat(), "day"))


def normalize_date(text: str, reference: dt.date | None) -> EventDate:
    """An ISO 8601 value and its precision, resolved against the article's date (``None`` when it cannot be)."""
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    s = re.sub(r"\s+", " ", text.strip().lower()).rstrip(",;:")
    try:
        found = _resolve(s, reference) or _dateparser(s, reference)
    except (ValueError, OverflowError):
        found = None
    value, precision = found or (None, None)
    return EventDate(text, value, precision if value else None)


# -------------------------------------------------------------------------------------------- measures
_EXPORT_WORDS = r"(?:tax|taxes|dut(?:y|ies)|lev(?:y|ies)|tariffs?|controls?|curbs?|restrictions?|bans?|embargo(?:es)?" \
                r"|limits?|prohibitions?|quotas?|restraints?)"
_PHRASE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((t, re.compile(p)) for t, p in (
    ("anti_dumping_duty", r"\b(?:anti-?\s?)?dumping\b"),
    ("countervailing_duty", r"\bcountervailing\b|\banti-?\s?subsid"),
    ("safeguard", r"\bsafeguards?\b|\bsection\s+201\b|\bescape[\s-]clause\b"),
    ("import_quota", r"\bvoluntary\s+(?:export\s+)?restraints?\b|\bvers?\b|\borderly\s+marketing\b"
                     r"|\brestraint\s+agreements?\b|\bimport\s+licen[cs]\w*"),
    ("export_control", rf"\bexport\s+{_EXPORT_WORDS}\b|\bentity\s+list\b"
                       r"|\b(?:ban\w*|halt\w*|restrict\w*|curb\w*|control\w*|limit\w*|prohibit\w*)\b.*\bexport"),
    ("export_licence", r"\blicen[cs]\w*"),
    ("import_quota", r"\bquotas?\b"),
    ("sanction", r"\bsanction"),
    ("visa_restriction", r"\bvisas?\b"),
))
_BAN = re.compile(r"\bembargo|\bban(?:s|ned|ning)?\b|\bprohibit")
_TARIFF = re.compile(r"\btariffs?\b|\bdut(?:y|ies)\b|\blev(?:y|ies)\b|\bsurcharges?\b|\bcustoms\b|\bimport\s+tax"
                     r"|\bexcise\b|\bsection\s+(?:301|232)\b|\breciprocal\b")
_RESTRICTION = re.compile(r"\b(?:restrict\w*|curbs?|controls?|limits?|ceilings?|caps?|restraints?)\b")
_RETALIATION = re.compile(r"\bretaliat\w*|\bcounter-?\s?measures?\b|\breprisals?\b")


def _modifiers(measure_text: str, context: str) -> str:
    """Up to three words just before the measure in its context, cut at a conjunction (``anti-dumping``)."""
    at = context.find(measure_text) if measure_text else -1
    if at <= 0:
        return ""
    words = re.search(r"((?:[\w.-]+\s+){0,3})$", context[max(0, at - 60):at])
    return re.split(r"\b(?:and|or|but|nor)\b|[,;:()]", words.group(1) if words else "")[-1]


def measure_type(measure_text: str, context: str = "") -> str:
    """The EVENTS.md measure type of a MEASURE span, its modifiers and sentence deciding the borderline cases."""
    phrase = f"{_modifiers(measure_text, context)} {measure_text}".lower()
    ctx = context.lower()
    at = ctx.find(measure_text.lower())
    after = ctx[at + len(measure_text):at + len(measure_text) + 50] if at >= 0 else ""
    for mtype, pattern in _PHRASE_RULES:
        if pattern.search(phrase):
            return mtype
    exporting = re.match(r"\s*(?:on|of|to|for)?\s*(?:the\s+)?(?:[\w-]+\s+){0,3}?export", after) is not None \
        or ("export" in ctx and "import" not in ctx)
    if (_BAN.search(phrase) or _RESTRICTION.search(phrase)) and exporting:
        return "export_control"
    if _BAN.search(phrase):
        return "import_ban"
    if _TARIFF.search(phrase):
        return "import_tariff"
    if _RESTRICTION.search(phrase) and re.search(r"\bimport", f"{phrase} {after}"):
        return "import_quota"
    if _RETALIATION.search(phrase):
        return "import_tariff" if re.search(r"\btariff|\bdut(?:y|ies)\b|\blev(?:y|ies)\b|\bsurcharge", ctx) else "other"
    return "other"

