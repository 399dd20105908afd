"""Label quality: the labelling rules scored against hand-made gold (the teacher's own score)."""
from __future__ import annotations

from collections import Counter

from trade_events.data.documents import Document
from trade_events.evaluate.spans import coverage, score_spans
from trade_events.spans import Span


def label_quality(docs: list[Document], gold: dict[str, list[Span]], rules: dict[str, list[Span]]) -> dict:
    """Scores, per-type counts (gold vs rules) and coverage of the rules on the gold documents."""
    docs = [d for d in docs if d.id in gold]
    scores = score_spans(docs, gold, rules)
    return {
        "scores": scores,
        "counts": {"gold": dict(Counter(s.label for d in docs for s in gold[d.id])),
                   "rules": dict(Counter(s.label for d in docs for s in rules.get(d.id, [])))},
        "coverage": coverage(docs, gold, rules),
        "documents": [d.id for d in docs],
    }
