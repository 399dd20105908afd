"""Resumable, fault-tolerant batch extraction into an output folder; shared by the local and the Ray engine.

Data flow: input records ``{id, date, text}`` → ``process_records`` (one ``DocOutcome`` per document:
flat event rows, spans, or an error) → ``PartStore.commit`` (parts written atomically, then a commit
marker). A rerun reads the markers and skips the documents already committed; parts without a marker
(a run killed mid-commit) are deleted, so every document's rows are written exactly once.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trade_events.data.documents import Document, DocumentError, document_from_row, parse_jsonl_line, salvage_id
from trade_events.extraction.exports import ERROR_SCHEMA, EVENT_SCHEMA, FORMATS, SPAN_SCHEMA, flat_row, read_rows, write_rows
from trade_events.io import atomic_write_json, atomic_write_jsonl

EVENTS_DIR, SPANS_DIR, ERRORS_DIR, COMMITS_DIR = "events", "spans", "errors", "_commits"
ERRORS_FILE = "errors.jsonl"
#: What made an output folder (format and model), so that a rerun with another one is refused.
PRODUCER_FILE = "_producer.json"


def producer_of(model: str | Path | None, int8: bool = False) -> str:
    """A short identity of what extracts: ``rules``, or the hash of the model's weights (``-int8`` marked)."""
    import hashlib

    if model is None:
        return "rules"
    from trade_events.model.extractor import resolve_model_path
    from trade_events.model.files import WEIGHTS, hash_file

    weights = resolve_model_path(model) / WEIGHTS
    digest = hash_file(weights) if weights.is_file() else hashlib.sha256(str(model).encode())
    return digest.hexdigest()[:16] + ("-int8" if int8 else "")


@dataclass
class DocOutcome:
    """What one input document gave: its flat event rows and spans, or the reason it failed."""

    doc_id: str
    source: str = ""
    events: list[dict] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, s: str) -> "DocOutcome":
        return cls(**json.loads(s))


# ---------------------------------------------------------------------------------------------- reading
def record_from_line(raw: bytes, source: str, lineno: int) -> dict:
    """A JSONL line as a record; an unreadable line becomes a record carrying its ``error`` (and id if visible)."""
    fallback = f"{Path(source).stem}-{lineno}"
    try:
        doc = parse_jsonl_line(raw, f"{source}:{lineno}", fallback)
        return {"id": doc.id, "date": doc.date.isoformat() if doc.date else None, "text": doc.text,
                "source": f"{source}:{lineno}", "error": None}
    except DocumentError as exc:
        return {"id": salvage_id(raw) or fallback, "date": None, "text": None, "source": f"{source}:{lineno}",
                "error": str(exc)}


def read_records(inputs: Sequence[str]) -> Iterator[dict]:
    """Records from JSONL or Parquet files (local paths or any URI pyarrow's filesystems accept)."""
    import pyarrow.fs as pafs

    for uri in inputs:
        fs, path = pafs.FileSystem.from_uri(uri) if "://" in uri else (pafs.LocalFileSystem(), os.path.abspath(uri))
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise DocumentError(f"{uri}: no such file")
        files = [f.path for f in fs.get_file_info(pafs.FileSelector(path, recursive=True))
                 if f.type == pafs.FileType.File and f.path.endswith((".jsonl", ".parquet"))] \
            if info.type == pafs.FileType.Directory else [path]
        for f in sorted(files):
            if f.endswith(".parquet"):
                yield from _parquet_records(fs, f)
            else:
                with fs.open_input_stream(f) as fh:
                    for lineno, raw in enumerate(fh.read().splitlines(), 1):
                        if raw.strip():
                            yield record_from_line(raw, f, lineno)


def _parquet_records(fs, path: str) -> Iterator[dict]:
    import pyarrow.parquet as pq

    table = pq.read_table(path, filesystem=fs)
    missing = {"id", "text"} - set(table.column_names)
    if missing:
        raise DocumentError(f"{path}: Parquet input needs columns id and text (missing {sorted(missing)})")
    for i, row in enumerate(table.select([c for c in ("id", "date", "text") if c in table.column_names])
                            .to_pylist()):
        yield {"id": str(row["id"]) if row["id"] is not None else None, "date": row.get("date"),
               "text": row["text"], "source": f"{path}#{i}", "error": None}


# ---------------------------------------------------------------------------------------------- processing
def process_records(extractor, records: Sequence[dict], with_spans: bool = False) -> list[DocOutcome]:
    """Spans and flat event rows for each record, through the one extraction loop (``loop``); a failing
    document is isolated, never fatal."""
    from trade_events.extraction.loop import extract_documents

    info = extractor.model_info()
    outcomes: dict[int, DocOutcome] = {}
    docs: list[tuple[int, Document]] = []
    for k, rec in enumerate(records):
        rid, source = rec.get("id") or f"record-{k}", rec.get("source") or ""
        if rec.get("error"):
            outcomes[k] = DocOutcome(str(rid), source, error=rec["error"])
            continue
        try:
            docs.append((k, document_from_row(rec, str(rid))))
        except (DocumentError, ValueError, TypeError) as exc:
            outcomes[k] = DocOutcome(str(rid), source, error=str(exc))
    results = extract_documents(extractor, [d for _, d in docs], batch_size=max(1, len(docs)))
    for (k, d), r in zip(docs, results):
        source = records[k].get("source") or ""
        if r.error is not None:
            outcomes[k] = DocOutcome(d.id, source, error=r.error)
        else:
            outcomes[k] = DocOutcome(d.id, source, [flat_row(e, info) for e in r.events],
                                     [{"doc_id": d.id, **s.to_dict()} for s in r.spans] if with_spans else [])
    return [outcomes[k] for k in range(len(records))]


