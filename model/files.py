"""File names inside a model folder, and the checks that make a bad folder fail with a clear message."""
from __future__ import annotations

import json
from pathlib import Path

from trade_events.spans import LABELS

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.json"
METADATA = "trade_events.json"
MODEL_CARD = "README.md"
TRAINING_METRICS = "training_metrics.json"
#: The importable name of a packaged model wheel (``pip install trade_events_model-*.whl``).
MODEL_PACKAGE = "trade_events_model"


class ModelLoadError(RuntimeError):
    """A model folder that cannot be used: missing, incomplete, corrupted or with a mismatched label map."""


def check_model_folder(path: Path) -> dict:
    """Validate a trained model folder before loading it; return its ``config.json``.

    Weights load from safetensors only; the label map in ``config.json`` must be this package's
    label set and must match the classifier's output size in the weights.
    """
    if not path.exists():
        raise ModelLoadError(f"{path}: no such model folder (train one with `trade-events train`)")
    if not path.is_dir():
        raise ModelLoadError(f"{path}: not a folder")
    if not (path / CONFIG).is_file():
        raise ModelLoadError(f"{path}: no {CONFIG}; not a Hugging Face model folder")
    if not (path / WEIGHTS).is_file():
        others = sorted(p.name for p in path.glob("*.bin")) + sorted(p.name for p in path.glob("*.pt*"))
        hint = f" (found {', '.join(others)}: pickled weights are never loaded)" if others else ""
        raise ModelLoadError(f"{path}: no {WEIGHTS}; this package loads weights from safetensors only{hint}")
    try:
        config = json.loads((path / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{path / CONFIG}: unreadable ({exc})") from exc
    id2label = {int(k): v for k, v in (config.get("id2label") or {}).items()}
    unknown = sorted(set(id2label.values()) - set(LABELS))
    if unknown or sorted(id2label) != list(range(len(id2label))):
        raise ModelLoadError(f"{path / CONFIG}: id2label {id2label} is not a label map of this package "
                             f"(labels {list(LABELS)}; unknown {unknown})")
    n_out = classifier_outputs(path / WEIGHTS)
    if n_out is not None and n_out != len(id2label):
        raise ModelLoadError(f"{path}: config.json maps {len(id2label)} labels but the weights' classifier "
                             f"has {n_out} outputs; the label map does not match the weights")
    if not (path / TOKENIZER).is_file() and not (path / "vocab.txt").is_file():
        raise ModelLoadError(f"{path}: no tokenizer files ({TOKENIZER})")
    return config


def classifier_outputs(weights: Path) -> int | None:
    """Output size of the token-classification head in a safetensors file (``None`` if it has none)."""
    from safetensors import safe_open

    try:
        with safe_open(str(weights), framework="pt") as fh:
            for key in fh.keys():
                if key.endswith("classifier.weight"):
                    return int(fh.get_slice(key).get_shape()[0])
    except Exception as exc:  # safetensors raises its own error types for corrupted headers
        raise ModelLoadError(f"{weights}: corrupted safetensors file ({exc})") from exc
    return None


def check_label_map(path: Path, config: dict, metadata: dict) -> None:
    """The label map in ``config.json`` must be the one the weights were trained with, as recorded in the
    training metadata: a map of the right size with labels swapped loads without error and tags
    every span with the wrong type. (Folders saved before the record was kept are not checked.)"""
    trained = metadata.get("id2label")
    if trained is None:
        return
    current = [config.get("id2label", {}).get(str(i)) for i in range(len(config.get("id2label", {})))]
    if current != list(trained):
        swapped = [f"{i}: {c} (trained as {t})" for i, (c, t) in enumerate(zip(current, trained)) if c != t]
        raise ModelLoadError(f"{path / CONFIG}: id2label does not match the label map the weights were trained "
                             f"with ({METADATA}): {', '.join(swapped) or 'different size'}")


def hash_file(path: Path, digest=None):
    """``digest`` (a new sha256 when ``None``) updated with the bytes of ``path``, read in 1 MiB blocks."""
    import hashlib

    digest = digest if digest is not None else hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest
