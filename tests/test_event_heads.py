"""The learned event extractor: decoding of head outputs, training, saving and loading with the model."""
from __future__ import annotations

import json

import numpy as np
import pytest

from trade_events.data.documents import Document
from trade_events.data.event_gold import materialize
from trade_events.data.words import split_words
from trade_events.events.learned import HEAD_ACTIONS, ROLES, records_from_predictions
from trade_events.events.records import MEASURE_TYPES
from trade_events.model import event_heads as eh
from trade_events.spans import Span


def _spans(text: str, marks: list[tuple[str, str]]) -> list[Span]:
    """Spans for each ``(surface, label)`` in order of appearance (first occurrence after the previous)."""
    out, pos = [], 0
    for surface, label in marks:
        start = text.index(surface, pos)
        out.append(Span.from_text(text, start, start + len(surface), label, 0.9))
        pos = start + len(surface)
    return out


def _prediction(text, spans, action, mtype, roles: dict[str, str]):
    """A ``MeasurePrediction`` whose heads are certain: ``roles`` maps candidate surface → role."""
    words = split_words(text)
    ctx = eh.measure_contexts(text, words, spans)[0]
    a = np.zeros(len(HEAD_ACTIONS))
    a[HEAD_ACTIONS.index(action)] = 1
    t = np.zeros(len(MEASURE_TYPES))
    t[MEASURE_TYPES.index(mtype)] = 1
    r = np.zeros((len(ctx.candidates), len(ROLES)))
    for j, c in enumerate(ctx.candidates):
        r[j, ROLES.index(roles.get(c.text, "none"))] = 1
    return eh.MeasurePrediction(ctx, a, t, r)


def test_head_label_lists_match_the_decoder():
    assert eh.ROLES == ROLES and eh.HEAD_ACTIONS == HEAD_ACTIONS


def test_both_sides_with_their_own_rates_give_one_record_each():
    text = "The U.S. cut tariffs from 145% to 30% and China from 125% to 10% on May 12."
    spans = _spans(text, [("U.S.", "ACTOR"), ("tariffs", "MEASURE"), ("145%", "RATE"), ("30%", "RATE"),
                          ("China", "ACTOR"), ("125%", "RATE"), ("10%", "RATE"), ("May 12", "DATE")])
    pred = _prediction(text, spans, "cut", "import_tariff",
                       {"U.S.": "implementer", "China": "implementer", "145%": "previous_rate", "30%": "rate",
                        "125%": "previous_rate", "10%": "rate", "May 12": "date"})
    events = records_from_predictions("d", text, [pred], None)
    got = {(e.implementer.iso3, e.rate.value, e.previous_rate.value) for e in events}
    assert got == {("USA", 30.0, 145.0), ("CHN", 10.0, 125.0)}
    assert all(e.action == "cut" and e.date.text == "May 12" for e in events)
    assert all(e.evidence.text == text for e in events)


def test_a_range_gives_one_record_per_bound_and_the_bare_bound_takes_the_unit():
    text = "Taiwan will cut tariffs by between 10 and 40 pct on July 1."
    spans = _spans(text, [("Taiwan", "ACTOR"), ("tariffs", "MEASURE"), ("10", "RATE"), ("40 pct", "RATE"),
                          ("July 1", "DATE")])
    pred = _prediction(text, spans, "cut", "import_tariff", {"Taiwan": "implementer", "10": "rate", "40 pct": "rate"})
    events = records_from_predictions("d", text, [pred], None)
    assert [(e.rate.value, e.rate.unit) for e in events] == [(10.0, "percent"), (40.0, "percent")]
    assert {e.implementer.iso3 for e in events} == {"TWN"}


def test_a_mention_the_heads_call_none_gives_no_record():
    text = "Officials discussed tariffs with Japan."
    spans = _spans(text, [("tariffs", "MEASURE"), ("Japan", "ACTOR")])
    assert records_from_predictions("d", text, [_prediction(text, spans, "none", "import_tariff", {})], None) == []


