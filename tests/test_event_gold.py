"""The hand-made event gold (EVENTS.md records linked to the span gold) and its two-pass adjudication."""
from __future__ import annotations

import json


from trade_events.data.event_gold import DEV_EVENTS, SEEDS_EVENTS, TRAIN_EVENTS
from trade_events.data.gold import gold_dir, read_dev_ids
from trade_events.events.records import ACTIONS, MEASURE_TYPES

PASSES = ("events.pass_a.jsonl", "events.pass_b.jsonl")
ADJUDICATION = "events.adjudication.jsonl"
_TEXT_KEYS = {"text", "evidence"}  # a Reuters gold row never quotes the corpus


def _rows(name):
    return [json.loads(line) for line in (gold_dir() / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(r):
    return json.dumps({k: v for k, v in r.items()}, sort_keys=True)


def test_event_gold_rows_hold_offsets_and_known_labels_only():
    dev = set(read_dev_ids())
    for name in (SEEDS_EVENTS, DEV_EVENTS, TRAIN_EVENTS):
        for r in _rows(name):
            assert r["action"] in ACTIONS and r["measure_type"] in MEASURE_TYPES
            assert not _TEXT_KEYS & set(r) and all(not _TEXT_KEYS & set(p or {}) for p in [r["implementer"], *r["affected"]])
            assert (r["doc_id"] in dev) == (name == DEV_EVENTS)
            assert r["measure"] is not None or r.get("measure_quote"), "a record rests on a measure"


def test_seed_event_gold_links_to_the_seed_span_gold(seeds):
    from trade_events.data.gold_sets import seeds_event_gold

    gold = seeds_event_gold()
    spans = {d: {(s.start, s.end): s.label for s in v} for d, v in gold.spans.items()}
    allowed = {"implementer": "ACTOR", "affected": "ACTOR", "rate": "RATE", "previous_rate": "RATE", "date": "DATE",
               "product": "PRODUCT"}
    n = 0
    for doc_id, events in gold.events.items():
        for g in events:
            n += 1
            if g.measure is not None:
                assert spans[doc_id][g.measure] == "MEASURE"
            for role, found in g.links.items():
                for sp in found:
                    label = spans[doc_id].get(sp)
                    assert label in (None, allowed[role])  # None: an implementer the span gold does not mark
            assert g.record.evidence is not None
    assert n == 21


def test_reuters_event_gold_links_to_the_reuters_span_gold(needs_corpus):
    from trade_events.data.gold_sets import reuters_event_gold

    for split, expected in (("dev", 15), ("train", 87)):
        gold = reuters_event_gold(split)
        assert gold is not None
        assert sum(len(v) for v in gold.events.values()) == expected
        marked = unmarked = 0
        for doc_id, events in gold.events.items():
            spans = {(s.start, s.end) for s in gold.spans[doc_id]}
            for g in events:
                assert g.measure is None or g.measure in spans
                for role in ("rate", "date", "product"):
                    assert all(sp in spans for sp in g.links.get(role, []))
                for sp in g.links.get("implementer", []):
                    marked += sp in spans
                    unmarked += sp not in spans
        assert marked > 5 * unmarked  # implementers outside the span gold are companies or "the government"


def test_adjudicated_gold_is_the_agreed_records_plus_the_decided_regions():
    """The gold is pass A's records outside every region (both passes agree on them) plus, in each region of
    disagreement, the version both blind adjudicators chose (on a split, what both kept)."""
    gold = {_key(r) for name in (SEEDS_EVENTS, DEV_EVENTS, TRAIN_EVENTS) for r in _rows(name)}
    a = _rows(PASSES[0])
    regions = _rows(ADJUDICATION)
    in_regions = {_key(r) for reg in regions for r in reg["pass_a"] + reg["pass_b"]}
    applied = {_key(r) for reg in regions for side in reg["applied"] for r in reg[f"pass_{side.lower()}"]}
    assert gold == {_key(r) for r in a if _key(r) not in in_regions} | applied
    for reg in regions:
        if reg["adjudicator_1"] == reg["adjudicator_2"]:
            assert reg["applied"] == reg["adjudicator_1"]
        else:
            assert set(reg["applied"]) == set(reg["adjudicator_1"]) & set(reg["adjudicator_2"])
    assert len(regions) == 26


def test_pass_agreement_is_the_reported_ceiling(seeds):
    """Event F1 of pass A against pass B on the seeds (the Reuters part needs the corpus)."""
    from trade_events.data.event_gold import materialize
    from trade_events.evaluate.events import score_events

    by_id = {d.id: d for d in seeds}
    a, b = ([materialize(r, by_id[r["doc_id"]]).record for r in _rows(p) if r["doc_id"] in by_id] for p in PASSES)
    assert len(a) == len(b) == 21 and score_events(a, b).f1 == 1.0
