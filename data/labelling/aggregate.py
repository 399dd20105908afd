"""Resolve labelling-function votes into flat, word-aligned spans, deterministically."""
from __future__ import annotations

from collections.abc import Iterable

from trade_events.data.labelling.base import Vote
from trade_events.data.words import split_words
from trade_events.spans import Span


def resolve(text: str, votes: Iterable[Vote]) -> list[Span]:
    """First match by priority, then length, then position: each character goes to at most one vote.

    Blocking votes (``label=None``) win their characters and produce no span. Every span is widened
    to whole words, so no span starts or ends inside a word.
    """
    taken: list[tuple[int, int]] = []
    chosen: list[Vote] = []
    for v in sorted(set(votes), key=lambda v: (-v.priority, -(v.end - v.start), v.start, v.lf)):
        if any(v.start < e and s < v.end for s, e in taken):
            continue
        taken.append((v.start, v.end))
        if v.label is not None:
            chosen.append(v)
    spans = [snap_to_words(text, Span.from_text(text, v.start, v.end, v.label)) for v in chosen]
    return sorted(_drop_overlaps(spans))


def snap_to_words(text: str, span: Span) -> Span:
    """Widen ``span`` to the words it touches."""
    words = split_words(text[max(0, span.start - 40):span.end + 40])
    base = max(0, span.start - 40)
    start, end = span.start, span.end
    for w in words:
        ws, we = w.start + base, w.end + base
        if ws < start < we:
            start = ws
        if ws < end < we:
            end = we
    if (start, end) == (span.start, span.end):
        return span
    return Span.from_text(text, start, end, span.label, span.score)


def _drop_overlaps(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and out[-1].overlaps(s):
            continue
        out.append(s)
    return out
