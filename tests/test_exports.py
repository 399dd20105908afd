"""Flat exports, stable event ids, and the resumable, fault-tolerant output folder (local engine)."""
from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from trade_events.extraction.batch import COMMITS_DIR, EVENTS_DIR, PartStore, process_records, read_records, run_local
from trade_events.cli import app
from trade_events.extraction.exports import EVENT_SCHEMA, encode_rows, event_id, flat_row, read_rows, write_rows
from trade_events.model.rules import RulesExtractor
from trade_events.extraction.run import document_record

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_records(seeds):
    return [document_record(d, "seeds") for d in seeds]


@pytest.fixture(scope="module")
def seed_rows(seed_records):
    outcomes = process_records(RulesExtractor(), seed_records)
    return [r for o in outcomes for r in o.events]


def test_flat_rows_follow_the_schema_and_the_nested_record(seeds, seed_rows):
    assert seed_rows and all(list(r) == EVENT_SCHEMA.names for r in seed_rows)
    events = [e for d in seeds for e in RulesExtractor().extract(d.text, d.date, d.id)]
    info = RulesExtractor().model_info()
    for e, r in zip(events, seed_rows):
        nested = e.to_dict()
        assert r == flat_row(e, info)
        assert r["implementer_iso3"] == (nested["implementer"] or {}).get("iso3")
        assert r["affected_iso3"] == [p["iso3"] for p in nested["affected"] if p["iso3"]]
        assert (r["evidence_start"], r["evidence_end"]) == (nested["evidence"]["start"], nested["evidence"]["end"])
        assert r["model_name"] == "rules" and r["model_hash"] == info.hash


def test_event_ids_are_stable_unique_and_model_specific(seeds, seed_rows):
    again = [r for o in process_records(RulesExtractor(), [document_record(d) for d in seeds]) for r in o.events]
    assert [r["event_id"] for r in again] == [r["event_id"] for r in seed_rows]
    assert len({r["event_id"] for r in seed_rows}) == len(seed_rows)  # both sides of one sentence differ
    event = RulesExtractor().extract(seeds[0].text, seeds[0].date, seeds[0].id)[0]
    assert event_id(event.doc_id, event, "aaaa") != event_id(event.doc_id, event, "bbbb")


def test_model_hash_is_the_weights_hash(tiny_extractor, tiny_model_dir):
    from trade_events.model.extractor import TradeEventExtractor

    loaded = TradeEventExtractor.from_pretrained(tiny_model_dir).model_info()
    assert loaded == TradeEventExtractor.from_pretrained(tiny_model_dir).model_info()
    assert len(loaded.hash) == 16 and loaded.name == "model"
    assert len(tiny_extractor.model_info().hash) == 16  # built in memory: the tensors are hashed


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_each_format_round_trips(tmp_path, seed_rows, fmt):
    path = write_rows(tmp_path / f"events.{fmt}", seed_rows, fmt)
    if fmt == "csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert [r["event_id"] for r in rows] == [r["event_id"] for r in seed_rows]
        assert rows[0]["affected_iso3"] == ";".join(seed_rows[0]["affected_iso3"])
    else:
        assert read_rows(path) == seed_rows
    if fmt == "parquet":
        assert pq.read_schema(path).names == EVENT_SCHEMA.names


def test_pandas_reads_the_parquet_export(tmp_path, seed_rows):
    pd = pytest.importorskip("pandas")
    write_rows(tmp_path / "e.parquet", seed_rows, "parquet")
    df = pd.read_parquet(tmp_path / "e.parquet")
    assert len(df) == len(seed_rows) and set(df["action"]) <= {"impose", "raise", "cut", "suspend", "lift", "threaten", "keep"}


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        encode_rows([], "xlsx")


