"""Span scores with seqeval in strict IOB2 mode: precision, recall and F1 per type and micro."""
from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from trade_events.data.dataset import sentence_chunks, spans_to_tags
from trade_events.data.documents import Document
from trade_events.spans import ENTITY_TYPES, Span


@dataclass
class Score:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    support: int = 0       # gold spans
    predicted: int = 0     # predicted spans


@dataclass
class SpanScores:
    """Per-type and micro scores over a set of documents."""

    per_type: dict[str, Score] = field(default_factory=dict)
    micro: Score = field(default_factory=Score)
    documents: int = 0

    def to_dict(self) -> dict:
        return {"documents": self.documents, "micro": asdict(self.micro),
                "per_type": {k: asdict(v) for k, v in self.per_type.items()}}


def tag_sequences(docs: list[Document], spans: dict[str, list[Span]]) -> list[list[str]]:
    """IOB2 tags of every sentence chunk of every document (the unit seqeval scores)."""
    seqs = []
    for doc in docs:
        doc_spans = spans.get(doc.id, [])
        for chunk in sentence_chunks(doc):
            seqs.append(spans_to_tags(chunk, [s for s in doc_spans if s.start < chunk[-1].end and chunk[0].start < s.end]))
    return seqs


def score_spans(docs: list[Document], gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> SpanScores:
    """Strict IOB2 scores of ``pred`` against ``gold`` on ``docs`` (exact span and type)."""
    y_true, y_pred = tag_sequences(docs, gold), tag_sequences(docs, pred)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # seqeval warns on types with no gold or no prediction
        rep = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    n_pred = {t: sum(1 for d in docs for s in pred.get(d.id, []) if s.label == t) for t in ENTITY_TYPES}
    out = SpanScores(documents=len(docs))
    for t in ENTITY_TYPES:
        r = rep.get(t, {})
        out.per_type[t] = Score(r.get("precision", 0.0), r.get("recall", 0.0), r.get("f1-score", 0.0),
                                int(r.get("support", 0)), n_pred[t])
    m = rep.get("micro avg", {})
    out.micro = Score(m.get("precision", 0.0), m.get("recall", 0.0), m.get("f1-score", 0.0),
                      int(m.get("support", 0)), sum(n_pred.values()))
    return out


def coverage(docs: list[Document], gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> dict[str, float]:
    """Share of gold spans per type that some predicted span touches (any label): what the rules see at all."""
    out = {}
    for t in ENTITY_TYPES:
        g = [(d.id, s) for d in docs for s in gold.get(d.id, []) if s.label == t]
        hit = sum(any(p.overlaps(s) for p in pred.get(doc_id, [])) for doc_id, s in g)
        out[t] = hit / len(g) if g else 0.0
    return out
