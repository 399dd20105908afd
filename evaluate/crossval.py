"""Leave-one-article-out cross-validation on the seeds: train on four articles' weak labels (after the
recipe's shared stages A and B1, which hold no seed article), score on the fifth article's gold, five
folds; the rules are scored on the same held-out article."""
from __future__ import annotations

from collections.abc import Callable
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import datasets

from trade_events.data.dataset import split_name
from trade_events.data.documents import Document
from trade_events.evaluate.leakage import refuse_leakage
from trade_events.evaluate.spans import SpanScores, score_spans
from trade_events.spans import Span
from trade_events.training.config import TrainConfig
from trade_events.training.recipe import pool_splits, stage_a, stage_b, stage_b1


@dataclass
class Fold:
    held_out: str
    model: SpanScores
    rules: SpanScores
    train_splits: list[str]


@dataclass
class CrossValResult:
    folds: list[Fold] = field(default_factory=list)
    #: Held-out predictions of every fold, pooled: each document predicted by the model that never saw it.
    predictions: dict[str, list[Span]] = field(default_factory=dict)
    rules_predictions: dict[str, list[Span]] = field(default_factory=dict)
    pooled_model: SpanScores | None = None
    pooled_rules: SpanScores | None = None
    int8_predictions: dict[str, list[Span]] = field(default_factory=dict)
    pooled_int8: SpanScores | None = None
    #: Held-out event records of the learned extractor (heads trained per fold), by variant
    #: (``TradeEventExtractor.event_variants``: shipped, gold_spans, heads_alone) and document id.
    event_variants: dict[str, dict[str, list]] = field(default_factory=dict)

    def mean_f1(self, system: str, label: str = "micro") -> float:
        vals = [(getattr(f, system).micro if label == "micro" else getattr(f, system).per_type[label]).f1
                for f in self.folds]
        return sum(vals) / len(vals) if vals else 0.0

    def to_dict(self) -> dict:
        return {"folds": [{"held_out": f.held_out, "train_splits": f.train_splits, "model": f.model.to_dict(),
                           "rules": f.rules.to_dict()} for f in self.folds],
                "pooled": {"model": self.pooled_model.to_dict(), "rules": self.pooled_rules.to_dict(),
                           **({"model-int8": self.pooled_int8.to_dict()} if self.pooled_int8 else {})},
                "mean_f1": {"model": self.mean_f1("model"), "rules": self.mean_f1("rules")}}


def leave_one_article_out(dataset: datasets.DatasetDict, config: TrainConfig, docs: list[Document],
                          gold: dict[str, list[Span]], rules: Callable[[str], list[Span]],
                          progress: bool = False, log: Callable[[str], None] = lambda _: None,
                          stage_a_result=None, stage_b1_result=None, int8: bool = False,
                          event_gold=None, event_epochs: int = 8) -> CrossValResult:
    """One fold per gold document; splits that are not gold documents (a corpus pool, hand-labelled stories)
    train in every fold. Stages A and B1 are trained once (or reused when given) and shared by the folds.
    With ``event_gold`` (an ``EventGoldSet``), each fold also trains event heads on it less the held-out
    article and extracts that article's records."""
    doc_splits = {split_name(d.id): d for d in docs}
    missing = [s for s in doc_splits if s not in dataset]
    if missing:
        raise ValueError(f"the dataset lacks the split(s) {missing} needed for leave-one-article-out")
    out = CrossValResult()
    with tempfile.TemporaryDirectory(prefix="trade-events-cv-") as work:
        a = stage_a_result or stage_a(config, dataset, Path(work), progress)  # no seed in the pool: shared by all folds
        if stage_a_result is not None:
            log(f"reusing stage A from {stage_a_result.output_dir} (checked: no seed article in it)")
        elif a is not None:
            log(f"stage A on the pool ({', '.join(pool_splits(dataset))}) done in {a.metrics['train_runtime_s']:.0f} s; "
                "shared by every fold")
        b1 = stage_b1_result
        if b1 is not None:
            log(f"reusing stage B1 from {b1.output_dir} (checked: no seed article in it)")
        else:
            b1 = stage_b1(config, dataset, a, Path(work), progress)
            if b1 is not None:
                own = b1.metrics["train_runtime_s"] - b1.metrics.get("stage_a_runtime_s", 0.0)
                log(f"stage B1 on the hand-labelled stories done in {own:.0f} s; shared by every fold")
        for k, (held_split, held) in enumerate(doc_splits.items(), 1):
            train_splits = [s for s in doc_splits if s != held_split]
            log(f"fold {k}/{len(doc_splits)}: holding out {held.id}, stage {'B2' if b1 else 'B'} on {len(train_splits)} articles")
            result = stage_b(config, dataset, train_splits, a, None, progress, b1=b1)
            _score_fold(out, result, held, held_split, gold, rules, train_splits)
            if event_gold is not None:
                _fold_events(out, result.extractor, held, gold, event_gold, event_epochs, config.seed)
            if int8:
                out.int8_predictions[held.id] = _int8_of(result.extractor, Path(work) / f"fold{k}").predict_spans(held.text)
    out.pooled_model = score_spans(docs, gold, out.predictions)
    if int8:
        out.pooled_int8 = score_spans(docs, gold, out.int8_predictions)
    out.pooled_rules = score_spans(docs, gold, out.rules_predictions)
    return out


def _fold_events(out: CrossValResult, extractor, held: Document, gold: dict[str, list[Span]], event_gold,
                 epochs: int, seed: int) -> None:
    """Train the fold's event heads without the held-out article, then extract its records."""
    from trade_events.training.events import fit_on_gold_set

    train = event_gold.subset({d.id for d in event_gold.docs} - {held.id})
    fit_on_gold_set(extractor, train, epochs, seed)
    refuse_leakage([held.id], extractor.metadata["event_heads"]["trained_on_documents"], "leakage: the fold's event heads")
    for variant, records in extractor.event_variants([held], gold).items():
        if variant != "spans":
            out.event_variants.setdefault(variant, {}).update(records)


def _int8_of(extractor, folder: Path):
    """The fold's model through the int8 path (saved, exported and reloaded like a packaged model)."""
    from trade_events.model.onnx_int8 import Int8TradeEventExtractor, export_int8

    extractor.save_pretrained(folder)
    export_int8(extractor, folder)
    return Int8TradeEventExtractor.from_pretrained(folder)


def _score_fold(out: CrossValResult, result, held: Document, held_split: str, gold: dict[str, list[Span]],
                rules: Callable[[str], list[Span]], train_splits: list[str]) -> None:
    """Score one fold's model and the rules on the held-out article; refuse any leakage."""
    refuse_leakage([held.id], result.extractor.metadata["trained_on_documents"], "leakage: the fold's model")
    refuse_leakage([held_split], train_splits, "leakage: the fold's dataset splits")
    pred = {held.id: result.extractor.predict_spans(held.text)}
    rule = {held.id: rules(held.text)}
    out.predictions.update(pred)
    out.rules_predictions.update(rule)
    out.folds.append(Fold(held.id, score_spans([held], gold, pred), score_spans([held], gold, rule), train_splits))
