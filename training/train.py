"""Fine-tune a token-classification head on a distilled transformer with the Hugging Face ``Trainer``."""
from __future__ import annotations

import json
import platform
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import datasets
import torch

from trade_events.data.dataset import dataset_fingerprint
from trade_events.model.base import resolve_base_model
from trade_events.model.extractor import TradeEventExtractor
from trade_events.model.files import TRAINING_METRICS
from trade_events.spans import ID2LABEL, LABEL2ID, LABELS
from trade_events.training.alignment import IGNORE, tokenize_dataset
from trade_events.training.config import TrainConfig


@dataclass
class TrainResult:
    extractor: TradeEventExtractor
    metrics: dict
    output_dir: Path | None


def versions() -> dict[str, str]:
    """Versions of what shaped a model, recorded in its metadata for reproducibility."""
    import accelerate
    import transformers

    from trade_events._version import __version__

    return {"trade_events": __version__, "transformers": transformers.__version__,
            "torch": torch.__version__, "datasets": datasets.__version__, "accelerate": accelerate.__version__,
            "python": platform.python_version()}


def select_splits(ds: datasets.DatasetDict, names: list[str]) -> datasets.Dataset:
    """The concatenation of the named splits (all splits when ``names`` is empty)."""
    names = names or sorted(ds)
    missing = [n for n in names if n not in ds]
    if missing:
        raise ValueError(f"dataset has no split(s) {missing}; it has {sorted(ds)}")
    return datasets.concatenate_datasets([ds[n] for n in names])


def weighted_loss(entity_weight: float):
    """Cross-entropy with ``O`` down-weighted relative to entity tags (``entity_weight`` > 1 favours recall)."""
    weights = torch.ones(len(LABELS))
    weights[1:] = entity_weight

    def loss_fn(outputs, labels, num_items_in_batch=None):
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs.logits
        return torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), weight=weights.to(logits.device),
            ignore_index=IGNORE)
    return loss_fn


def train_model(config: TrainConfig, dataset: datasets.DatasetDict, output_dir: str | Path | None = None,
                progress: bool = True, extra_metadata: dict | None = None,
                replay: datasets.Dataset | None = None) -> TrainResult:
    """Fine-tune on the selected splits; save the model (atomically) when ``output_dir`` is given."""
    from transformers import (AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification,
                              Trainer, TrainingArguments, set_seed)

    set_seed(config.seed)
    base = config.init_from or resolve_base_model(config.base_model)
    if config.init_from:
        from trade_events.model.files import check_model_folder
        check_model_folder(Path(config.init_from))
    tokenizer = AutoTokenizer.from_pretrained(base, trust_remote_code=False)
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=ID2LABEL, label2id=LABEL2ID, use_safetensors=True,
        trust_remote_code=False)
    train_rows = select_splits(dataset, config.train_splits)
    if replay is not None and len(replay):
        train_rows = datasets.concatenate_datasets([train_rows, replay])
    tokenized = tokenize_dataset(train_rows, tokenizer, config.max_length, config.stride)
    steps_per_epoch = max(1, -(-len(tokenized) // config.batch_size))
    total = config.max_steps if config.max_steps > 0 else int(steps_per_epoch * config.epochs)
    with tempfile.TemporaryDirectory(prefix="trade-events-train-") as scratch:
        args = TrainingArguments(
            output_dir=scratch, per_device_train_batch_size=config.batch_size, num_train_epochs=config.epochs,
            max_steps=config.max_steps, learning_rate=config.learning_rate, weight_decay=config.weight_decay,
            warmup_steps=int(config.warmup_ratio * total), lr_scheduler_type="linear", seed=config.seed,
            data_seed=config.seed, use_cpu=True, report_to="none", save_strategy="no", eval_strategy="no",
            logging_steps=max(1, min(25, total // 10)), disable_tqdm=not progress, dataloader_num_workers=0,
            train_sampling_strategy="group_by_length" if config.group_by_length else "random")
        trainer = Trainer(
            model=model, args=args, train_dataset=tokenized, processing_class=tokenizer,
            data_collator=DataCollatorForTokenClassification(tokenizer, label_pad_token_id=IGNORE),
            compute_loss_func=weighted_loss(config.entity_weight) if config.entity_weight != 1.0 else None)
        if not progress:  # without a progress bar the Trainer prints every log dict; they stay in the metrics
            from transformers.trainer_callback import PrinterCallback
            trainer.remove_callback(PrinterCallback)
        t0 = time.perf_counter()
        out = trainer.train()
        seconds = time.perf_counter() - t0
    metrics = {"train_runtime_s": round(seconds, 1), "train_steps": out.global_step,
               "train_windows": len(tokenized), "train_rows": len(train_rows),
               "train_samples_per_s": round(out.global_step * config.batch_size / seconds, 2),
               "final_loss": out.training_loss, "log_history": trainer.state.log_history}
    extractor = TradeEventExtractor(model, tokenizer, max_length=config.max_length, stride=config.stride)
    meta = {"config": config.to_dict(), "base_model_path": base, "versions": versions(),
            "dataset_fingerprint": dataset_fingerprint(dataset),
            "train_splits": config.train_splits or sorted(dataset),
            "trained_on_documents": sorted(set(train_rows["doc_id"])), **(extra_metadata or {})}
    extractor.metadata = meta
    if output_dir is not None:
        extractor.save_pretrained(output_dir, extra_files={
            TRAINING_METRICS: json.dumps(metrics, indent=2, default=str) + "\n"})
    return TrainResult(extractor, metrics, Path(output_dir) if output_dir else None)