def test_affected_parties_exclude_the_implementer_country():
    text = "Japan's MITI imposed export controls on chips to the U.S. and Japan."
    spans = _spans(text, [("Japan", "ACTOR"), ("MITI", "ACTOR"), ("export controls", "MEASURE"),
                          ("chips", "PRODUCT"), ("U.S.", "ACTOR"), ("Japan", "ACTOR")])
    pred = _prediction(text, spans, "impose", "export_control",
                       {"MITI": "implementer", "U.S.": "affected", "chips": "product"})
    (event,) = records_from_predictions("d", text, [pred], None)
    assert event.implementer.text == "MITI" and [a.iso3 for a in event.affected] == ["USA"]
    assert event.products == ["chips"]


def test_contexts_take_the_sentence_and_the_one_before_and_stop_at_it():
    text = "China acted. The U.S. raised tariffs to 25 pct. Japan said 10 pct."
    spans = _spans(text, [("China", "ACTOR"), ("U.S.", "ACTOR"), ("tariffs", "MEASURE"), ("25 pct", "RATE"),
                          ("Japan", "ACTOR"), ("10 pct", "RATE")])
    (ctx,) = eh.measure_contexts(text, split_words(text), spans)
    assert [c.text for c in ctx.candidates] == ["China", "U.S.", "25 pct"]
    assert text[ctx.sentence[0]:ctx.sentence[1]] == "The U.S. raised tariffs to 25 pct."


def test_gold_rows_materialize_with_texts_links_and_checked_offsets():
    text = "The EC raised duties on U.S. steel to 25 pct in April."
    doc = Document("d1", text)
    at = text.index
    row = {"doc_id": "d1", "measure": [at("duties"), at("duties") + 6], "action": "raise",
           "measure_type": "import_tariff", "implementer": {"span": [at("EC"), at("EC") + 2], "iso3": "EUU"},
           "affected": [{"span": [at("U.S."), at("U.S.") + 4], "iso3": "USA"}],
           "rate": {"span": [at("25 pct"), at("25 pct") + 6], "value": 25.0, "unit": "percent"},
           "previous_rate": None, "date": {"span": [at("April"), at("April") + 5], "value": "1987-04",
                                            "precision": "month"},
           "products": [[at("steel"), at("steel") + 5]]}
    g = materialize(row, doc)
    assert g.record.implementer.text == "EC" and g.record.rate.text == "25 pct" and g.record.products == ["steel"]
    assert g.links["implementer"] == [(at("EC"), at("EC") + 2)] and g.record.evidence.text == text
    bad = json.loads(json.dumps(row))
    bad["rate"]["span"] = [50, 500]
    with pytest.raises(ValueError, match="outside the text"):
        materialize(bad, doc)


def _toy_gold():
    from trade_events.data.event_gold import GoldEvent
    from trade_events.events.records import Party, TradeEvent

    texts = ["The U.S. imposed tariffs on Japan.", "Officials discussed tariffs with Japan.",
             "China cut tariffs on U.S. goods.", "Ministers talked about quotas with Canada."]
    docs = [Document(f"t{i}", t) for i, t in enumerate(texts)]
    spans, events = {}, {}
    for d in docs:
        marks = [(w, "ACTOR") for w in ("U.S.", "Japan", "China", "Canada") if w in d.text]
        marks += [(w, "MEASURE") for w in ("tariffs", "quotas") if w in d.text]
        spans[d.id] = sorted(_spans(d.text, [m]) [0] for m in marks)
        events[d.id] = []
    for i, impl in ((0, "U.S."), (2, "China")):
        d = docs[i]
        m = next(s for s in spans[d.id] if s.label == "MEASURE")
        a = next(s for s in spans[d.id] if s.text == impl)
        action = "impose" if i == 0 else "cut"
        events[d.id] = [GoldEvent(TradeEvent(d.id, action, "import_tariff", Party(impl)), (m.start, m.end),
                                  {"implementer": [(a.start, a.end)]})]
    return docs, spans, events


