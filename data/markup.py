"""Inline gold markup ``⟦LABEL|surface⟧``: annotators read and mark text; offsets are computed here.

Removing the markup must give back the original text exactly, which ``parse_markup`` checks, so a
hand annotation cannot drift from the raw file it indexes.
"""
from __future__ import annotations

import re

from trade_events.spans import ENTITY_TYPES, Span

OPEN, SEP, CLOSE = "⟦", "|", "⟧"
_TAG = re.compile(r"⟦([A-Z]+)\|(.*?)⟧", re.S)


def parse_markup(marked: str, original: str | None = None) -> tuple[str, list[Span]]:
    """Return ``(plain_text, spans)``; if ``original`` is given the plain text must equal it."""
    spans: list[Span] = []
    out: list[str] = []
    pos = 0  # position in marked
    plain_len = 0
    for m in _TAG.finditer(marked):
        before = marked[pos:m.start()]
        out.append(before)
        plain_len += len(before)
        label, surface = m.group(1), m.group(2)
        if label not in ENTITY_TYPES:
            raise ValueError(f"unknown label {label!r} at markup offset {m.start()}")
        if not surface or surface != surface.strip():
            raise ValueError(f"span {surface!r} is empty or has spaces at its edges (offset {m.start()})")
        spans.append(Span(plain_len, plain_len + len(surface), label, surface))
        out.append(surface)
        plain_len += len(surface)
        pos = m.end()
    out.append(marked[pos:])
    plain = "".join(out)
    for ch in (OPEN, CLOSE):
        if ch in plain:
            raise ValueError(f"unbalanced markup: stray {ch!r} at plain offset {plain.index(ch)}")
    if original is not None and plain != original:
        i = next((k for k, (a, b) in enumerate(zip(plain, original)) if a != b), min(len(plain), len(original)))
        raise ValueError(f"markup changes the text at offset {i}: {plain[i-20:i+20]!r} vs {original[i-20:i+20]!r}")
    return plain, spans


def render_markup(text: str, spans: list[Span]) -> str:
    """Inverse of ``parse_markup``: the text with each span wrapped as ``⟦LABEL|surface⟧``."""
    out, pos = [], 0
    for s in sorted(spans):
        out.append(text[pos:s.start])
        out.append(f"{OPEN}{s.label}{SEP}{text[s.start:s.end]}{CLOSE}")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