def _bad_jsonl(tmp_path, seed_records):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({k: r[k] for k in ("id", "date", "text")}).encode() for r in seed_records]
    lines += [b'{"id": "bad-bytes", "text": "tariffs \xff on steel"}', b'{"id": "blank", "text": "   "}',
              b"not json at all"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_bad_documents_go_to_the_errors_file_and_the_rest_is_kept(tmp_path, seed_records, seed_rows):
    store = PartStore(tmp_path / "out", "parquet")
    totals = run_local(RulesExtractor(), read_records([str(_bad_jsonl(tmp_path, seed_records))]), store)
    assert totals == {"documents": 8, "events": len(seed_rows), "errors": 3, "parts": 1}
    errors = {e["doc_id"]: e["reason"] for e in read_rows(tmp_path / "out" / "errors.jsonl")}
    assert set(errors) == {"bad-bytes", "blank", "in-8"}
    assert "not valid UTF-8" in errors["bad-bytes"] and "no text" in errors["blank"]
    assert sorted(r["event_id"] for r in read_rows(tmp_path / "out" / EVENTS_DIR)) == \
        sorted(r["event_id"] for r in seed_rows)


class _Failing(RulesExtractor):
    """Raises on one document, in the batch call and alone."""

    def predict_spans(self, text):
        if "POISON" in text:
            raise RuntimeError("injected failure")
        return super().predict_spans(text)


def test_an_exception_on_one_document_loses_only_that_document(seed_records, seed_rows):
    records = [*seed_records[:2], {"id": "poison", "text": "POISON tariffs", "date": None}, *seed_records[2:]]
    outcomes = process_records(_Failing(), records)
    assert [o.doc_id for o in outcomes if o.error] == ["poison"]
    assert "injected failure" in outcomes[2].error
    assert [r["event_id"] for o in outcomes for r in o.events] == [r["event_id"] for r in seed_rows]


def test_a_rerun_skips_done_documents_and_drops_uncommitted_parts(tmp_path, seed_records, seed_rows):
    out = tmp_path / "out"
    run_local(RulesExtractor(), seed_records[:2], PartStore(out, "jsonl"), commit_every=1)
    # a run killed between writing a part and its commit marker leaves an orphan part behind
    (out / EVENTS_DIR / "part-99999-deadbeef.jsonl").write_text('{"event_id": "orphan"}\n')
    seen = []
    totals = run_local(RulesExtractor(), seed_records, PartStore(out, "jsonl"), commit_every=1,
                       progress=seen.append)
    assert sum(seen) == len(seed_records) - 2  # only the three new documents were processed
    rows = read_rows(out / EVENTS_DIR)
    assert sorted(r["event_id"] for r in rows) == sorted(r["event_id"] for r in seed_rows)  # exactly once
    assert totals["documents"] == 5 and len(list((out / COMMITS_DIR).glob("*.json"))) == totals["parts"]


def test_cli_writes_flat_files_and_folders(tmp_path, seed_rows):
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "csv", "-o", str(tmp_path / "e.csv"),
                            "--no-summary"])
    assert r.exit_code == 0, r.output
    assert len(list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))) == len(seed_rows)
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "parquet", "-o", str(tmp_path / "dir")])
    assert r.exit_code == 0, r.output
    assert len(read_rows(tmp_path / "dir" / EVENTS_DIR)) == len(seed_rows)
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "parquet"])
    assert r.exit_code == 2 and "--output" in r.output
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "xml"])
    assert r.exit_code == 2 and "--format" in r.output


def test_parquet_input_is_read(tmp_path, seed_records):
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist([{k: r[k] for k in ("id", "date", "text")} for r in seed_records]),
                   tmp_path / "in.parquet")
    records = list(read_records([str(tmp_path / "in.parquet")]))
    assert [r["id"] for r in records] == [r["id"] for r in seed_records]
    pq.write_table(pa.table({"text": ["x"]}), tmp_path / "noid.parquet")
    with pytest.raises(ValueError, match="needs columns id and text"):
        list(read_records([str(tmp_path / "noid.parquet")]))


def test_a_rerun_with_another_model_or_format_is_refused_not_skipped(tmp_path, seed_records, tiny_model_dir):
    from trade_events.extraction.batch import producer_of

    out = tmp_path / "out"
    run_local(RulesExtractor(), seed_records[:2], PartStore(out, "jsonl", producer_of(None)))
    with pytest.raises(ValueError, match="format 'jsonl', not 'parquet'"):
        PartStore(out, "parquet", producer_of(None))
    with pytest.raises(ValueError, match="model 'rules'"):
        PartStore(out, "jsonl", producer_of(tiny_model_dir))
    PartStore(out, "jsonl", producer_of(None))  # the same job resumes
    r = runner.invoke(app, ["extract", "--model", str(tiny_model_dir), "--seeds", "--format", "jsonl", "-o", str(out)])
    assert r.exit_code == 2 and "would be skipped" in r.output


def test_folder_output_shows_progress(tmp_path):
    r = runner.invoke(app, ["extract", "--rules", "--seeds", "--format", "parquet", "-o", str(tmp_path / "dir")])
    assert r.exit_code == 0 and "extracting: 5 documents done" in r.output


def test_the_one_loop_keeps_input_order_and_isolates_a_failing_document(seeds):
    from trade_events.data.documents import Document
    from trade_events.extraction.loop import extract_documents

    docs = [seeds[2], Document("poison", "POISON tariffs"), seeds[0], seeds[1]]
    seen: list[int] = []
    results = extract_documents(_Failing(), docs, batch_size=2, progress=seen.append)
    assert [r.doc.id for r in results] == [d.id for d in docs] and sum(seen) == 4
    assert [r.doc.id for r in results if r.error] == ["poison"] and "injected failure" in results[1].error
    assert all(r.spans and r.events for r in results if r.error is None)
