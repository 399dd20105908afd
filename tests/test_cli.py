"""The command line on every input form, with the rules (no weights needed) and the tiny model."""
import json

from typer.testing import CliRunner

from trade_events.cli import app

runner = CliRunner()
TEXT = "Japan raised tariffs on U.S. beef to 50 pct last week."


def test_every_command_has_help():
    for cmd in ("label", "train", "evaluate", "package", "extract", "merge", "benchmark"):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, cmd


def test_extract_text_file_folder_and_stdin_with_date(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT)
    (tmp_path / "docs" / "b.txt").write_text("China imposed export controls on gallium in July.")
    out = tmp_path / "ev.jsonl"
    r = runner.invoke(app, ["extract", "--rules", str(tmp_path / "docs"), "--date", "1987-04-20", "-o", str(out)])
    assert r.exit_code == 0, r.output
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    assert {x["doc_id"] for x in recs} == {"a", "b"}
    beef = next(x for x in recs if x["doc_id"] == "a")
    assert beef["date"] == {"text": "last week", "value": "1987-W16", "precision": "week"}
    r = runner.invoke(app, ["extract", "--rules", "-", "--no-summary"], input=TEXT)
    assert r.exit_code == 0 and json.loads(r.output.splitlines()[0])["action"] == "raise"


def test_malformed_jsonl_lines_are_reported_and_the_rest_kept(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([json.dumps({"id": "ok1", "date": "2025-06-09", "text": TEXT}), "{broken",
                              json.dumps({"id": "empty", "text": "  "}),
                              json.dumps({"id": "ok2", "text": "The EC threatened retaliation against U.S. tariffs."})]))
    out, spans = tmp_path / "ev.jsonl", tmp_path / "spans.jsonl"
    r = runner.invoke(app, ["extract", "--rules", str(src), "-o", str(out), "--spans", str(spans)])
    assert r.exit_code == 0, r.output
    assert "in.jsonl:2" in r.output and "in.jsonl:3" in r.output and "2 skipped" in r.output
    assert {json.loads(x)["doc_id"] for x in out.read_text().splitlines()} == {"ok1", "ok2"}
    assert [json.loads(x)["id"] for x in spans.read_text().splitlines()] == ["ok1", "ok2"]


def test_extract_errors_are_clear(tmp_path):
    r = runner.invoke(app, ["extract", "--rules", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2 and "no documents" in r.output
    r = runner.invoke(app, ["extract", "--model", str(tmp_path / "nomodel"), "--seeds"])
    assert r.exit_code == 2 and "no such model folder" in r.output
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Zölle".encode("latin-1"))
    r = runner.invoke(app, ["extract", "--rules", str(bad)])
    assert "not valid UTF-8" in r.output


def test_extract_with_a_model_folder_and_merge(tiny_model_dir, tmp_path):
    out = tmp_path / "ev.jsonl"
    r = runner.invoke(app, ["extract", "--model", str(tiny_model_dir), "--seeds", "-o", str(out)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "-o", str(tmp_path / "rules.jsonl")])
    merged = tmp_path / "merged.jsonl"
    r = runner.invoke(app, ["merge", str(tmp_path / "rules.jsonl"), "-o", str(merged)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in merged.read_text().splitlines()]
    assert rows and all(x["n_reports"] == len(x["sources"]) for x in rows)
    assert max(len({s["doc_id"] for s in x["sources"]}) for x in rows) >= 2  # some action reported by 2+ articles


def test_evaluate_refuses_to_score_on_training_text(tiny_model_dir, tmp_path, seeds):
    import shutil
    model = tmp_path / "m"
    shutil.copytree(tiny_model_dir, model)
    meta = json.loads((model / "trade_events.json").read_text())
    meta["trained_on_documents"] = ["g1"]
    (model / "trade_events.json").write_text(json.dumps(meta))
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "g1", "text": TEXT}) + "\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "spans": [{"start": 0, "end": 5, "label": "ACTOR"}]}) + "\n")
    r = runner.invoke(app, ["evaluate", "--model", str(model), "--gold", str(gold), "--docs", str(docs),
                            "-o", str(tmp_path / "e")])
    assert r.exit_code == 2 and "refusing to score" in r.output


def test_help_keeps_brackets_and_shows_no_type_after_plain_flags():
    r = runner.invoke(app, ["extract", "--help"])
    assert "trade-events[ray]" in r.output
    assert "<bool>" not in r.output and "--int8" in r.output


def test_bad_batch_sizes_are_refused_before_any_work(tmp_path):
    for value in ("-5", "0"):
        r = runner.invoke(app, ["extract", "--rules", "--seeds", "--batch-size", value])
        assert r.exit_code == 2 and "--batch-size" in r.output and "Traceback" not in r.output, value


def test_an_output_that_is_an_input_or_a_folder_is_refused_before_any_work(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(TEXT)
    r = runner.invoke(app, ["extract", "--rules", str(src), "-o", str(src)])
    assert r.exit_code == 2 and "one of the inputs" in r.output
    assert src.read_text() == TEXT
    (tmp_path / "out").mkdir()
    r = runner.invoke(app, ["extract", "--rules", str(src), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "is a folder" in r.output


def test_merge_reads_its_own_output_flat_rows_and_reports_bad_lines(tmp_path):
    rec = tmp_path / "rules.jsonl"
    assert runner.invoke(app, ["extract", "--rules", "--seeds", "-o", str(rec)]).exit_code == 0
    once, twice = tmp_path / "m1.jsonl", tmp_path / "m2.jsonl"
    r = runner.invoke(app, ["merge", str(rec), "-o", str(once)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["merge", str(once), "-o", str(twice)])
    assert r.exit_code == 0, r.output
    first = [json.loads(x) for x in once.read_text().splitlines()]
    assert [json.loads(x) for x in twice.read_text().splitlines()] == first  # merging merged output: no change

    flat = tmp_path / "flat.jsonl"
    assert runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "jsonl", "-o", str(flat)]).exit_code == 0
    from_flat = tmp_path / "m3.jsonl"
    assert runner.invoke(app, ["merge", str(flat), "-o", str(from_flat)]).exit_code == 0
    strip = (lambda rows: [{k: v for k, v in x.items() if k != "event_id"} for x in rows])
    assert strip([json.loads(x) for x in from_flat.read_text().splitlines()]) == strip(first)  # nothing lost

    lines = rec.read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([lines[0], "[1,2,3]", "", "{broken", json.dumps({"doc_id": "x"}), lines[1]]) + "\n")
    r = runner.invoke(app, ["merge", str(bad)])
    assert r.exit_code == 0 and "Traceback" not in r.output
    assert f"{bad}:2: expected a JSON object" in r.output and f"{bad}:4:" in r.output and f"{bad}:5:" in r.output
    assert "3 lines skipped" in r.output


def test_train_options_are_the_config_fields_declared_once():
    from trade_events.training.config import cli_fields

    r = runner.invoke(app, ["train", "--help"])
    for _, option, _, help_text, _ in cli_fields():
        assert f"--{option.replace('_', '-')}" in r.output, option
    assert "[default: (300)]" in r.output  # --max-steps shows the recipe's default
    r = runner.invoke(app, ["train", "--batch-size", "0"])  # the option reaches the dataclass's validation
    assert r.exit_code == 2 and "batch_size must be at least 1" in r.output
