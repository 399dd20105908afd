"""Labelling functions per entity type and the resolution of their votes into weak spans.

``label_text(text)`` is the labelling-rules teacher: every weak label and the rules' baseline
score come from it.
"""
from __future__ import annotations

from trade_events.data.labelling import actors, dates, measures, products, rates  # noqa: F401  (registers)
from trade_events.data.labelling.aggregate import resolve
from trade_events.data.labelling.base import REGISTRY, LabellingFunction, Vote
from trade_events.spans import Span


def votes_for(text: str, functions: list[LabellingFunction] | None = None) -> list[Vote]:
    """Every vote of every labelling function on ``text``."""
    return [v for lf in (functions or REGISTRY) for v in lf(text)]


def label_text(text: str) -> list[Span]:
    """The rules' spans for one text."""
    return resolve(text, votes_for(text))


__all__ = ["REGISTRY", "LabellingFunction", "Vote", "label_text", "votes_for"]
