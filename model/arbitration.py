"""Which system's spans the extractor keeps, per type: the rules' RATE spans replace the tagger's.

Chosen on the 4-fold cross-validation over the 112 hand-labelled Reuters stories (``make story-cv``):
the tagger found rates well (recall 73%) but also took statistics for rates (precision 45%, RATE F1
55.9), while the rules' rate detector, which requires a measure word in the clause and no statistic
around the number, scored 71.0. Neither a probability threshold on the tagger's rates (best 59.1)
nor keeping its confident rates beside the rules' (best 70.1) did better; the other types stay the
tagger's, which beats the rules on each of them.
"""
from __future__ import annotations

from trade_events.spans import Span

#: Types whose spans come from the labelling rules instead of the tagger.
RULE_TYPES: tuple[str, ...] = ("RATE",)


def rule_spans(text: str, types: tuple[str, ...] = RULE_TYPES) -> list[Span]:
    """The rules' spans of ``types``: only those types' labelling functions and the blocking ones vote
    (the same spans as the full ``label_text`` on every seed and Reuters train story, in a third of the time)."""
    from trade_events.data.labelling import REGISTRY, votes_for
    from trade_events.data.labelling.aggregate import resolve

    functions = [lf for lf in REGISTRY if lf.label is None or lf.label in types]
    return [s for s in resolve(text, votes_for(text, functions)) if s.label in types]


def arbitrate(text: str, spans: list[Span], types: tuple[str, ...] = RULE_TYPES) -> list[Span]:
    """``spans`` (the tagger's) with those of ``types`` replaced by the rules'; a rule span that overlaps a
    kept span of another type is left out (the tagger's typing of those words stands)."""
    if not types:
        return spans
    kept = [s for s in spans if s.label not in types]
    added = [r for r in rule_spans(text, types) if not any(r.overlaps(k) for k in kept)]
    return sorted(kept + added, key=lambda s: (s.start, s.end))
