"""The train step: the tagger by the staged recipe, then the event heads on the event gold, saved together."""
from __future__ import annotations

import json
from pathlib import Path

from trade_events.step import StepResult


def train_step(dataset_dir: Path, output: Path, config, progress: bool = True) -> StepResult:
    """Fine-tune on the labelled dataset (every split unless the config names some) and save the model."""
    from trade_events.data.dataset import load_dataset
    from trade_events.training.recipe import train_recipe

    ds = load_dataset(dataset_dir)
    result = train_recipe(config, ds, output, progress=progress)
    m = result.metrics
    heads_msg = _train_event_heads(result.extractor, config, output, m)
    res = StepResult(data={"metrics": m})
    last = "stage B2" if "stage_b1_runtime_s" in m else "stage B" if "stage_a_runtime_s" in m else "training"
    res.messages.append(f"{last}: {m['train_steps']} steps on {m['train_windows']} windows ({m['train_rows']} sentences), "
                        f"final loss {m['final_loss']:.3f}")
    stages = {k[6:-10].upper(): v for k, v in m.items() if k.startswith("stage_") and k.endswith("_runtime_s")}
    parts = [f"stage {k} {v:.0f} s" for k, v in stages.items()] + [f"{last} {m['train_runtime_s'] - sum(stages.values()):.0f} s"]
    res.messages.append(f"trained in {m['train_runtime_s']:.0f} s ({', '.join(parts)})")
    if heads_msg:
        res.messages.append(heads_msg)
    res.messages.append(f"model: {output}")
    return res


def _train_event_heads(extractor, config, output: Path, metrics: dict) -> str:
    """Fit the learned event extractor on the event gold (Reuters training stories and seeds) and save it
    into the model folder; the tagger is unchanged. Returns a line for the log ('' when switched off)."""
    import time

    from trade_events.data.gold_sets import event_training_set
    from trade_events.model.files import TRAINING_METRICS
    from trade_events.training.events import fit_on_gold_set

    if not config.event_heads:
        return ""
    gold = event_training_set(config.seed_repeats)
    start = time.perf_counter()
    fit_on_gold_set(extractor, gold, config.event_epochs, config.seed)
    extractor.save_pretrained(output, extra_files={TRAINING_METRICS: json.dumps(metrics, default=str) + "\n"})
    n = sum(len(v) for v in gold.events.values())
    return (f"event heads: {n} gold records in {len(gold.events)} documents ({gold.name}, seeds x{config.seed_repeats}), "
            f"trained in {time.perf_counter() - start:.0f} s")