def test_heads_train_save_and_load_with_the_model(tiny_extractor, tmp_path):
    import torch

    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.training.events import EventTrainConfig, build_examples, fit_event_extractor

    docs, spans, events = _toy_gold()
    examples = build_examples(tiny_extractor, docs, spans, events, with_model_spans=False)
    assert [HEAD_ACTIONS[e.action] for e in examples] == ["impose", "none", "cut", "none"]
    assert examples[0].roles.tolist() == [ROLES.index("implementer"), 0]
    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    heads = fit_event_extractor(ext, docs, spans, events,
                                EventTrainConfig(epochs=60, hidden=32, layers=1, learning_rate=3e-3,
                                                 with_model_spans=False))
    feats_dim = heads.config.feature_dim
    assert feats_dim == 3 * tiny_extractor.model.config.hidden_size  # embeddings, middle and last layer
    _, words, feats = ext.predict_spans_and_features([docs[0].text])
    preds = eh.predict_measures(heads, docs[0].text, words[0], feats[0], spans["t0"])
    assert HEAD_ACTIONS[int(np.argmax(preds[0].action_probs))] == "impose"  # learned the toy set
    ext.save_pretrained(tmp_path / "m")
    assert (tmp_path / "m" / eh.EVENTS_DIR / eh.HEADS_WEIGHTS).is_file()
    again = TradeEventExtractor.from_pretrained(tmp_path / "m")
    assert again.event_heads is not None
    for (k, v) in heads.state_dict().items():
        assert torch.equal(v, again.event_heads.state_dict()[k])
    got = again.extract_batch(docs[:1], spans=[spans["t0"]])[0]
    assert [(e.action, e.implementer.iso3) for e in got] == [("impose", "USA")]
    assert again.extract("The U.S. imposed tariffs on Japan.", doc_id="x") is not None


def test_corrupted_event_heads_fail_with_a_clear_message(tiny_extractor, tmp_path):
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.model.files import ModelLoadError

    heads = eh.EventHeads(eh.EventHeadsConfig(feature_dim=64, hidden=32, layers=1))
    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    ext.event_heads = heads
    ext.save_pretrained(tmp_path / "m")
    cfg = tmp_path / "m" / eh.EVENTS_DIR / eh.HEADS_CONFIG
    d = json.loads(cfg.read_text())
    d["roles"] = d["roles"][::-1]
    cfg.write_text(json.dumps(d))
    with pytest.raises(ModelLoadError, match="label lists"):
        TradeEventExtractor.from_pretrained(tmp_path / "m")
    (tmp_path / "m" / eh.EVENTS_DIR / eh.HEADS_WEIGHTS).write_bytes(b"not safetensors")
    cfg.write_text(json.dumps(heads.config.to_dict()))
    with pytest.raises(ModelLoadError, match="event heads"):
        TradeEventExtractor.from_pretrained(tmp_path / "m")


def test_int8_path_feeds_the_event_heads_from_its_own_graph(tiny_extractor, tmp_path):
    pytest.importorskip("onnxruntime")
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.model.onnx_int8 import FEATURES, Int8TradeEventExtractor, export_int8
    from trade_events.training.events import EventTrainConfig, fit_event_extractor

    docs, spans, events = _toy_gold()
    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    fit_event_extractor(ext, docs, spans, events, EventTrainConfig(epochs=2, hidden=32, layers=1,
                                                                   with_model_spans=False))
    ext.save_pretrained(tmp_path / "m")
    export_int8(ext, tmp_path / "m")
    q = Int8TradeEventExtractor.from_pretrained(tmp_path / "m")
    assert FEATURES in {o.name for o in q.session.get_outputs()} and q.event_heads is not None
    _, _, f32 = ext.predict_spans_and_features([docs[0].text])
    _, _, f8 = q.predict_spans_and_features([docs[0].text])
    assert f8[0].shape == f32[0].shape
    assert np.corrcoef(f8[0].ravel(), f32[0].ravel())[0, 1] > 0.8  # int8 features track fp32 (random tiny model)
    got = q.extract_batch(docs[:1])[0]
    assert all(e.doc_id == "t0" for e in got)


