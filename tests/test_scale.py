"""The Ray Data engine on a local Ray (num_cpus=2): same rows as the local engine, failures isolated,
a killed actor's batch redone, reruns resumed. Skipped where the ``[ray]`` extra is not installed."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason='the Ray engine needs the extra: pip install "trade-events[ray]"')

from trade_events.extraction.batch import EVENTS_DIR, PartStore, read_records, run_local  # noqa: E402
from trade_events.extraction.exports import read_rows  # noqa: E402
from trade_events.model.rules import RulesExtractor  # noqa: E402
from trade_events.extraction.scale import extract_dataset  # noqa: E402

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(seeds, corpus_available, tmp_path_factory) -> Path:
    """The seeds plus, where the corpus is present, a slice of 40 Reuters train stories, as JSONL."""
    rows = [{"id": d.id, "date": d.date.isoformat(), "text": d.text} for d in seeds]
    if corpus_available:
        from trade_events.data.corpus import load_train_stories
        rows += [{"id": d.id, "date": d.date.isoformat() if d.date else None, "text": d.text}
                 for d in load_train_stories()[:40]]
    path = tmp_path_factory.mktemp("in") / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _by_id(rows):
    return sorted(rows, key=lambda r: r["event_id"])


def test_ray_gives_the_local_rows_field_by_field(inputs, tmp_path):
    local = run_local(RulesExtractor(), read_records([str(inputs)]), PartStore(tmp_path / "local"))
    remote = extract_dataset([str(inputs)], None, tmp_path / "ray", num_workers=2, batch_size=8)
    assert remote["documents"] == local["documents"] and remote["events"] == local["events"] > 0
    a, b = _by_id(read_rows(tmp_path / "local" / EVENTS_DIR)), _by_id(read_rows(tmp_path / "ray" / EVENTS_DIR))
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x == y


def test_ray_loads_a_model_folder_once_per_actor(inputs, tiny_model_dir, tmp_path):
    from trade_events.model.extractor import TradeEventExtractor

    local = run_local(TradeEventExtractor.from_pretrained(tiny_model_dir), read_records([str(inputs)]),
                      PartStore(tmp_path / "local"), with_spans=True)
    remote = extract_dataset([str(inputs)], tiny_model_dir, tmp_path / "ray", num_workers=2, with_spans=True)
    assert remote["documents"] == local["documents"]
    assert _by_id(read_rows(tmp_path / "ray" / EVENTS_DIR)) == _by_id(read_rows(tmp_path / "local" / EVENTS_DIR))
    spans = read_rows(tmp_path / "ray" / "spans")
    assert {r["doc_id"] for r in spans} <= {r["id"] for r in read_records([str(inputs)])}


class _Sabotaged(RulesExtractor):
    """Raises on a POISON document; the first time it meets KILLME, its whole process dies."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def predict_spans_batch(self, texts):
        if any("KILLME" in t for t in texts) and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)  # the actor process dies mid-batch
        return super().predict_spans_batch(texts)

    def predict_spans(self, text):
        if "POISON" in text:
            raise RuntimeError("injected failure")
        return super().predict_spans(text)


class _Factory:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self):
        return _Sabotaged(self.marker)


def test_a_failing_document_and_a_killed_actor_lose_nothing_else(inputs, tmp_path):
    sabotaged = tmp_path / "sabotaged.jsonl"
    lines = inputs.read_text(encoding="utf-8").splitlines()
    lines.insert(3, json.dumps({"id": "poison", "text": "POISON: the EC raised tariffs on steel to 20 pct."}))
    lines.insert(9, json.dumps({"id": "killme", "text": "KILLME: Japan imposed tariffs on U.S. rice in March."}))
    sabotaged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker = tmp_path / "died-once"
    totals = extract_dataset([str(sabotaged)], None, tmp_path / "ray", num_workers=2, batch_size=4,
                             extractor_factory=_Factory(str(marker)))
    assert marker.exists()  # an actor really died
    errors = read_rows(tmp_path / "ray" / "errors.jsonl")
    assert [e["doc_id"] for e in errors] == ["poison"] and "injected failure" in errors[0]["reason"]
    expected = run_local(RulesExtractor(), read_records([str(sabotaged)]), PartStore(tmp_path / "local"))
    rows = read_rows(tmp_path / "ray" / EVENTS_DIR)
    ids = [r["event_id"] for r in rows]
    assert len(ids) == len(set(ids)), "a document's rows were written twice"
    assert _by_id(rows) == _by_id([r for r in read_rows(tmp_path / "local" / EVENTS_DIR) if r["doc_id"] != "poison"])
    assert "killme" in {r["doc_id"] for r in rows}
    assert totals["documents"] == expected["documents"] == len(lines)


def test_a_ray_rerun_skips_what_is_done(inputs, tmp_path):
    first = extract_dataset([str(inputs)], None, tmp_path / "ray", num_workers=1)
    again = extract_dataset([str(inputs)], None, tmp_path / "ray", num_workers=1)
    assert again == first
    assert len(read_rows(tmp_path / "ray" / EVENTS_DIR)) == first["events"]


class _AlwaysDies(RulesExtractor):
    """Its process dies on every batch that holds a KILLME document (a crash no retry can get past)."""

    def predict_spans_batch(self, texts):
        if any("KILLME" in t for t in texts):
            os._exit(1)
        return super().predict_spans_batch(texts)


def test_a_document_that_kills_every_worker_stops_the_job_instead_of_hanging_it(inputs, tmp_path):
    from trade_events.extraction.scale import ACTOR_RETRIES, WorkerCrashError

    lines = inputs.read_text(encoding="utf-8").splitlines()
    killer = tmp_path / "killer.jsonl"
    killer.write_text("\n".join([*lines, json.dumps({"id": "killme", "text": "KILLME: Japan imposed tariffs."})]) + "\n",
                      encoding="utf-8")
    with pytest.raises(WorkerCrashError, match=f"{ACTOR_RETRIES + 1} times"):
        extract_dataset([str(killer)], None, tmp_path / "ray", num_workers=1, batch_size=4,
                        extractor_factory=_AlwaysDies)
    events = tmp_path / "ray" / EVENTS_DIR
    assert not events.exists() or "killme" not in {r["doc_id"] for r in read_rows(events)}
    # without the killer the rerun resumes: it finishes, and every document is done exactly once
    totals = extract_dataset([str(inputs)], None, tmp_path / "ray", num_workers=1, batch_size=4)
    assert totals["documents"] == len(lines)
    ids = [r["event_id"] for r in read_rows(tmp_path / "ray" / EVENTS_DIR)]
    assert len(ids) == len(set(ids))
