"""Sentence splitting with character offsets, shared by the rules and event assembly."""
from __future__ import annotations

import re

#: Abbreviations after which a full stop does not end a sentence (``U.S.`` is handled apart).
_ABBREV = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "St.", "Jan.", "Feb.", "Aug.",
                     "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "Corp.", "Inc.", "Co.", "Ltd.", "No.", "vs.",
                     "Jr.", "Gen.", "Lt.", "Col.", "Dept.", "Mt.", "a.m.", "p.m.", "E.C.", "U.N."})
#: Words that, after ``U.S.``/``U.K.``, show the abbreviation is an adjective inside the sentence.
_COUNTRY_ADJ_NEXT = re.compile(
    r"\s*(?:President|Trade|Treasury|Commerce|Secretary|officials?|Congress|Senate|House|Embassy|"
    r"Agriculture|Government|Administration|[A-Z][a-z]+\s+(?:Department|Secretary|Representative))\b")
_CANDIDATE = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets, trimmed; line breaks inside a wrapped sentence are kept.

    A sentence ends at ``.!?`` before an upper-case letter, digit or quote (not after an
    abbreviation), at a blank line, and at the end of a headline-like line (mostly capitalised
    words, no final mark), as in title lines and sidebars of scraped pages.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        nxt = re.match(r"\s*(\S)", text[end:])
        if nxt is None:
            break
        if m.group() == "\n":
            line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
            blank = re.match(r"[ \t]*\n", text[end:]) is not None
            whole_line = not text[start:m.start()].strip().count("\n")  # the sentence so far is this line alone
            if not line or not (blank or whole_line and _headline_break(line, text, end)):
                continue
        else:
            first = nxt.group(1)
            if not (first.isupper() or first.isdigit() or first in "\"“‘'("):
                continue
            tok = re.search(r"(\S+)$", text[start:end])
            word = tok.group(1) if tok else ""
            if word in _ABBREV:
                continue
            if word in ("U.S.", "U.K.") and (_COUNTRY_ADJ_NEXT.match(text[end:]) or _inside_headline(text, end)):
                continue
        _add(text, start, end, bounds)
        start = end
    _add(text, start, len(text), bounds)
    return bounds


#: Words that never end a headline: a line ending with one is hard-wrapped text that goes on.
_CONTINUES = frozenset("a an and are as at be been by for from has had have in into is its of on or said that "
                       "the their to was were which who will with would".split())


def _headline_break(line: str, text: str, pos: int) -> bool:
    """A line that is a whole sentence so far ends it without a final mark only in a list of headlines (a
    sidebar): it and the line before or after it are in title case, the next line starts with a capital or a
    digit, and it does not end on a word that must go on. Wire copy hard-wrapped at about 65 columns (``The
    European Community is to`` / ``impose ...``, ``Sweden's ruling Social Democratic`` / ``Party gave ...``)
    is never cut at its line ends."""
    words = line.split()
    if line[-1] in ",;:-–—(" or words[-1].lower() in _CONTINUES or not _is_headline(line, TITLE_CASE):
        return False
    nxt_end = text.find("\n", pos)
    nxt = text[pos:len(text) if nxt_end < 0 else nxt_end].strip()
    if not nxt:
        return True
    if not (nxt[0].isupper() or nxt[0].isdigit()):
        return False
    line_start = text.rfind("\n", 0, pos - 1)
    prev = text[text.rfind("\n", 0, max(line_start, 0)) + 1:max(line_start, 0)].strip() if line_start > 0 else ""
    return _is_headline(nxt, TITLE_CASE) or bool(prev) and _is_headline(prev, TITLE_CASE)


#: Share of capitalised words (over three letters) in a title-case headline of a list.
TITLE_CASE = 0.85


def _is_headline(line: str, share: float = 0.6) -> bool:
    """A line with no final punctuation whose words are mostly capitalised (a title or headline)."""
    if line[-1] in ".!?,;:":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'.-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= share * len(words)


def _inside_headline(text: str, pos: int) -> bool:
    """``pos`` lies inside a headline-like line (``U.S. Soldiers Killed in ...``)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:len(text) if line_end < 0 else line_end].strip()
    return bool(line) and _is_headline(line)


def _add(text: str, start: int, end: int, bounds: list[tuple[int, int]]) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    s, e = start + lead, start + len(seg.rstrip())
    if e > s:
        bounds.append((s, e))


_FINAL = frozenset(".!?\"'”’)")


def split_punctuated_sentences(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` with a break at the end of a headline-like line undone when a sentence with a
    final mark goes on from it on the next line: wire copy wrapped at 70 columns has such lines inside
    names (``U.S. Trade Representative Clayton`` / ``Yeutter said.``). Titles followed by a blank line
    and lists of headlines (a sidebar) stay apart. Used where a break must never cut a span: training
    rows and the model's decoding."""
    out: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if (out and text[out[-1][1] - 1] not in _FINAL and text[e - 1] in _FINAL
                and not re.search(r"\n[ \t]*\n", text[out[-1][1]:s])):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
