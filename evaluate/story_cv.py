"""K-fold cross-validation over the hand-labelled Reuters training stories: the span ruler with support.

The dev gold holds four RATE spans, too few to see a rate lost; the 112 hand-labelled training stories hold
hundreds of spans of every type. Each fold reruns the stages that train on those stories (B1 on the
stories outside the fold, then B2 with the seeds) from the shared stage A, whose pool never holds a
hand-labelled story, and scores the fold's stories, which its model never saw; the rules are scored on
the same stories. Run it with ``python -m trade_events.evaluate.story_cv`` (``make story-cv``).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import datasets

from trade_events.data.documents import Document
from trade_events.evaluate.leakage import refuse_leakage
from trade_events.evaluate.spans import SpanScores, score_spans
from trade_events.spans import Span

#: Folds and the seed that deals the stories into them.
FOLDS, FOLD_SEED = 4, 0


@dataclass
class StoryCVResult:
    """Pooled held-out predictions of every fold's model and of the rules, and their scores."""

    folds: list[list[str]] = field(default_factory=list)
    #: The tagger's own spans, every type (no arbitration).
    predictions: dict[str, list[Span]] = field(default_factory=dict)
    rules_predictions: dict[str, list[Span]] = field(default_factory=dict)
    model: SpanScores | None = None
    rules: SpanScores | None = None
    #: What ships: the tagger's spans with the types of ``model.arbitration.RULE_TYPES`` from the rules.
    shipped: SpanScores | None = None

    def to_dict(self) -> dict:
        return {"folds": self.folds, **{k: getattr(self, k).to_dict() if getattr(self, k) else None
                                        for k in ("rules", "model", "shipped")}}


def story_folds(ids: list[str], k: int = FOLDS, seed: int = FOLD_SEED) -> list[list[str]]:
    """``ids`` dealt into ``k`` folds of near-equal size, in a fixed shuffled order."""
    if not 2 <= k <= len(ids):
        raise ValueError(f"need 2 <= k <= {len(ids)} folds, got {k}")
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def without_stories(ds: datasets.DatasetDict, held: set[str], split: str) -> datasets.DatasetDict:
    """``ds`` with the rows of the ``held`` documents removed from ``split``."""
    out = dict(ds)
    out[split] = ds[split].filter(lambda row: row["doc_id"] not in held)
    return datasets.DatasetDict(out)


def cross_validate_stories(dataset: datasets.DatasetDict, config, docs: list[Document], gold: dict[str, list[Span]],
                           rules: Callable[[str], list[Span]], stage_a_result=None, k: int = FOLDS,
                           predict: Callable | None = None, log: Callable[[str], None] = lambda _: None
                           ) -> StoryCVResult:
    """Train stages B1 and B2 once per fold without the fold's stories and predict them (``predict``:
    ``(extractor, texts) -> spans per text``, the extractor's own by default); score the pooled predictions
    and the rules' against ``gold``. A fold whose model saw one of its stories raises."""
    from trade_events.data.corpus import HAND_SPLIT
    from trade_events.training.recipe import seed_splits, stage_a, stage_b, stage_b1

    from trade_events.model.arbitration import arbitrate

    predict = predict or _tagger_spans
    by_id = {d.id: d for d in docs}
    out = StoryCVResult(folds=story_folds(list(by_id), k))
    with tempfile.TemporaryDirectory(prefix="trade-events-story-cv-") as work:
        a = stage_a_result or stage_a(config, dataset, Path(work), progress=False)
        for n, fold in enumerate(out.folds, 1):
            held = set(fold)
            ds = without_stories(dataset, held, HAND_SPLIT)
            log(f"fold {n}/{len(out.folds)}: {len(fold)} stories held out, stage B1 on {len(ds[HAND_SPLIT])} rows")
            b1 = stage_b1(config, ds, a, Path(work) / f"fold{n}", progress=False)
            result = stage_b(config, ds, seed_splits(ds), a, None, progress=False, b1=b1)
            refuse_leakage(held, result.extractor.metadata["trained_on_documents"], f"leakage: fold {n}'s model")
            texts = [by_id[i].text for i in fold]
            out.predictions.update(zip(fold, predict(result.extractor, texts)))
    out.rules_predictions = {d.id: rules(d.text) for d in docs}
    out.model = score_spans(docs, gold, out.predictions)
    out.rules = score_spans(docs, gold, out.rules_predictions)
    out.shipped = score_spans(docs, gold, {i: arbitrate(by_id[i].text, s) for i, s in out.predictions.items()})
    return out


def _tagger_spans(extractor, texts: list[str]) -> list[list[Span]]:
    """The tagger's own spans of every type (arbitration off), so that both rows can be scored."""
    extractor.rule_types = ()
    return extractor.predict_spans_batch(texts)


def main(argv: list[str] | None = None) -> int:
    """Run the folds from a ``train`` output (its kept stage A and dataset) and print the per-type table."""
    from trade_events.data.corpus import load_train_stories
    from trade_events.data.dataset import load_dataset
    from trade_events.data.gold import attach_text
    from trade_events.data.gold_sets import reuters_train_gold
    from trade_events.data.labelling import label_text
    from trade_events.evaluate.report import markdown_f1_table, span_table
    from trade_events.io import atomic_write_json
    from trade_events.model.extractor import read_metadata
    from trade_events.training.config import TrainConfig
    from trade_events.training.recipe import reusable_stage

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=Path("outputs/model"), help="a model trained by `train` (its recipe, stage A)")
    ap.add_argument("--dataset", type=Path, default=Path("outputs/labelled"), help="the dataset it trained on")
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--output", type=Path, default=Path("outputs/evaluation/story_cv.json"))
    args = ap.parse_args(argv)
    raw = reuters_train_gold()
    if not raw:
        print("no hand-labelled Reuters stories here (../shared/corpus is missing)", file=sys.stderr)
        return 2
    docs = [d for d in load_train_stories() if d.id in raw]
    gold = {d.id: attach_text(raw[d.id], d) for d in docs}
    meta = read_metadata(args.model)
    config = TrainConfig(**{k: v for k, v in meta["config"].items() if k not in ("train_splits", "init_from")})
    ds = load_dataset(args.dataset)
    a = reusable_stage(args.model, "stage-a", config, ds)
    print(f"stage A: {'reused from ' + str(a.output_dir) if a else 'trained once, shared by the folds'}")
    res = cross_validate_stories(ds, config, docs, gold, label_text, a, args.folds, log=print)
    title = f"{len(docs)} hand-labelled Reuters stories, {args.folds}-fold cross-validation (P / R / F1)"
    columns = {"rules": res.rules, "tagger": res.model, "shipped": res.shipped}
    print(span_table(columns, title))
    print(markdown_f1_table({"Reuters stories (CV)": columns}))
    atomic_write_json(args.output, res.to_dict())
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
