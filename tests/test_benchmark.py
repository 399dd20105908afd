"""The benchmark runs end to end on a tiny model and reports the ceiling ratio, the int8 speed-up and the
int8 F1 change; it refuses an evaluation of other weights. No timing is asserted."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("onnxruntime")


def test_benchmark_reports_ceiling_speedup_and_f1(tiny_model_dir, tmp_path):
    from trade_events.evaluate.benchmark_step import benchmark_step

    res = benchmark_step(tiny_model_dir, tmp_path / "bench.json", repeats=1, seeds_only=True, scaling=False)
    report = json.loads((tmp_path / "bench.json").read_text())
    for path in ("model_fp32", "model_int8"):
        r = report[path]
        assert r["documents"] == 5 and r["tokens"] > 0 and r["fraction_of_ceiling"] > 0
        assert r["latency_per_doc_s"]["p50"] <= r["latency_per_doc_s"]["p95"]
    assert report["int8_speedup"] > 0 and report["rules"]["docs_per_s"] > 0 and report["peak_rss_mb"] > 0
    assert any("of its own ceiling" in m for m in res.messages)


def test_int8_f1_change_reads_the_same_weights_evaluation(tiny_model_dir, tmp_path):
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.evaluate.benchmark_step import evaluation_report, int8_f1_change
    from trade_events.evaluate.step import EVALUATION_JSON

    pooled = {"model": {"micro": {"f1": 0.915}}, "model-int8": {"micro": {"f1": 0.899}}}
    ev = tmp_path / "evaluation"
    with pytest.raises(ValueError, match="no evaluation report"):
        evaluation_report(ev, tiny_model_dir)
    ev.mkdir()
    (ev / EVALUATION_JSON).write_text(json.dumps({"model": {"hash": "someone-else"}, "seeds_crossval": {"pooled": pooled}}))
    with pytest.raises(ValueError, match="other weights"):
        evaluation_report(ev, tiny_model_dir)
    digest = TradeEventExtractor.from_pretrained(tiny_model_dir).model_info().hash
    (ev / EVALUATION_JSON).write_text(json.dumps({"model": {"hash": digest}, "seeds_crossval": {"pooled": pooled}}))
    out = int8_f1_change(tiny_model_dir, evaluation_report(ev, tiny_model_dir))
    assert out["seeds_crossval"] == {"fp32": 91.5, "int8": 89.9, "change": -1.6}
    if "reuters_dev" in out:  # the corpus is present: scored here on the held-out dev stories
        assert 0 <= out["reuters_dev"]["int8"] <= 100
