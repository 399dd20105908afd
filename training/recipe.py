"""The default training recipe: two stages, so that cross-validation stays honest and cheap.

Stage A fine-tunes the base model on the corpus pool's weak labels (no seed article in it). Stage B
continues on the seed articles plus a replay sample of the pool. Leave-one-article-out folds reuse stage A
(it never saw a seed) and rerun stage B without the held-out article. Without a pool, stage B alone runs
from the base model.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import datasets

from trade_events.data.corpus import HAND_SPLIT
from trade_events.data.dataset import split_name
from trade_events.data.documents import load_seeds
from trade_events.model.files import TRAINING_METRICS
from trade_events.training.config import TrainConfig
from trade_events.training.self_training import relabel
from trade_events.training.train import TrainResult, train_model


def seed_splits(ds: datasets.DatasetDict) -> list[str]:
    """Dataset splits that hold one seed article each."""
    names = {split_name(d.id) for d in load_seeds()}
    return [s for s in ds if s in names]


def hand_splits(ds: datasets.DatasetDict) -> list[str]:
    """Hand-labelled training text beyond the seeds (``reuters_gold``): trained on in stage B, in every fold."""
    return [s for s in ds if s == HAND_SPLIT]


def pool_splits(ds: datasets.DatasetDict) -> list[str]:
    """Every other split: weak labels of a corpus pool such as ``reuters_train``."""
    taken = set(seed_splits(ds)) | set(hand_splits(ds))
    return [s for s in ds if s not in taken]


def stage_a(config: TrainConfig, ds: datasets.DatasetDict, workdir: Path | None, progress: bool = True) -> TrainResult | None:
    """Stage A on the pool (saved to ``workdir/stage_a`` when given); ``None`` when the dataset has no pool."""
    pool = pool_splits(ds)
    if not pool or config.pool_epochs == 0:
        return None
    cfg = replace(config, train_splits=pool, epochs=config.pool_epochs, max_steps=-1, init_from=None)
    target = workdir / "stage_a" if workdir else None
    a = train_model(cfg, ds, None if config.self_train_rounds else target, progress=progress)
    for _ in range(config.self_train_rounds):  # stage A relabels its own pool: no seed text involved
        relabelled = dict(ds)
        added = 0
        for name in pool:
            relabelled[name], n = relabel(ds[name], a.extractor, config.self_train_threshold)
            added += n
        previous = a.metrics
        a = train_model(cfg, datasets.DatasetDict(relabelled), target, progress=progress)
        a.metrics["self_training"] = previous.get("self_training", []) + [{"spans_added": added,
                                                                           "runtime_s": previous["train_runtime_s"]}]
        a.metrics["train_runtime_s"] = round(a.metrics["train_runtime_s"] + previous["train_runtime_s"], 1)
    return a


def replay_sample(ds: datasets.DatasetDict, rows: int, seed: int) -> datasets.Dataset | None:
    pool = pool_splits(ds)
    if not pool or rows == 0:
        return None
    merged = datasets.concatenate_datasets([ds[s] for s in pool]).shuffle(seed=seed)
    return merged.select(range(min(rows, len(merged))))


def stage_b(config: TrainConfig, ds: datasets.DatasetDict, splits: list[str], a: TrainResult | None,
            output_dir: Path | None, progress: bool = True) -> TrainResult:
    """Stage B on ``splits`` (seed articles), the hand-labelled splits (``hand_repeats`` times) and replay,
    from stage A's weights when there are some."""
    hand = [s for s in hand_splits(ds) if s not in splits] * config.hand_repeats
    cfg = replace(config, train_splits=[*splits, *hand], init_from=str(a.output_dir) if a else None)
    extra = {"recipe": "two-stage" if a else "single-stage",
             "stage_a": ({"splits": pool_splits(ds), "epochs": config.pool_epochs, "metrics":
                          {k: v for k, v in a.metrics.items() if k != "log_history"}} if a else None)}
    result = train_model(cfg, ds, None, progress=progress, extra_metadata=extra,
                         replay=replay_sample(ds, config.replay_rows, config.seed) if a else None)
    if a:  # the model has seen both stages' documents; its recorded recipe is the caller's
        result.extractor.metadata["trained_on_documents"] = sorted(
            set(result.extractor.metadata["trained_on_documents"]) | set(a.extractor.metadata["trained_on_documents"]))
        result.metrics["stage_a_runtime_s"] = a.metrics["train_runtime_s"]
        result.metrics["train_runtime_s"] = round(result.metrics["train_runtime_s"] + a.metrics["train_runtime_s"], 1)
    result.extractor.metadata["config"] = replace(config, init_from=None).to_dict()
    if output_dir is not None:
        result.output_dir = Path(output_dir)
        result.extractor.save_pretrained(output_dir, extra_files={
            TRAINING_METRICS: json.dumps(result.metrics, indent=2, default=str) + "\n"})
    return result


def stage_a_dir(model_dir: Path) -> Path:
    """Where ``train`` keeps stage A beside the model, for cross-validation to reuse."""
    model_dir = Path(model_dir)
    return model_dir.with_name(model_dir.name + "-stage-a")


def reusable_stage_a(model_dir: Path | None, config: TrainConfig, ds: datasets.DatasetDict) -> TrainResult | None:
    """Stage A saved by ``train`` when it fits this dataset and recipe and holds no seed article."""
    from trade_events.data.dataset import dataset_fingerprint
    from trade_events.model.extractor import TradeEventExtractor

    if model_dir is None or not stage_a_dir(model_dir).is_dir():
        return None
    ext = TradeEventExtractor.from_pretrained(stage_a_dir(model_dir))
    meta = ext.metadata
    seeds = {d.id for d in load_seeds()}
    stage_only = ("train_splits", "epochs", "max_steps", "init_from", "replay_rows")  # set per stage, not the recipe
    same_recipe = {k: v for k, v in meta.get("config", {}).items() if k not in stage_only} == \
        {k: v for k, v in config.to_dict().items() if k not in stage_only}
    if meta.get("dataset_fingerprint") != dataset_fingerprint(ds) or not same_recipe or seeds & set(meta.get("trained_on_documents", [])):
        return None
    return TrainResult(ext, json.loads((stage_a_dir(model_dir) / TRAINING_METRICS).read_text()), stage_a_dir(model_dir))


def train_recipe(config: TrainConfig, ds: datasets.DatasetDict, output_dir: Path, progress: bool = True) -> TrainResult:
    """Both stages on the whole dataset (every seed article): the model that ships. Stage A is kept in
    ``<output>-stage-a/`` so that cross-validation need not train it again."""
    if config.train_splits:  # an explicit choice of splits: one plain run
        return train_model(config, ds, output_dir, progress=progress)
    a = stage_a(config, ds, None, progress)
    if a is not None:
        a_dir = stage_a_dir(output_dir)
        a.extractor.save_pretrained(a_dir, extra_files={TRAINING_METRICS: json.dumps(a.metrics, default=str) + "\n"})
        a.output_dir = a_dir
    return stage_b(config, ds, seed_splits(ds) or list(ds), a, Path(output_dir), progress)
