"""Package a trained model for reuse: a self-contained folder with a model card, and a pip wheel
(``trade_events_model``), as spaCy ships its pipelines, that loads with no network."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from trade_events.io import atomic_dir
from trade_events.model.event_heads import EVENTS_DIR
from trade_events.model.files import MODEL_CARD, MODEL_PACKAGE, METADATA, check_model_folder
from trade_events.spans import LABELS

PACKAGE_FOLDER = "trade-events-model"
_INIT = '''"""The packaged trade-events model. Load it with
``trade_events.TradeEventExtractor.from_pretrained("trade-events-model")`` or ``trade_events_model.load()``."""
from pathlib import Path

__version__ = "{version}"


def model_path() -> Path:
    """The folder that holds config.json, model.safetensors and the tokenizer."""
    return Path(__file__).resolve().parent / "model"


def load(**kwargs):
    from trade_events.model.extractor import TradeEventExtractor
    return TradeEventExtractor.from_pretrained(model_path(), **kwargs)
'''


def training_data_lines(meta: dict) -> list[str]:
    """What the model was trained on, stage by stage, from its metadata (split names, no text)."""
    from trade_events.data.corpus import HAND_SPLIT

    pool = (meta.get("stage_a") or {}).get("splits", [])
    last = list(dict.fromkeys(meta.get("train_splits", [])))  # a split repeated in training is listed once
    lines = [f"- {len(meta.get('trained_on_documents', []))} documents in all; recipe: {meta.get('recipe', 'one stage')}"]
    if pool:
        lines.append(f"- weak labels of the `trade-events` labelling rules: {', '.join(pool)} (stage A)")
    if HAND_SPLIT in last:
        lines.append(f"- hand-labelled Reuters training stories (per the annotation guideline): {HAND_SPLIT}")
    others = [s for s in last if s != HAND_SPLIT]
    if others:
        lines.append(f"- weak labels of the labelling rules: {', '.join(others)}")
    return lines


def model_card(meta: dict, evaluation_md: str | None) -> str:
    """The model card README: schema, training data and hash, scores, versions, intended use and limits."""
    cfg = meta.get("config", {})
    versions = meta.get("versions", {})
    lines = [
        "---", "library_name: transformers", "pipeline_tag: token-classification", "language: en",
        "tags: [trade-policy, ner, token-classification, trade-events]", "---", "",
        "# trade-events-model", "",
        "A distilled transformer (6-layer MiniLM) fine-tuned to tag trade-policy entities in news text; the "
        "`trade-events` package turns its spans into normalized trade-event records.", "",
        "## Labels (IOB2)", "",
        "| type | marks |", "|---|---|",
        "| ACTOR | countries, blocs, governments and their bodies, named officials |",
        "| RATE | level or change of a trade measure (tariff rate, quota size) |",
        "| DATE | a calendar-placeable point or period anchoring an event |",
        "| MEASURE | the head phrase naming a trade-policy instrument |",
        "| PRODUCT | goods or sectors a measure covers |", "",
        f"`id2label`: {json.dumps({i: lab for i, lab in enumerate(LABELS)})}", "",
        "## Training data", "",
        *training_data_lines(meta),
        f"- dataset fingerprint (SHA-256 of tokens and tags): `{meta.get('dataset_fingerprint', 'n/a')}`",
        f"- base model: {cfg.get('base_model', 'n/a')}",
        f"- recipe: {json.dumps({k: v for k, v in cfg.items() if k not in ('train_splits', 'base_model')})}", "",
        "## Evaluation", "",
        "F1 (%) per type, strict IOB2 (seqeval), on hand-made gold the model never trained on, "
        "beside the labelling rules' F1 on the same gold:", "",
        evaluation_md.strip() if evaluation_md else "_no evaluation was supplied when this model was packaged_", "",
        "## Versions", "",
        *[f"- {k}: {v}" for k, v in versions.items()], "",
        "## Use", "",
        "```python",
        "from trade_events import TradeEventExtractor",
        'ext = TradeEventExtractor.from_pretrained("trade-events-model")  # or this folder\'s path',
        'ext.predict_spans("The U.S. cut tariffs on Chinese goods from 145% to 30% on May 12.")',
        "```", "",
        "It also loads in a plain `transformers.pipeline(\"token-classification\", model=<folder>, "
        "aggregation_strategy=\"first\")`.", "",
        "## Intended use and limits", "",
        "- For trade and policy analysts, economists and newsrooms screening English trade news; outputs are "
        "leads to verify against the source, not a hand-coded database.",
        "- Trained on few documents (weak labels of 2025 seed articles and, when present, weak and hand-made "
        "labels of 1987 Reuters trade stories): expect misses on unfamiliar actors, products and phrasing.",
        "- English only; uncased tokenizer; spans are flat (no nesting).",
        "- Not for decisions about individuals.",
        "", "Reuters-21578, Distribution 1.0 is acknowledged where its stories were used for training or evaluation.",
    ]
    return "\n".join(lines) + "\n"


def package_model(model_dir: Path, output: Path, evaluation_md: str | None = None,
                  version: str | None = None, int8: bool = False) -> tuple[Path, Path]:
    """Write ``output/trade-events-model/`` (the folder, with ``onnx/model.int8.onnx`` when ``int8``) and
    ``output/trade_events_model-*.whl``."""
    check_model_folder(Path(model_dir))
    meta = json.loads((Path(model_dir) / METADATA).read_text()) if (Path(model_dir) / METADATA).is_file() else {}
    version = version or meta.get("versions", {}).get("trade_events", "0.1.0")
    output = Path(output)
    folder = output / PACKAGE_FOLDER
    with atomic_dir(folder) as tmp:
        for f in Path(model_dir).iterdir():
            if f.is_file():
                shutil.copy2(f, tmp / f.name)
            elif f.name == EVENTS_DIR:  # the learned event extractor
                shutil.copytree(f, tmp / f.name)
        (tmp / MODEL_CARD).write_text(model_card(meta, evaluation_md), encoding="utf-8")
        if int8:
            from trade_events.model.extractor import TradeEventExtractor
            from trade_events.model.onnx_int8 import export_int8
            export_int8(TradeEventExtractor.from_pretrained(model_dir), tmp)
    wheel = build_wheel(folder, output, version)
    return folder, wheel


def build_wheel(folder: Path, output: Path, version: str) -> Path:
    """A pure-Python wheel holding ``trade_events_model/model/*`` (written to a temp name, then renamed)."""
    name = f"{MODEL_PACKAGE}-{version}-py3-none-any.whl"
    dist_info = f"{MODEL_PACKAGE}-{version}.dist-info"
    files: dict[str, bytes] = {f"{MODEL_PACKAGE}/__init__.py": _INIT.format(version=version).encode()}
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            files[f"{MODEL_PACKAGE}/model/{f.relative_to(folder).as_posix()}"] = f.read_bytes()
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\n"
        f"Name: {MODEL_PACKAGE.replace('_', '-')}\nVersion: {version}\n"
        "Summary: Packaged trade-events token-classification model (offline)\n"
        "Requires-Dist: trade-events\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: trade-events\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    output.mkdir(parents=True, exist_ok=True)
    tmp = output / f".{name}.tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    target = output / name
    tmp.replace(target)
    return target


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


__all__ = ["PACKAGE_FOLDER", "build_wheel", "model_card", "package_model"]
