"""Votes and the registry of labelling functions.

A labelling function reads a document's text and returns ``Vote``s: a proposed span and label, or a
*blocking* vote (``label=None``) that says "no entity here" (``U.S. dlrs``, ``Korea Zinc``). Votes are
resolved into spans by ``trade_events.data.labelling.aggregate``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Vote:
    start: int
    end: int
    label: str | None
    lf: str
    priority: int = 0


@dataclass(frozen=True)
class LabellingFunction:
    """A named rule for one label (``None`` for blockers); higher ``priority`` wins conflicts."""

    name: str
    label: str | None
    priority: int
    fn: Callable[[str], Iterable[tuple[int, int]]]

    def __call__(self, text: str) -> list[Vote]:
        return [Vote(s, e, self.label, self.name, self.priority) for s, e in self.fn(text) if e > s]


REGISTRY: list[LabellingFunction] = []


def labelling_function(label: str | None, priority: int = 0):
    """Register ``fn(text) -> [(start, end)]`` as a labelling function for ``label``."""
    def wrap(fn: Callable[[str], Iterable[tuple[int, int]]]) -> Callable[[str], Iterable[tuple[int, int]]]:
        REGISTRY.append(LabellingFunction(fn.__name__, label, priority, fn))
        return fn
    return wrap


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, with flexible inner whitespace."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


def spans_of(pattern: re.Pattern[str], text: str, group: int | str = 0) -> list[tuple[int, int]]:
    """Offsets of every match (or of one group of it) of ``pattern`` in ``text``."""
    out = []
    for m in pattern.finditer(text):
        if m.group(group) is not None:
            out.append(m.span(group))
    return out
