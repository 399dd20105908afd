"""DATE rules: calendar dates, months, weekdays, relative references and ranges; never durations."""
from __future__ import annotations

import re

from trade_events.data.labelling.base import labelling_function, spans_of

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:early|mid|late|mid-|the\s+end\s+of|the\s+beginning\s+of|end-)"
_REL = r"(?:last|next|this|past|coming|earlier\s+this|later\s+this|early\s+next|late\s+last)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_ONE = (rf"(?:(?:{_REL}|{_PART})\s+)?{_MONTH}(?:\s+{_DAY}(?:\s*(?:and|-|–)\s*{_DAY})?)?(?:,?\s+{_YEAR})?"
        rf"|{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?")
_DATE_RE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?:{_ONE})(?:\s+(?:to|through|until|-|–)\s+(?:{_ONE}))?"              # May 12, early August, January to May
    rf"|(?:{_REL}\s+)?{_WEEKDAY}(?:,?\s+{_MONTH}\s+{_DAY})?"                  # Tuesday, last Friday
    rf"|(?:{_REL})\s+(?:week|month|year|quarter|weekend|spring|summer|autumn|fall|winter)"  # last week, earlier this year
    rf"|(?:a|one|two|three|a\s+few)\s+(?:weeks?|months?|years?)\s+ago"
    rf"|today|tomorrow|yesterday|tonight"
    rf"|(?:(?:first|second|third|fourth|final)\s+(?:quarter|half)(?:\s+of\s+(?:{_YEAR}|this\s+year|next\s+year))?)"
    rf"|(?:fiscal|calendar|crop|marketing)\s+(?:year\s+)?{_YEAR}(?:/\d\d)?"
    rf"|{_YEAR}s?(?:\s*(?:to|-|–|/)\s*(?:{_YEAR}|\d\d))?"
    rf")(?![\w-])(?!\s*-?(?:day|week|month|year|minute|hour)s?\b)")
_NOT_DATE = re.compile(r"(?:May|March)\b(?=\s+(?:be|have|not|also|well|seek|continue|take|face|need|want)\b)"
                       r"|\bthe\s+(?:year|month|week)s?\s+ahead")


@labelling_function("DATE", priority=15)
def calendar_date(text: str):
    """Dates that can be placed on a calendar given the article's date (``April``, ``May 12``, ``last week``)."""
    blocked = [m.span() for m in _NOT_DATE.finditer(text)]
    return [(s, e) for s, e in spans_of(_DATE_RE, text)
            if not any(bs <= s < be for bs, be in blocked) and _not_a_number_in_amount(text, s, e)]


def _not_a_number_in_amount(text: str, start: int, end: int) -> bool:
    """``1987`` is a year, ``1,987 tonnes`` or ``$1987`` is not."""
    before, after = text[max(0, start - 2):start], text[end:end + 12]
    return not (re.match(r"\s*(?:mln|million|billion|tonnes|tons|dlrs|pct|%|percent)", after, re.I)
                or before.endswith("$") or before.endswith(","))