def test_consolidation_keeps_one_record_per_action_and_fills_the_story_s_actor():
    from trade_events.events.learned import consolidate
    from trade_events.events.records import Party, TradeEvent

    text = "Japan raised tariffs. Japan said tariffs rose. The U.S. objected."
    spans = _spans(text, [("Japan", "ACTOR"), ("tariffs", "MEASURE"), ("Japan", "ACTOR"), ("tariffs", "MEASURE"),
                          ("U.S.", "ACTOR")])
    named = TradeEvent("d", "raise", "import_tariff", Party("Japan", "JPN"))
    unnamed = TradeEvent("d", "raise", "import_tariff", None)  # a restatement with no implementer: dropped
    other = TradeEvent("d", "threaten", "import_tariff", None)  # no implementer anywhere: the story's main actor
    got = consolidate([named, unnamed, other], text, spans)
    assert [(e.action, e.implementer.iso3) for e in got] == [("raise", "JPN"), ("threaten", "JPN")]


def test_rule_records_back_up_the_heads_and_merge_with_them():
    text = "The U.S. imposed tariffs on Japan."
    spans = _spans(text, [("U.S.", "ACTOR"), ("tariffs", "MEASURE"), ("Japan", "ACTOR")])
    from trade_events.events.assemble import assemble_events

    rules = assemble_events("d", text, spans)
    none = _prediction(text, spans, "none", "import_tariff", {})
    got = records_from_predictions("d", text, [none], None, 0.5, spans, rules)
    assert [(e.action, e.implementer.iso3) for e in got] == [("impose", "USA")]
    same = _prediction(text, spans, "impose", "import_tariff", {"U.S.": "implementer", "Japan": "affected"})
    assert len(records_from_predictions("d", text, [same], None, 0.5, spans, rules)) == 1  # one action, one record


def test_event_speed_compares_both_paths_and_restores_the_heads(tiny_extractor, seeds):
    from trade_events.evaluate.event_speed import compare_event_paths
    from trade_events.model.extractor import TradeEventExtractor

    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    ext.event_heads = eh.EventHeads(eh.EventHeadsConfig(feature_dim=96, feature_layers=(0, 1, -1), hidden=32,
                                                        layers=1)).eval()
    r = compare_event_paths(ext, seeds[:2], batch_size=2, repeats=1)
    assert set(r["docs_per_s"]) == {"event_heads", "rules_assembler"} and r["speed_ratio"] > 0
    assert ext.event_heads is not None and ext.rule_types == ("RATE",)  # both restored


def test_int8_export_leaves_the_tagger_in_eval_mode(tiny_extractor, tmp_path):
    pytest.importorskip("onnxruntime")
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.model.onnx_int8 import export_int8

    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    export_int8(ext, tmp_path)
    assert not ext.model.training  # dropout off: predictions stay deterministic after an export


def test_a_rate_the_role_head_half_sees_is_attached_when_it_names_none():
    text = "Japan cut tariffs to 20 pct from 31.9 pct."
    spans = _spans(text, [("Japan", "ACTOR"), ("tariffs", "MEASURE"), ("20 pct", "RATE"), ("31.9 pct", "RATE")])
    pred = _prediction(text, spans, "cut", "import_tariff", {"Japan": "implementer", "31.9 pct": "previous_rate"})
    j = [c.text for c in pred.context.candidates].index("20 pct")
    pred.role_probs[j] = 0
    pred.role_probs[j, ROLES.index("none")], pred.role_probs[j, ROLES.index("rate")] = 0.9, 0.1
    (event,) = records_from_predictions("d", text, [pred], None)
    assert (event.rate.value, event.previous_rate.value) == (20.0, 31.9)
    pred.role_probs[j, ROLES.index("none")], pred.role_probs[j, ROLES.index("rate")] = 0.99, 0.01
    (event,) = records_from_predictions("d", text, [pred], None)
    assert event.rate is None  # below the fallback's threshold: not a rate of this measure


