"""The default training recipe: stages ordered so that cross-validation stays honest and cheap.

Stage A fine-tunes the base model on the corpus pool's weak labels (no seed article in it). Stage B1
continues on the hand-labelled Reuters stories alone; stage B2, the last ``seed_steps`` steps, on the seed
articles (repeated) together with those stories. Leave-one-article-out folds reuse A and B1 (neither saw a
seed) and rerun only B2 without the held-out article. Without a pool or hand-labelled stories, those stages
are skipped and stage B runs from what there is (the base model, for the seeds alone).
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


def stage_b1(config: TrainConfig, ds: datasets.DatasetDict, a: TrainResult | None, workdir: Path | None,
             progress: bool = True) -> TrainResult | None:
    """Stage B1 on the hand-labelled Reuters stories alone (saved to ``workdir/stage_b1`` when given);
    ``None`` when the dataset has none or the recipe runs stage B in one piece (``seed_steps`` 0)."""
    hand = hand_splits(ds) * config.hand_repeats
    if not hand or not 0 < config.seed_steps < config.max_steps:
        return None
    cfg = replace(config, train_splits=hand, max_steps=config.max_steps - config.seed_steps,
                  init_from=str(a.output_dir) if a else None)
    b1 = train_model(cfg, ds, workdir / "stage_b1" if workdir else None, progress=progress)
    if a:
        _add_prior(b1, a, "stage_a")
    return b1


def _add_prior(result: TrainResult, prior: TrainResult, name: str) -> None:
    """Fold an earlier stage into a result: its documents count as seen, its time (and its own priors') as spent."""
    meta = result.extractor.metadata
    meta["trained_on_documents"] = sorted(set(meta["trained_on_documents"]) | set(prior.extractor.metadata["trained_on_documents"]))
    earlier = {k: v for k, v in prior.metrics.items() if k.startswith("stage_") and k.endswith("_runtime_s")}
    result.metrics.update(earlier)
    result.metrics[f"{name}_runtime_s"] = round(prior.metrics["train_runtime_s"] - sum(earlier.values()), 1)
    result.metrics["train_runtime_s"] = round(result.metrics["train_runtime_s"] + prior.metrics["train_runtime_s"], 1)


def replay_sample(ds: datasets.DatasetDict, rows: int, seed: int) -> datasets.Dataset | None:
    pool = pool_splits(ds)
    if not pool or rows == 0:
        return None
    merged = datasets.concatenate_datasets([ds[s] for s in pool]).shuffle(seed=seed)
    return merged.select(range(min(rows, len(merged))))


def stage_b(config: TrainConfig, ds: datasets.DatasetDict, splits: list[str], a: TrainResult | None,
            output_dir: Path | None, progress: bool = True, b1: TrainResult | None = None) -> TrainResult:
    """Stage B on ``splits`` (seed articles), the hand-labelled splits (``hand_repeats`` times) and replay,
    from stage A's weights when there are some; after ``b1``, only its last ``seed_steps`` steps (B2),
    with the seed articles repeated ``seed_repeats`` times."""
    hand = [s for s in hand_splits(ds) if s not in splits] * config.hand_repeats
    prior = b1 or a
    if b1 is not None:
        cfg = replace(config, train_splits=[*splits * config.seed_repeats, *hand], max_steps=config.seed_steps,
                      init_from=str(b1.output_dir))
    else:
        cfg = replace(config, train_splits=[*splits, *hand], init_from=str(a.output_dir) if a else None)
    stages = ["A"] * bool(a) + ["B1", "B2"] * bool(b1) + ["B"] * (not b1)
    extra = {"recipe": "stages " + " → ".join(stages),
             "stage_a": ({"splits": pool_splits(ds), "epochs": config.pool_epochs, "metrics":
                          {k: v for k, v in a.metrics.items() if k != "log_history"}} if a else None)}
    result = train_model(cfg, ds, None, progress=progress, extra_metadata=extra,
                         replay=replay_sample(ds, config.replay_rows, config.seed) if a else None)
    if prior:  # the model has seen every stage's documents; its recorded recipe is the caller's
        _add_prior(result, prior, "stage_b1" if b1 else "stage_a")
    result.extractor.metadata["config"] = replace(config, init_from=None).to_dict()
    if output_dir is not None:
        result.output_dir = Path(output_dir)
        result.extractor.save_pretrained(output_dir, extra_files={
            TRAINING_METRICS: json.dumps(result.metrics, indent=2, default=str) + "\n"})
    return result


def stage_dir(model_dir: Path, stage: str) -> Path:
    """Where ``train`` keeps a shared stage beside the model, for cross-validation to reuse."""
    model_dir = Path(model_dir)
    return model_dir.with_name(f"{model_dir.name}-{stage}")


def reusable_stage(model_dir: Path | None, stage: str, config: TrainConfig, ds: datasets.DatasetDict) -> TrainResult | None:
    """A shared stage saved by ``train`` when it fits this dataset and recipe and holds no seed article."""
    from trade_events.data.dataset import dataset_fingerprint
    from trade_events.model.extractor import TradeEventExtractor

    folder = stage_dir(model_dir, stage) if model_dir is not None else None
    if folder is None or not folder.is_dir():
        return None
    ext = TradeEventExtractor.from_pretrained(folder)
    meta = ext.metadata
    seeds = {d.id for d in load_seeds()}
    same_recipe = meta.get("recipe_config") == _recipe_stamp(config)
    if meta.get("dataset_fingerprint") != dataset_fingerprint(ds) or not same_recipe or seeds & set(meta.get("trained_on_documents", [])):
        return None
    return TrainResult(ext, json.loads((folder / TRAINING_METRICS).read_text()), folder)


def _recipe_stamp(config: TrainConfig) -> dict:
    """The recipe a shared stage belongs to, as saved with it and compared before reuse."""
    return replace(config, init_from=None, train_splits=[]).to_dict()


def _keep_stage(result: TrainResult, config: TrainConfig, output_dir: Path, stage: str) -> None:
    """Save a shared stage beside the model, stamped with the recipe it belongs to."""
    result.extractor.metadata["recipe_config"] = _recipe_stamp(config)
    result.output_dir = stage_dir(output_dir, stage)
    result.extractor.save_pretrained(result.output_dir, extra_files={
        TRAINING_METRICS: json.dumps(result.metrics, default=str) + "\n"})


def train_recipe(config: TrainConfig, ds: datasets.DatasetDict, output_dir: Path, progress: bool = True) -> TrainResult:
    """Every stage on the whole dataset (every seed article): the model that ships. Stages A and B1 are kept
    in ``<output>-stage-a/`` and ``<output>-stage-b1/`` so that cross-validation need not train them again."""
    if config.train_splits:  # an explicit choice of splits: one plain run
        return train_model(config, ds, output_dir, progress=progress)
    a = stage_a(config, ds, None, progress)
    if a is not None:
        _keep_stage(a, config, output_dir, "stage-a")
    b1 = stage_b1(config, ds, a, None, progress)
    if b1 is not None:
        _keep_stage(b1, config, output_dir, "stage-b1")
    return stage_b(config, ds, seed_splits(ds) or list(ds), a, Path(output_dir), progress, b1=b1)
