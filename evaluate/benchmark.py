"""Speed and memory of extraction, measured against its own ceiling (the raw forward pass over the
same windows). Numbers go in the README; tests never assert timings."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from trade_events.data.documents import Document
from trade_events.data.words import split_words
from trade_events.model.windows import encode_windows, length_sorted_window_batches, pad_batch


@dataclass
class Timing:
    """Median and spread of repeated runs (seconds)."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        return (max(self.runs) - min(self.runs)) if self.runs else 0.0

    def to_dict(self) -> dict:
        return {"median_s": round(self.median, 4), "min_s": round(min(self.runs), 4),
                "max_s": round(max(self.runs), 4), "runs": [round(r, 4) for r in self.runs]}


def repeat(fn: Callable[[], object], n: int, warmup: bool = True) -> Timing:
    """Time ``fn`` ``n`` times after one untimed warm-up run (first-call allocations, lazy inits)."""
    if warmup:
        fn()
    t = Timing()
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        t.runs.append(time.perf_counter() - t0)
    return t


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "torch_threads": torch.get_num_threads(),
            "python": platform.python_version(), "torch": torch.__version__}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def benchmark_model(load: Callable[[], object], docs: list[Document], repeats: int = 3,
                    batch_size: int = 64, latency_docs: int = 100) -> dict:
    """End-to-end extraction vs the raw forward ceiling on the same windows, plus load time and latency."""
    load_t = repeat(load, repeats, warmup=False)
    ext = load()
    windows = [w for i, d in enumerate(docs) for w in encode_windows(
        ext.tokenizer, [x.text for x in split_words(d.text)], ext.max_length, ext.stride, i)]
    n_tokens = sum(len(w.input_ids) for w in windows)
    batches = forward_batches(windows, ext.batch_size, ext.tokenizer.pad_token_id or 0)
    ceiling = repeat(lambda: ext.raw_forward(batches), repeats)

    from trade_events.data.documents import length_sorted_batches

    batches_of_docs = [[docs[k] for k in b] for b in length_sorted_batches([len(d.text) for d in docs], batch_size)]

    def run_all() -> None:  # as `extract` runs: documents of similar length batched together
        for batch in batches_of_docs:
            ext.extract_batch(batch)

    e2e = repeat(run_all, repeats)
    lat = []
    for d in docs[:latency_docs]:
        t0 = time.perf_counter()
        ext.extract_batch([d])
        lat.append(time.perf_counter() - t0)
    lat.sort()
    return {
        "documents": len(docs), "windows": len(windows), "tokens": n_tokens,
        "load": load_t.to_dict(),
        "end_to_end": e2e.to_dict() | {"docs_per_s": round(len(docs) / e2e.median, 2),
                                       "tokens_per_s": round(n_tokens / e2e.median, 1)},
        "ceiling_forward": ceiling.to_dict() | {"tokens_per_s": round(n_tokens / ceiling.median, 1)},
        "fraction_of_ceiling": round(ceiling.median / e2e.median, 3),
        "latency_per_doc_s": {"p50": round(lat[len(lat) // 2], 4), "p95": round(lat[int(0.95 * (len(lat) - 1))], 4),
                              "documents": len(lat)},
    }


def forward_batches(windows, batch_size: int, pad: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The padded tensors the extractor feeds the model (same length sort and batch size), built once."""
    return [pad_batch([windows[k] for k in b], pad) for b in length_sorted_window_batches(windows, batch_size)]


def benchmark_rules(docs: list[Document], repeats: int = 3) -> dict:
    from trade_events.model.rules import RulesExtractor

    ext = RulesExtractor()
    t = repeat(lambda: ext.extract_batch(docs), repeats)
    return t.to_dict() | {"docs_per_s": round(len(docs) / t.median, 2)}


def benchmark_scaling(model: Path, inputs: list[str], workers: tuple[int, ...] = (1, 2), batch_size: int = 64) -> dict:
    """Documents/s of the resumable batch job over ``inputs``: the local engine, then Ray with 1, 2, … workers.

    Each run writes Parquet into a fresh folder and includes model loading in every worker, as a user's
    job would; Ray's own start-up is timed apart (it is paid once per cluster, not per job).
    """
    import tempfile

    from trade_events.extraction.batch import PartStore, read_records, run_local
    from trade_events.model.extractor import TradeEventExtractor

    out: dict = {"inputs": inputs}
    with tempfile.TemporaryDirectory(prefix="trade-events-scale-") as work:
        t0 = time.perf_counter()
        totals = run_local(TradeEventExtractor.from_pretrained(model), read_records(inputs),
                           PartStore(Path(work) / "local"), batch_size)
        out["local"] = _rate(totals, time.perf_counter() - t0, torch.get_num_threads())
        try:
            import ray

            from trade_events.extraction.scale import LOCAL_RAY_ARGS, extract_dataset
        except ImportError as exc:  # pragma: no cover - the extra is not installed
            out["ray"] = f"skipped: {exc}"
            return out
        t0 = time.perf_counter()
        ray.init(num_cpus=os.cpu_count(), **LOCAL_RAY_ARGS)
        out["ray_start_s"] = round(time.perf_counter() - t0, 2)
        try:
            for n in workers:
                t0 = time.perf_counter()
                totals = extract_dataset(inputs, model, Path(work) / f"ray{n}", num_workers=n, batch_size=batch_size)
                out[f"ray_{n}_workers"] = _rate(totals, time.perf_counter() - t0, os.cpu_count() or 1)
        finally:
            ray.shutdown()
    return out


def _rate(totals: dict, seconds: float, cores: int) -> dict:
    return {"documents": totals["documents"], "events": totals["events"], "seconds": round(seconds, 2),
            "docs_per_s": round(totals["documents"] / seconds, 2),
            "stories_per_hour_per_core": round(3600 * totals["documents"] / seconds / cores)}


def write_report(path: Path, report: dict) -> None:
    from trade_events.io import atomic_write_text
    atomic_write_text(path, json.dumps(report, indent=2) + "\n")


__all__ = ["Timing", "benchmark_model", "benchmark_rules", "benchmark_scaling", "machine", "peak_rss_mb", "repeat", "write_report"]
