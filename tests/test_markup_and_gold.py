import pytest

from trade_events.data.documents import Document
from trade_events.data.gold import GoldError, SEEDS_GOLD, read_gold, validate_spans, write_gold
from trade_events.data.markup import parse_markup, render_markup
from trade_events.spans import ENTITY_TYPES, Span


def test_markup_round_trip():
    text = "U.S. tariffs on Chinese goods rose to 145% in April."
    marked = "⟦ACTOR|U.S.⟧ ⟦MEASURE|tariffs⟧ on ⟦ACTOR|Chinese⟧ goods rose to ⟦RATE|145%⟧ in ⟦DATE|April⟧."
    plain, spans = parse_markup(marked, text)
    assert plain == text
    assert [(s.label, s.text) for s in spans] == [("ACTOR", "U.S."), ("MEASURE", "tariffs"), ("ACTOR", "Chinese"),
                                                  ("RATE", "145%"), ("DATE", "April")]
    assert render_markup(text, spans) == marked


def test_markup_that_changes_the_text_is_refused():
    with pytest.raises(ValueError, match="changes the text"):
        parse_markup("⟦ACTOR|US⟧ tariffs", "U.S. tariffs")
    with pytest.raises(ValueError, match="unknown label"):
        parse_markup("⟦COUNTRY|China⟧", "China")


def test_seed_gold_is_valid_and_complete(seeds):
    gold = read_gold(SEEDS_GOLD)
    assert sorted(gold) == [d.id for d in seeds]
    for doc in seeds:
        validate_spans(gold[doc.id], doc)
        assert gold[doc.id], doc.id
    labels = {s.label for spans in gold.values() for s in spans}
    assert labels == set(ENTITY_TYPES)


def test_seed_gold_follows_key_guideline_cases(seeds):
    gold = read_gold(SEEDS_GOLD)
    flat = {(doc_id, s.text, s.label) for doc_id, spans in gold.items() for s in spans}
    texts = {(t, lab) for _, t, lab in flat}
    assert ("U.S. Treasury Secretary Scott Bessent", "ACTOR") in texts
    assert ("145%", "RATE") in texts and ("January to May", "DATE") in texts
    assert not any(t in ("London", "Geneva", "Lancaster House", "Ford", "Natixis") for t, _ in texts)
    assert ("34.5%", "RATE") not in texts and ("90-day", "DATE") not in texts
    sidebar_doc = next(d for d in seeds if d.id.startswith("002"))
    sidebar_start = sidebar_doc.text.index("U.S. Intelligence Briefly")
    assert not [s for s in gold[sidebar_doc.id] if s.start >= sidebar_start and s.label == "MEASURE"]


def test_validator_catches_each_problem():
    doc = Document("d", "China raised tariffs.")
    validate_spans([Span(0, 5, "ACTOR", "China")], doc)
    for bad, msg in [([Span(0, 99, "ACTOR")], "past the end"),
                     ([Span(0, 5, "ACTOR", "Japan")], "stored text"),
                     ([Span(0, 6, "ACTOR")], "whitespace"),
                     ([Span(0, 5, "ACTOR"), Span(2, 12, "MEASURE")], "overlaps")]:
        with pytest.raises(GoldError, match=msg):
            validate_spans(bad, doc)
    with pytest.raises(ValueError, match="unknown span label"):
        Span(0, 5, "COUNTRY")


def test_gold_write_read_round_trip(tmp_path):
    gold = {"d": [Span(0, 5, "ACTOR", "China"), Span(13, 20, "MEASURE", "tariffs")]}
    p = write_gold(tmp_path / "g.jsonl", gold, with_text=False)
    assert '"text"' not in p.read_text()
    assert read_gold(p) == {"d": [Span(0, 5, "ACTOR", ""), Span(13, 20, "MEASURE", "")]}
