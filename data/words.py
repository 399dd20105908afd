"""Word segmentation with character offsets: the unit that IOB2 labels and span edges align to.

Words are runs of letters/digits, numbers with inner ``.``/``,`` (``34.5``, ``8,000``), dotted
abbreviations (``U.S.``), and single punctuation marks; hyphens, apostrophes, ``%`` and ``$`` are
words of their own so that ``U.S.-China`` and ``China's`` split where the guideline splits them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Combining marks (a decomposed, NFD ``é`` is ``e`` + U+0301) belong to the word they sit on.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"(?:[A-Za-z]\.){{2,}}(?![A-Za-z])|\d+(?:[.,]\d+)*|[^\W_]+(?:[{_MARKS}]+[^\W_]*)*|\S")


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    """All words of ``text`` in order, with their character offsets."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]

