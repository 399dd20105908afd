"""ACTOR rules: country gazetteer, capitals acting for a state, officials, government bodies, blockers."""
from __future__ import annotations

import re

from trade_events.data.labelling.base import alternation, labelling_function, spans_of
from trade_events.gazetteer import CAPITALS, KNOWN_OFFICIALS, ORG_SUFFIXES, country_names

_COUNTRY = alternation(country_names())
_COUNTRY_RE = re.compile(rf"(?<![\w.])(?:{_COUNTRY})(?![\w])")
_CAPITAL_RE = re.compile(rf"(?<![\w.])(?<!\bin )(?<!\bat )(?<!\bIn )(?<!\bAt )(?:{alternation(CAPITALS)})(?!\w)")

_NAME = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?(?:\s+(?:[A-Z]\.|[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?|de|van|von|De|Van)){0,2}"
_OFFICE_WORD = (r"(?:Treasury|Commerce|Trade|Agriculture|Finance|Foreign|Economic|Economy|National|Council|Deputy|"
                r"Vice|Assistant|State|Industry|International|Chief|Senior|Prime|Defense|Defence|Energy|Labor|"
                r"Justice|Customs|Special|Executive|First|Acting|Under|Undersecretary|Fiscal|Budget|Foreign\s+Trade|"
                r"European|Agricultural|Industrial|Planning|External|Affairs|Home|Interior|Cabinet)")
_TITLE = (r"(?:President|Premier|Prime\s+Minister|Chancellor|Secretary(?:\s+of\s+(?:State|Commerce|Agriculture|"
          r"the\s+Treasury|Treasury))?|Minister(?:\s+(?:of|for)\s+(?:[A-Z][a-z]+\s*(?:and\s+)?){1,4})?|"
          r"Representative|Ambassador|Senator|Sen\.|Rep\.|Congressman|Congresswoman|Director|Commissioner|"
          r"Chairman|Governor|Speaker|Undersecretary|Spokesman|Spokeswoman|King|Queen|Emperor|Vice\s+Chairman|"
          r"Leader|Envoy|Negotiator)")
_OFFICIAL_RE = re.compile(
    rf"(?<![\w.])(?:(?:{_COUNTRY})\s+)?(?:{_OFFICE_WORD}\s+){{0,4}}{_TITLE},?\s+(?P<name>{_NAME})(?![\w])")
_BODY_HEAD = r"(?:Department|Ministry|Office|Agency|Administration|Commission|Committee|Bureau|Council)"
_BODY_RE = re.compile(
    rf"(?<![\w.])(?:(?:{_COUNTRY})\s+)?(?:"
    rf"(?:{_OFFICE_WORD}|Trade|Commerce|Agriculture|Finance|Treasury|Customs|Economic|Planning)(?:\s+(?:and\s+)?[A-Z][a-z]+){{0,3}}\s+{_BODY_HEAD}"
    rf"|(?:Ministry|Department)\s+of\s+(?:(?:the\s+)?[A-Z][a-z]+(?:\s+(?:and|of)\s+|\s+)?){{1,5}}"
    rf"|Trade\s+Representative(?=['’]s|\s+office)|International\s+Trade\s+Commission|White\s+House|Congress|"
    rf"Senate(?:\s+(?:Finance|Foreign\s+Relations|Agriculture)\s+Committee)?|"
    rf"House(?:\s+of\s+Representatives|\s+Ways\s+and\s+Means\s+Committee)|Ways\s+and\s+Means\s+Committee|"
    rf"Diet|Bundestag|Parliament|MITI|USTR|DOJ|USDA|Pentagon|State\s+Council|Politburo"
    rf")(?![\w])")
_GOVERNMENT_RE = re.compile(
    rf"(?<![\w.])(?:{_COUNTRY}|[A-Z][a-z]+)\s+(?:[Gg]overnment|[Aa]dministration|[Cc]abinet|[Pp]arliament|"
    rf"[Cc]ustoms(?:\s+(?:authorities|office|service|administration|bureau))?)(?![\w])")
_SURNAME_RE = re.compile(rf"(?<![\w.])(?:{alternation(KNOWN_OFFICIALS)})(?![\w])")
_NOT_PARTY_RE = re.compile(
    rf"(?<![\w.])(?:{_COUNTRY})\s+(?:dlrs?|dollars?|cents?|yen|currency|marks?|francs?|pounds?|sterling|lire)\b"
    rf"|(?<![\w.])(?:{_COUNTRY})(?:\s+[A-Z][\w&'.-]*){{0,3}}\s+(?:{alternation(ORG_SUFFIXES)})\b\.?"
    rf"|(?<![\w.])(?:Bank|Export-Import\s+Bank|Chamber|Association|Institute|Council)\s+of\s+(?:{_COUNTRY})"
    rf"|(?<![\w.])(?:American|British|Japanese|Chinese|French|German|U\.S\.)\s+(?:Express|Airlines|Motors|Steel)\b"
    rf"|\b(?:Uruguay|Tokyo|Kennedy|Dillon|Doha)\s+[Rr]ound\b")


@labelling_function("ACTOR", priority=10)
def country_mention(text: str):
    """Country names, abbreviations, demonyms and trade blocs (``U.S.``, ``Chinese``, ``the EC``)."""
    return spans_of(_COUNTRY_RE, text)


@labelling_function("ACTOR", priority=9)
def capital_for_state(text: str):
    """Capitals standing for their government (``Beijing granted``), not after ``in``/``at``."""
    return spans_of(_CAPITAL_RE, text)


@labelling_function("ACTOR", priority=30)
def official_with_title(text: str):
    """Title and name as one span, country prefix included (``U.S. Treasury Secretary Scott Bessent``)."""
    return [(s, e) for s, e in spans_of(_OFFICIAL_RE, text) if not _ends_in_common_word(text[s:e])]


@labelling_function("ACTOR", priority=25)
def government_body(text: str):
    """Named bodies tied to a state (``Commerce Department``, ``MITI``, ``Congress``, ``EC Commission``)."""
    return spans_of(_BODY_RE, text)


@labelling_function("ACTOR", priority=26)
def national_government(text: str):
    """``Japanese government``, ``Reagan Administration``: the state's executive named as one span."""
    out = []
    for m in _GOVERNMENT_RE.finditer(text):
        head = m.group().split()[0]
        if head in country_names() or head in KNOWN_OFFICIALS:
            out.append(m.span())
    return out


@labelling_function("ACTOR", priority=8)
def official_surname(text: str):
    """Surnames of officials: well-known ones, and any named with a title earlier in the same text."""
    names = set(KNOWN_OFFICIALS)
    for m in _OFFICIAL_RE.finditer(text):
        parts = m.group("name").split()
        if parts and not _ends_in_common_word(m.group()):
            names.add(parts[-1])
    for s, e in _name_first_officials(text):
        names.add(text[s:e].split()[-1])
    pattern = re.compile(rf"(?<![\w.])(?:{alternation(names)})(?![\w])")
    return spans_of(pattern, text)


_APPOSITIVE_TITLE = (r"(?:minister|secretary|ambassador|delegate|representative|negotiator|envoy|undersecretary|"
                     r"under\s+secretary|commissioner|spokesman|spokeswoman|official|head|director|chief|president|"
                     r"premier|chancellor|governor|senator|congressman|adviser|advisor|counsellor|counselor)")
_NAME_FIRST_RE = re.compile(
    rf"(?<![\w.])(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+(?:de|van|von|De)?\s*[A-Z][a-z]+(?:-[A-Z][a-z]+)?){{1,2}}),\s+"
    rf"(?P<app>(?:[\w.'’-]+\s+){{0,6}}?)(?:{_APPOSITIVE_TITLE})\b(?P<rest>[^,.;]{{0,60}})")
_GOV_WORD = re.compile(rf"(?:{_COUNTRY})|Ministry|Department|Commission|Government|Cabinet|Administration|Congress|Senate")


def _name_first_officials(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _NAME_FIRST_RE.finditer(text):
        tie = m.group("app") + " " + m.group("rest")
        if _GOV_WORD.search(tie) and not _ends_in_common_word(m.group("name")):
            out.append(m.span("name"))
    return out


@labelling_function("ACTOR", priority=29)
def official_name_first(text: str):
    """``Pierre Martin, head of the French Foreign Trade Ministry``: a name before a title that ties it to a state is an ACTOR."""
    return _name_first_officials(text)


@labelling_function(None, priority=40)
def not_a_party(text: str):
    """Country words that name no party: currencies (``U.S. dlrs``) and organisation names (``Korea Zinc``)."""
    return spans_of(_NOT_PARTY_RE, text)


_COMMON_LAST = {"On", "In", "And", "The", "Of", "Said", "Says", "Has", "Is", "Was", "To", "For", "At", "As", "Over",
                "Amid", "After", "With", "From", "By", "Into", "About", "Against", "Under"}


def _ends_in_common_word(span_text: str) -> bool:
    """Headline capitals (``President Luis Arce Over …``) must not drag a function word into a name."""
    return any(w in _COMMON_LAST for w in span_text.split()[1:])
