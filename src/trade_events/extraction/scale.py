"""Distributed batch extraction on Ray Data (optional extra: ``pip install "trade-events[ray]"``).

``extract_dataset`` reads JSONL or Parquet of ``{id, date, text}`` (local paths or any URI pyarrow's
filesystems accept), runs ``map_batches`` over an actor pool in which each actor loads the model once,
and commits flat event rows (and, on request, spans) as parts of an output folder through the same
``PartStore`` as the local engine: reruns skip finished documents, failures go to ``errors.jsonl``.
Ray restarts a killed actor and retries its batch; only batches that come back whole are committed,
so every document's rows are written exactly once.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from trade_events.extraction.batch import DocOutcome, PartStore, process_records, producer_of, record_from_line
from trade_events.io import atomic_write_json

#: ``{"num_cpus": ...}`` etc. given to ``ray.init`` when this module starts a local Ray.
LOCAL_RAY_ARGS = {"include_dashboard": False, "log_to_driver": False}
#: Reading and parsing are I/O-light next to the model: they take no CPU slot, so that the actor pool can
#: hold every core without starving the readers (which would deadlock a 2-core machine).
READ_CPUS = 0
#: Times a dead actor is restarted and its batch retried before the job stops. Ray Data's default is without
#: limit, so a document that kills its worker every time (a crash in native code, memory) would hang the job.
ACTOR_RETRIES = 3


class WorkerCrashError(RuntimeError):
    """A batch killed its Ray worker on every try; what was committed before stays, and a rerun resumes."""


def require_ray():
    """Import Ray, or say how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('the Ray engine needs the extra: pip install "trade-events[ray]"') from exc
    return ray


class _ExtractActor:
    """One pool actor: loads the model once, then turns batches of records into outcome JSON."""

    def __init__(self, model: str | None, int8: bool, with_spans: bool, threads: int,
                 skip_ids: frozenset[str], extractor_factory: Callable[[], object] | None = None) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch

        torch.set_num_threads(max(1, threads))
        if extractor_factory is not None:
            self.extractor = extractor_factory()
        else:
            from trade_events.model.load import load_extractor
            self.extractor = load_extractor(model, int8=int8)
        self.with_spans, self.skip_ids = with_spans, skip_ids

    def __call__(self, batch):
        records = [r for r in batch.to_pylist() if r.get("id") not in self.skip_ids]
        outcomes = process_records(self.extractor, records, self.with_spans) if records else []
        return {"outcome": [o.to_json() for o in outcomes]}


def _jsonl_rows(row: dict) -> list[dict]:
    """Split one JSONL file (read as bytes) into records; unreadable lines become error records."""
    return [record_from_line(raw, row["path"], n) for n, raw in enumerate(row["bytes"].splitlines(), 1)
            if raw.strip()]


def _parquet_batch(batch):
    """Parquet rows in the record shape the actors take (id as text, source, no error)."""
    import pyarrow as pa

    rows = batch.to_pylist()
    return pa.Table.from_pylist([
        {"id": None if r.get("id") is None else str(r["id"]), "date": None if r.get("date") is None else str(r["date"]),
         "text": r.get("text"), "source": f"parquet:{r.get('id')}", "error": None} for r in rows])


def read_dataset(inputs: Sequence[str]):
    """A Ray Dataset of records from JSONL and Parquet inputs (files, folders or URIs)."""
    ray = require_ray()
    jsonl = [p for p in inputs if not str(p).endswith(".parquet")]
    parquet = [p for p in inputs if str(p).endswith(".parquet")]
    parts = []
    if jsonl:
        parts.append(ray.data.read_binary_files(list(jsonl), include_paths=True, file_extensions=["jsonl"],
                                                num_cpus=READ_CPUS).flat_map(_jsonl_rows, num_cpus=READ_CPUS))
    if parquet:
        parts.append(ray.data.read_parquet(list(parquet), num_cpus=READ_CPUS)
                     .map_batches(_parquet_batch, batch_format="pyarrow", num_cpus=READ_CPUS))
    if not parts:
        raise ValueError("no inputs given")
    return parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])


def extract_dataset(inputs: Sequence[str], model: str | Path | None, output: str | Path, *, int8: bool = False,
                    fmt: str = "parquet", with_spans: bool = False, num_workers: int | None = None,
                    batch_size: int = 64, commit_every: int = 256, address: str | None = None,
                    extractor_factory: Callable[[], object] | None = None) -> dict:
    """Extract events from ``inputs`` into the output folder with Ray Data; returns the totals.

    ``model=None`` runs the rules. Without ``address`` a local Ray starts on all cores (or joins the
    one already running); ``num_workers`` actors (default: one per CPU) each use ``cpus // workers`` threads.
    """
    ray = require_ray()
    if not ray.is_initialized():
        ray.init(address=address, **({} if address else LOCAL_RAY_ARGS))
    cpus = int(ray.cluster_resources().get("CPU", 1))
    workers = num_workers or cpus
    threads = max(1, cpus // workers)
    store = PartStore(output, fmt, producer_of(model, int8) if extractor_factory is None else None)
    done = frozenset(store.committed_ids())
    # Parsed records are materialized in the object store (spilling to disk when large) in blocks of one batch,
    # so the pool gets many small tasks: a streaming repartition would wait forever for a CPU the actors hold.
    records = read_dataset([str(p) for p in inputs]).repartition(target_num_rows_per_block=batch_size).materialize()
    ds = records.map_batches(
        _ExtractActor, batch_size=batch_size, batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=threads,
        max_restarts=ACTOR_RETRIES, max_task_retries=ACTOR_RETRIES,
        fn_constructor_kwargs={"model": None if model is None else str(model), "int8": int8,
                               "with_spans": with_spans, "threads": threads, "skip_ids": done,
                               "extractor_factory": extractor_factory})
    pending: list[DocOutcome] = []
    try:
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            pending.extend(DocOutcome.from_json(s) for s in batch.column("outcome").to_pylist())
            if len(pending) >= commit_every:
                store.commit(pending)
                pending.clear()
    except ray.exceptions.RayError as exc:
        store.commit(pending)
        raise WorkerCrashError(
            f"a batch killed its Ray worker {ACTOR_RETRIES + 1} times ({type(exc).__name__}); the documents "
            f"done so far are committed in {output} and a rerun resumes after them. To find the document, "
            f"rerun with --batch-size 1: the job then stops on it alone") from exc
    store.commit(pending)
    totals = store.finish()
    totals["workers"], totals["threads_per_worker"] = workers, threads
    atomic_write_json(Path(output) / "_summary.json", totals)
    return totals
