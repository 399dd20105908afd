"""Flat event rows (one row per event) for pandas, DuckDB and Polars, with stable content-hash ids.

The nested EVENTS.md record (``TradeEvent.to_dict``) stays the reference; this module flattens it into
the columns analysts filter and join on, and writes them as JSONL, CSV or Parquet.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa

from trade_events.model.info import ModelInfo
from trade_events.events.records import TradeEvent
from trade_events.io import atomic_write_bytes, atomic_write_text

FORMATS = ("jsonl", "csv", "parquet")

#: The flat schema: one row per event. List columns are joined with ``;`` in CSV.
EVENT_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("event_id", pa.string()),
    ("action", pa.string()), ("measure_type", pa.string()), ("mast_chapter", pa.string()),
    ("implementer_text", pa.string()), ("implementer_iso3", pa.string()),
    ("affected_text", pa.list_(pa.string())), ("affected_iso3", pa.list_(pa.string())),
    ("rate_text", pa.string()), ("rate_value", pa.float64()), ("rate_unit", pa.string()),
    ("previous_rate_text", pa.string()), ("previous_rate_value", pa.float64()), ("previous_rate_unit", pa.string()),
    ("date_text", pa.string()), ("date_value", pa.string()), ("date_precision", pa.string()),
    ("products", pa.list_(pa.string())),
    ("evidence_start", pa.int64()), ("evidence_end", pa.int64()), ("evidence_text", pa.string()),
    ("confidence", pa.float64()),
    ("model_name", pa.string()), ("model_version", pa.string()), ("model_hash", pa.string()),
])
#: Spans, one row per span, for ``--spans`` in the scale-out path.
SPAN_SCHEMA = pa.schema([("doc_id", pa.string()), ("label", pa.string()), ("start", pa.int64()),
                         ("end", pa.int64()), ("text", pa.string()), ("score", pa.float64())])
#: Documents that could not be processed, with the reason.
ERROR_SCHEMA = pa.schema([("doc_id", pa.string()), ("source", pa.string()), ("reason", pa.string())])


def event_id(doc_id: str, event: TradeEvent, model_hash: str) -> str:
    """A stable id: the same document, evidence, measure type, action and model always give the same id.

    The implementer, the affected parties and the rate are hashed too, because one sentence often reports
    both sides ("the U.S. cut its tariff to 30% and China to 10%"): two events, one evidence span.
    """
    ev, imp = event.evidence, event.implementer
    key = "\x1f".join([doc_id, str(ev.start if ev else -1), str(ev.end if ev else -1),
                       event.measure_type, event.action, model_hash,
                       (imp.iso3 or imp.text) if imp else "", ",".join(p.iso3 or p.text for p in event.affected),
                       event.rate.text if event.rate else ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def flat_row(event: TradeEvent, model: ModelInfo) -> dict:
    """One event as a flat row of ``EVENT_SCHEMA``."""
    imp, rate, prev, date, ev = event.implementer, event.rate, event.previous_rate, event.date, event.evidence
    return {
        "doc_id": event.doc_id, "event_id": event_id(event.doc_id, event, model.hash),
        "action": event.action, "measure_type": event.measure_type, "mast_chapter": event.mast_chapter,
        "implementer_text": imp.text if imp else None, "implementer_iso3": imp.iso3 if imp else None,
        "affected_text": [p.text for p in event.affected],
        "affected_iso3": [p.iso3 for p in event.affected if p.iso3],
        "rate_text": rate.text if rate else None, "rate_value": rate.value if rate else None,
        "rate_unit": rate.unit if rate else None,
        "previous_rate_text": prev.text if prev else None, "previous_rate_value": prev.value if prev else None,
        "previous_rate_unit": prev.unit if prev else None,
        "date_text": date.text if date else None, "date_value": date.value if date else None,
        "date_precision": date.precision if date else None,
        "products": list(event.products),
        "evidence_start": ev.start if ev else None, "evidence_end": ev.end if ev else None,
        "evidence_text": ev.text if ev else None,
        "confidence": round(float(event.confidence), 4),
        "model_name": model.name, "model_version": model.version, "model_hash": model.hash,
    }


def to_table(rows: Sequence[dict], schema: pa.Schema = EVENT_SCHEMA) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=schema)


def encode_rows(rows: Sequence[dict], fmt: str, schema: pa.Schema = EVENT_SCHEMA) -> bytes:
    """Rows serialised as ``jsonl``, ``csv`` (lists joined with ``;``) or ``parquet``."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=schema.names, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
        return buf.getvalue().encode("utf-8")
    if fmt == "parquet":
        import pyarrow.parquet as pq
        sink = pa.BufferOutputStream()
        pq.write_table(to_table(rows, schema), sink)
        return sink.getvalue().to_pybytes()
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def write_rows(path: str | Path, rows: Iterable[dict], fmt: str, schema: pa.Schema = EVENT_SCHEMA) -> Path:
    """Write rows atomically in the given format."""
    data = encode_rows(list(rows), fmt, schema)
    return atomic_write_text(path, data.decode("utf-8")) if fmt != "parquet" else atomic_write_bytes(path, data)


def read_rows(path: str | Path, fmt: str | None = None) -> list[dict]:
    """Read back rows written by ``write_rows`` (a file, or a folder of Parquet/JSONL parts)."""
    path = Path(path)
    if path.is_dir():
        return [r for part in sorted(path.glob("part-*")) if not part.name.startswith(".")
                for r in read_rows(part)]
    fmt = fmt or path.suffix.lstrip(".")
    if fmt == "parquet":
        import pyarrow.parquet as pq
        return pq.read_table(path).to_pylist()
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    raise ValueError(f"{path}: cannot read back format {fmt!r}")