def test_consolidation_drops_a_rate_less_repeat_of_a_rated_record():
    from trade_events.events.learned import consolidate
    from trade_events.events.records import Party, Rate, TradeEvent

    text = "The U.S. imposed 100 pct tariffs on Japan. The tariffs hurt Japan."
    spans = _spans(text, [("U.S.", "ACTOR"), ("100 pct", "RATE"), ("tariffs", "MEASURE"), ("Japan", "ACTOR")])
    rated = TradeEvent("d", "impose", "import_tariff", Party("U.S.", "USA"), rate=Rate("100 pct", 100.0, "percent"))
    bare = TradeEvent("d", "impose", "import_tariff", Party("U.S.", "USA"))
    other = TradeEvent("d", "threaten", "import_tariff", Party("U.S.", "USA"))
    got = consolidate([bare, rated, other], text, spans)
    assert [(e.action, e.rate.value if e.rate else None) for e in got] == [("impose", 100.0), ("threaten", None)]


def test_the_acting_country_weighs_the_lead_and_skips_currencies():
    from trade_events.events.learned import main_country

    text = ("Taiwan's reserves rose to 56 billion U.S. Dlrs, officials said. " + "x " * 200
            + "The U.S. said so. The U.S. agreed. Talks with the U.S. went on.")
    spans = [s for s in _spans(text, [("Taiwan", "ACTOR"), ("U.S.", "ACTOR")])]
    pos = 300
    for _ in range(3):
        i = text.index("U.S.", pos)
        spans.append(Span.from_text(text, i, i + 4, "ACTOR", 0.9))
        pos = i + 4
    assert main_country(text, spans) == "TWN"  # lead ×3 beats three later mentions; "U.S. Dlrs" is money
    assert main_country(text, spans[1:]) == "USA"  # without Taiwan: the later mentions
    assert main_country("No actors here.", []) is None


def test_every_extraction_path_builds_records_with_the_heads(tiny_extractor, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from trade_events.cli import app
    from trade_events.extraction.exports import read_rows
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.training.events import EventTrainConfig, fit_event_extractor

    docs, spans, events = _toy_gold()
    ext = TradeEventExtractor(tiny_extractor.model, tiny_extractor.tokenizer, max_length=32, stride=8)
    fit_event_extractor(ext, docs, spans, events, EventTrainConfig(epochs=2, hidden=32, layers=1,
                                                                   with_model_spans=False))
    ext.save_pretrained(tmp_path / "m")
    expected = [e.to_dict() for e in TradeEventExtractor.from_pretrained(tmp_path / "m").extract_batch(docs)
                for e in e]
    calls = []
    real = TradeEventExtractor.learned_events
    monkeypatch.setattr(TradeEventExtractor, "learned_events",
                        lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in docs))
    runner = CliRunner()
    r = runner.invoke(app, ["extract", "--model", str(tmp_path / "m"), str(src), "-o", str(tmp_path / "e.jsonl")])
    assert r.exit_code == 0, r.output
    assert len(calls) == len(docs)  # the records came from the heads
    got = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert got == expected
    r = runner.invoke(app, ["extract", "--model", str(tmp_path / "m"), str(src), "--format", "jsonl",
                            "-o", str(tmp_path / "dir")])
    assert r.exit_code == 0, r.output
    rows = read_rows(tmp_path / "dir" / "events")
    assert sorted((x["doc_id"], x["action"], x["measure_type"]) for x in rows) == \
        sorted((x["doc_id"], x["action"], x["measure_type"]) for x in expected)


def test_sanctions_named_as_tariffs_take_the_tariff_type():
    from trade_events.events.learned import instrument_types
    from trade_events.events.records import Party, TradeEvent

    us, jp = Party("U.S.", "USA"), Party("Japan", "JPN")
    got = instrument_types([TradeEvent("d", "impose", "sanction", us), TradeEvent("d", "impose", "import_tariff", us),
                            TradeEvent("d", "threaten", "sanction", jp)])
    assert [e.measure_type for e in got] == ["import_tariff", "import_tariff", "sanction"]  # Japan named no tariff
