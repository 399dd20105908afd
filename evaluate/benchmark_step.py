"""The benchmark step: extraction speed and memory (fp32, int8, rules, the batch engines) against the raw
forward-pass ceiling, with the int8 path's F1 change; the numbers the README's speed tables come from."""
from __future__ import annotations

import json
from pathlib import Path

from trade_events.data import corpus as corpus_mod
from trade_events.data.documents import load_jsonl, load_seeds
from trade_events.data.gold_sets import reuters_dev_gold
from trade_events.evaluate.leakage import held_out_docs
from trade_events.evaluate.step import EVALUATION_JSON
from trade_events.model.load import load_extractor
from trade_events.step import StepResult

# ---------------------------------------------------------------------------------------------- benchmark
def evaluation_report(evaluation: Path | None, model: Path) -> dict | None:
    """``evaluation.json`` in (or at) ``evaluation``, read and checked to score ``model``'s weights; a clear
    error when it is given but absent or scores other weights (checked before minutes of timing, not after)."""
    if evaluation is None:
        return None
    path = Path(evaluation) / EVALUATION_JSON if Path(evaluation).is_dir() else Path(evaluation)
    if not path.is_file():
        raise ValueError(f"{path}: no evaluation report there (run `trade-events evaluate` on this model first)")
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("model", {}).get("hash") != load_extractor(model).model_info().hash:
        raise ValueError(f"{path} scores other weights than {model}: run evaluate on this model first")
    return report


def int8_f1_change(model: Path, evaluation: dict | None = None) -> dict:
    """Micro F1 of the fp32 and int8 paths: on the Reuters dev gold (scored here, on held-out stories) and,
    from ``evaluation`` (``evaluation_report`` of the same weights), on the seeds by leave-one-article-out."""
    from trade_events.evaluate.spans import score_spans

    fp32, int8 = load_extractor(model), load_extractor(model, int8=True)
    out: dict = {}
    dev = reuters_dev_gold()
    if dev is not None:
        docs = held_out_docs(dev[0], set(fp32.metadata.get("trained_on_documents", [])), "reuters_dev", strict=True)
        texts, ids = [d.text for d in docs], [d.id for d in docs]
        out["reuters_dev"] = {name: round(100 * score_spans(docs, dev[1], dict(zip(ids, ext.predict_spans_batch(texts)))).micro.f1, 1)
                              for name, ext in (("fp32", fp32), ("int8", int8))}
    pooled = (evaluation or {}).get("seeds_crossval", {}).get("pooled", {})
    if "model-int8" in pooled:
        out["seeds_crossval"] = {"fp32": round(100 * pooled["model"]["micro"]["f1"], 1),
                                 "int8": round(100 * pooled["model-int8"]["micro"]["f1"], 1)}
    for v in out.values():
        v["change"] = round(v["int8"] - v["fp32"], 1)
    return out


