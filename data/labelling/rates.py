"""RATE rules: tariff and duty levels, their changes, and amounts that size a measure.

A percentage is a RATE only in a clause about a trade measure and not inside a statistic
(``a 34.5% drop in exports``, ``90% of the global supply``).
"""
from __future__ import annotations

import re

from trade_events.data.labelling.base import labelling_function
from trade_events.text import split_sentences

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve fifteen twenty "
                "twenty-five thirty forty fifty sixty seventy eighty ninety hundred").split()
_NUM = rf"(?:\d+(?:[.,]\d+)*(?:\s*/\s*\d+)?|(?:{'|'.join(NUMBER_WORDS)})(?:[\s-](?:{'|'.join(NUMBER_WORDS)}))?)"
_PCT = rf"(?<![\w.,])(?:{_NUM})\s*(?:%|percent(?:age\s+points?)?|per\s+cent|pct(?:\s+points)?)"
_PCT_RE = re.compile(_PCT + r"(?!\w)", re.I)
#: ``between 10 and 40 pct``: the first number is a RATE of its own, without a unit.
_RANGE_LEFT_RE = re.compile(rf"(?<![\w.,])(?P<n>{_NUM})(?:\s*(?:and|to|-|–)\s*)(?={_PCT})", re.I)
_AMOUNT_RE = re.compile(
    rf"(?<![\w.,])(?:(?:US)?\$\s*(?:{_NUM})(?:\s*(?:mln|million|billion|bln|trillion))?"
    rf"|(?:{_NUM})\s*(?:mln|million|billion|bln)?\s*(?:U\.S\.\s+)?(?:dlrs|dollars|yen|ecus?)"
    rf"|(?:{_NUM})\s*(?:mln|million|billion|bln)?\s*(?:tonnes|tons|metric\s+tons|bushels|units|cars|vehicles|head))"
    rf"(?:\s+a\s+year)?(?!\w)", re.I)

_MEASURE_WORD = re.compile(
    r"\b(?:tariffs?|dut(?:y|ies)|levy|levies|quotas?|surcharges?|customs|ceiling|cap|restraints?|"
    r"sanctions?|retaliat\w*|reciprocal|import\s+taxe?s?|excise)\b", re.I)
_STAT_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:drop|decline|fall|fell|rise|rose|increase|decrease|growth|gain|jump|slump|surge|"
    r"share|stake|of\s+(?:the|global|world|its|their|total)|year-on-year|inflation|unemployment|surplus|"
    r"deficit|interest|discount|margin|plunge|down|up\b|higher\s+than|lower\s+than|of\s+(?:gdp|output))", re.I)
_STAT_BEFORE = re.compile(
    r"(?:\b(?:fell|rose|dropped|declined|decreased|increased|grew|jumped|slumped|surged|climbed|gained|"
    r"lost|shrank|expanded|plunged|up|down|by|inflation\s+of|growth\s+of|accounts?\s+for|share\s+of|"
    r"stake\s+of|surplus\s+of|deficit\s+of))\s*(?:about\s+|almost\s+|nearly\s+|some\s+|around\s+|only\s+)?$", re.I)
_MEASURE_AMOUNT_CONTEXT = re.compile(
    r"\b(?:tariffs?|dut(?:y|ies)|sanctions?|retaliat\w*|quotas?|ceiling|restrictions?|curbs?|ban)\b[^.;]{0,80}$"
    r"|^[^.;]{0,40}\b(?:of|in|worth\s+of)\s+(?:[\w.-]+\s+){0,4}(?:goods|imports|exports|products|shipments)\b"
    r"|\bquota\s+of\s*$|\b(?:limit|limited|cap|capped|restrict\w*|ceiling)\s+(?:\w+\s+){0,3}(?:to|of|at)\s*$", re.I)


def _clause(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> tuple[str, str]:
    """The text of the sentence before and after a match."""
    for s, e in sentences:
        if s <= start < e:
            return text[s:start], text[end:e]
    return text[max(0, start - 200):start], text[end:end + 200]


def _is_measure_rate(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> bool:
    before, after = _clause(text, start, end, sentences)
    if _STAT_AFTER.match(after) or _STAT_BEFORE.search(before):
        return False
    window = before[-120:] + " " + after[:100]
    return _MEASURE_WORD.search(window) is not None


@labelling_function("RATE", priority=20)
def measure_percentage(text: str):
    """``145%``, ``30 pct``, ``145 percent`` in a clause about a tariff, duty, quota or sanction."""
    sents = split_sentences(text)
    return [m.span() for m in _PCT_RE.finditer(text) if _is_measure_rate(text, *m.span(), sents)]


@labelling_function("RATE", priority=19)
def range_left_number(text: str):
    """The bare first number of a range (``between 10 and 40 pct`` → ``10``) about a measure."""
    sents = split_sentences(text)
    return [m.span("n") for m in _RANGE_LEFT_RE.finditer(text) if _is_measure_rate(text, *m.span(), sents)]


@labelling_function("RATE", priority=18)
def measure_amount(text: str):
    """Amounts that size a measure: ``300 mln dlrs`` of goods hit, a quota of ``1.5 mln tonnes``."""
    sents = split_sentences(text)
    out = []
    for m in _AMOUNT_RE.finditer(text):
        before, after = _clause(text, *m.span(), sents)
        if _STAT_BEFORE.search(before) or re.match(r"^\s*(?:trade\s+)?(?:surplus|deficit)", after, re.I):
            continue
        if _MEASURE_AMOUNT_CONTEXT.search(before[-120:]) or _MEASURE_AMOUNT_CONTEXT.search(after[:60]):
            out.append(m.span())
    return out
