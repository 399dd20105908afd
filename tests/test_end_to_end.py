"""End to end through the CLI with the real base model (bundled all-MiniLM-L6-v2), trained briefly on the seeds."""
import json

import pytest
from typer.testing import CliRunner

from trade_events.cli import app
from trade_events.model.extractor import TradeEventExtractor

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_label_train_evaluate_package_extract(tmp_path, seeds):
    out = run("label", "--output", tmp_path / "labelled")
    assert "Rules vs hand-made gold: seeds" in out and "micro" in out
    assert json.loads((tmp_path / "labelled" / "label_quality.json").read_text())["seeds"]["scores"]["micro"]["f1"] > 0.5

    out = run("train", "--dataset", tmp_path / "labelled", "--output", tmp_path / "model", "--max-steps", 60,
              "--no-progress")
    metrics = json.loads((tmp_path / "model" / "training_metrics.json").read_text())
    assert metrics["train_steps"] == 60 and metrics["final_loss"] < 1.0
    meta = json.loads((tmp_path / "model" / "trade_events.json").read_text())
    assert meta["versions"]["transformers"] and meta["dataset_fingerprint"]

    # the model trained on every seed article: scoring it on them is refused, the rules still print
    out = run("evaluate", "--model", tmp_path / "model", "--output", tmp_path / "eval")
    assert "the model trained on every document here" in out

    run("package", "--model", tmp_path / "model", "--evaluation", tmp_path / "eval", "--output", tmp_path / "pkg")
    folder = tmp_path / "pkg" / "trade-events-model"
    a = TradeEventExtractor.from_pretrained(tmp_path / "model")
    b = TradeEventExtractor.from_pretrained(folder)
    text = seeds[1].text
    spans_a, spans_b = a.predict_spans(text), b.predict_spans(text)
    assert spans_a == spans_b
    assert {s.label for s in spans_a} >= {"ACTOR", "MEASURE"}, "60 steps at 2e-4 learn at least actors and measures"

    from transformers import pipeline
    tagger = pipeline("token-classification", model=str(folder), aggregation_strategy="first")
    words = {(d["entity_group"], d["word"]) for d in tagger("China imposed export controls on rare earth magnets in April.")}
    assert any(label == "ACTOR" for label, _ in words)

    runner.invoke(app, ["extract", "--model", str(folder), "--seeds", "--output", str(tmp_path / "ev.jsonl")])
    records = [json.loads(x) for x in (tmp_path / "ev.jsonl").read_text().splitlines()]
    assert all(set(r) >= {"doc_id", "action", "measure_type", "mast_chapter", "evidence"} for r in records)


@pytest.mark.slow
def test_crossval_never_scores_a_fold_on_its_training_text(tmp_path):
    run("label", "--output", tmp_path / "labelled")
    out = run("evaluate", "--dataset", tmp_path / "labelled", "--crossval", "--max-steps", 4,
              "--output", tmp_path / "eval")
    assert "leave-one-article-out" in out
    report = json.loads((tmp_path / "eval" / "evaluation.json").read_text())
    folds = report["seeds_crossval"]["folds"]
    assert len(folds) == 5
    for f in folds:
        assert f["held_out"].replace("-", "_") not in f["train_splits"]
        assert "rules" in f and "model" in f