# ---------------------------------------------------------------------------------------------- output
class PartStore:
    """An output folder of committed parts: ``events/``, ``spans/``, ``errors/`` and ``_commits/`` markers."""

    def __init__(self, root: str | Path, fmt: str = "parquet", producer: str | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
        self.root, self.fmt = Path(root), fmt
        if self.root.exists() and not self.root.is_dir():
            raise ValueError(f"{self.root}: is a file; the output of this format is a folder")
        self._check_producer(producer)
        (self.root / COMMITS_DIR).mkdir(parents=True, exist_ok=True)
        self._markers = self._read_markers()
        self._drop_uncommitted()

    def _check_producer(self, producer: str | None) -> None:
        """A rerun resumes only the job that made the folder: the same format and model. Another one would
        skip every document already done there and mix two models' rows, so it is refused."""
        here = {"format": self.fmt, "producer": producer}
        file = self.root / PRODUCER_FILE
        if file.is_file():
            before = json.loads(file.read_text(encoding="utf-8"))
            for key, what in (("format", "format"), ("producer", "model")):
                if before.get(key) is not None and here[key] is not None and before[key] != here[key]:
                    raise ValueError(f"{self.root}: this folder holds a run with {what} {before[key]!r}, not "
                                     f"{here[key]!r}; its documents would be skipped. Use a new output folder "
                                     "(or delete this one)")
        elif self.root.is_dir() and any((self.root / EVENTS_DIR).glob("part-*")):
            other = {f.suffix.lstrip(".") for f in (self.root / EVENTS_DIR).glob("part-*")} - {self.fmt}
            if other:
                raise ValueError(f"{self.root}: this folder holds {', '.join(sorted(other))} parts, not {self.fmt}; "
                                 "use a new output folder (or delete this one)")
        if not file.is_file():
            atomic_write_json(file, here)

    def _read_markers(self) -> dict[str, dict]:
        markers = {}
        for f in sorted((self.root / COMMITS_DIR).glob("part-*.json")):
            markers[f.stem] = json.loads(f.read_text(encoding="utf-8"))
        return markers

    def _drop_uncommitted(self) -> None:
        """Delete parts a killed run wrote without its commit marker (their documents are redone)."""
        for sub in (EVENTS_DIR, SPANS_DIR, ERRORS_DIR):
            for f in (self.root / sub).glob("*"):
                if f.name.split(".")[0] not in self._markers:
                    f.unlink()

    def committed_ids(self) -> set[str]:
        """Documents already done (with events, with none, or with an error)."""
        return {d for m in self._markers.values() for d in m["docs"]}

    def commit(self, outcomes: Sequence[DocOutcome]) -> None:
        """Write one part per kind, then the marker that makes them count."""
        if not outcomes:
            return
        part = f"part-{len(self._markers):05d}-{uuid.uuid4().hex[:8]}"
        events = [r for o in outcomes for r in o.events]
        spans = [r for o in outcomes for r in o.spans]
        errors = [{"doc_id": o.doc_id, "source": o.source, "reason": o.error} for o in outcomes if o.error]
        for sub, rows, schema, fmt in ((EVENTS_DIR, events, EVENT_SCHEMA, self.fmt),
                                       (SPANS_DIR, spans, SPAN_SCHEMA, self.fmt),
                                       (ERRORS_DIR, errors, ERROR_SCHEMA, "jsonl")):
            if rows:
                write_rows(self.root / sub / f"{part}.{fmt}", rows, fmt, schema)
        marker = {"docs": [o.doc_id for o in outcomes], "events": len(events), "errors": len(errors)}
        atomic_write_json(self.root / COMMITS_DIR / f"{part}.json", marker)
        self._markers[part] = marker

    def finish(self) -> dict:
        """Gather every error into ``errors.jsonl`` and return the totals over all runs into this folder."""
        errors = read_rows(self.root / ERRORS_DIR) if (self.root / ERRORS_DIR).is_dir() else []
        atomic_write_jsonl(self.root / ERRORS_FILE, errors)
        return {"documents": len(self.committed_ids()), "events": sum(m["events"] for m in self._markers.values()),
                "errors": len(errors), "parts": len(self._markers)}


def run_local(extractor, records: Iterable[dict], store: PartStore, batch_size: int = 64,
              commit_every: int = 256, with_spans: bool = False,
              progress: Callable[[int], None] | None = None) -> dict:
    """Extract in this process: skip committed documents; every ``commit_every`` documents, process them in
    batches of similar length (less padding) and commit."""
    done = store.committed_ids()
    chunk: list[dict] = []

    def flush() -> None:
        ranked = sorted(chunk, key=lambda r: len(r.get("text") or ""))
        outcomes = []
        for b in range(0, len(ranked), batch_size):
            outcomes += process_records(extractor, ranked[b:b + batch_size], with_spans)
            if progress is not None:
                progress(len(ranked[b:b + batch_size]))
        store.commit(outcomes)
        chunk.clear()

    for rec in records:
        if rec.get("id") in done:
            continue
        chunk.append(rec)
        if len(chunk) >= commit_every:
            flush()
    if chunk:
        flush()
    return store.finish()