def benchmark_step(model: Path, output: Path, repeats: int = 3, batch_size: int = 64,
                   seeds_only: bool = False, scaling: bool = True, evaluation: Path | None = None) -> StepResult:
    """Extraction speed over the corpus (train + blind text, timing only) and the seeds, vs the ceiling."""
    from trade_events.evaluate import benchmark as bm
    from trade_events.model.extractor import TradeEventExtractor

    res = StepResult()
    seeds_evaluation = evaluation_report(evaluation, model)  # checked before minutes of timing, not after
    docs = load_seeds()
    folder = corpus_mod.corpus_dir()
    if folder is not None and not seeds_only:
        docs = docs + load_jsonl(folder / corpus_mod.TRAIN_FILE) + load_jsonl(folder / corpus_mod.BLIND_FILE)
    elif not seeds_only:
        res.messages.append("Reuters corpus absent: timing the seeds alone")
    report = {"machine": bm.machine(), "model": str(model), "repeats": repeats, "batch_size": batch_size}
    report["model_fp32"] = bm.benchmark_model(lambda: TradeEventExtractor.from_pretrained(model), docs,
                                              repeats, batch_size)
    try:
        report["model_int8"] = bm.benchmark_model(lambda: load_extractor(model, int8=True), docs, repeats, batch_size)
        report["int8_speedup"] = round(report["model_int8"]["end_to_end"]["tokens_per_s"] /
                                       report["model_fp32"]["end_to_end"]["tokens_per_s"], 2)
        report["int8_f1"] = int8_f1_change(model, seeds_evaluation)
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        res.messages.append(f"int8 path skipped: {exc}")
    report["rules"] = bm.benchmark_rules(docs, repeats)
    metrics = Path(model) / "training_metrics.json"
    if metrics.is_file():
        import json
        m = json.loads(metrics.read_text())
        report["training"] = {k: m.get(k) for k in ("train_runtime_s", "train_samples_per_s", "train_steps",
                                                    "train_windows")}
    report["peak_rss_mb"] = round(bm.peak_rss_mb(), 1)
    if scaling and folder is not None and not seeds_only:
        report["scaling"] = bm.benchmark_scaling(model, [str(folder / corpus_mod.TRAIN_FILE),
                                                        str(folder / corpus_mod.BLIND_FILE)], batch_size=batch_size)
    bm.write_report(output, report)
    fp = report["model_fp32"]
    res.messages += [
        f"machine: {report['machine']['cpu']} ({report['machine']['cores']} cores, torch threads {report['machine']['torch_threads']})",
        f"documents {fp['documents']}, windows {fp['windows']}, tokens {fp['tokens']}",
        f"model load: {fp['load']['median_s']:.2f} s (median of {repeats})",
        f"extraction: {fp['end_to_end']['docs_per_s']:.1f} docs/s, {fp['end_to_end']['tokens_per_s']:.0f} tokens/s "
        f"(median {fp['end_to_end']['median_s']:.2f} s, spread {fp['end_to_end']['max_s'] - fp['end_to_end']['min_s']:.2f} s)",
        f"ceiling (raw forward, same windows): {fp['ceiling_forward']['tokens_per_s']:.0f} tokens/s; "
        f"extraction is {100 * fp['fraction_of_ceiling']:.0f}% of it",
        f"latency per document: p50 {1000 * fp['latency_per_doc_s']['p50']:.0f} ms, p95 {1000 * fp['latency_per_doc_s']['p95']:.0f} ms",
        f"rules only: {report['rules']['docs_per_s']:.1f} docs/s",
        f"peak resident memory: {report['peak_rss_mb']:.0f} MB",
        f"report: {output}"]
    if "model_int8" in report:
        q = report["model_int8"]
        res.messages += [
            f"int8 (ONNX Runtime): {q['end_to_end']['docs_per_s']:.1f} docs/s, {q['end_to_end']['tokens_per_s']:.0f} tokens/s, "
            f"{report['int8_speedup']:.2f}x fp32; {100 * q['fraction_of_ceiling']:.0f}% of its own ceiling; "
            f"load {q['load']['median_s']:.2f} s"]
        res.messages += [f"int8 F1 change, {name.replace('_', ' ')}: {v['fp32']:.1f} → {v['int8']:.1f} ({v['change']:+.1f})"
                         for name, v in report["int8_f1"].items()]
    for name, r in report.get("scaling", {}).items():
        if isinstance(r, dict) and "docs_per_s" in r:
            res.messages.append(f"batch job, {name.replace('_', ' ')}: {r['docs_per_s']:.1f} docs/s over {r['documents']} "
                                f"stories ({r['stories_per_hour_per_core']:,} stories/hour/core)")
    if "training" in report:
        res.messages.append(f"training: {report['training']['train_runtime_s']} s, "
                            f"{report['training']['train_samples_per_s']} windows/s")
    res.data = report
    return res
