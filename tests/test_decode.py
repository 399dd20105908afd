"""Viterbi decoding of word probabilities into guideline-shaped spans."""
import numpy as np

from trade_events.data.dataset import tags_to_spans
from trade_events.data.words import split_words
from trade_events.model.decode import sentence_start_words
from trade_events.model.extractor import TradeEventExtractor
from trade_events.spans import LABELS


def probs(rows: list[dict[str, float]]) -> np.ndarray:
    """Word × label probabilities; labels not named share what is left."""
    out = np.zeros((len(rows), len(LABELS)))
    for i, row in enumerate(rows):
        rest = (1 - sum(row.values())) / (len(LABELS) - len(row))
        out[i] = [row.get(label, rest) for label in LABELS]
    return out


def test_a_head_word_as_likely_b_as_i_joins_the_span_before_it():
    # "set import quotas": the model finds "quotas" a MEASURE but hesitates between B and I
    tags, _ = TradeEventExtractor.decode(probs([{"O": 0.98}, {"B-MEASURE": 0.93}, {"B-MEASURE": 0.49, "I-MEASURE": 0.43}]))
    assert tags == ["O", "B-MEASURE", "I-MEASURE"]


def test_a_confident_second_span_of_one_type_still_starts():
    tags, _ = TradeEventExtractor.decode(probs([{"B-ACTOR": 0.97}, {"B-ACTOR": 0.99}]))
    assert tags == ["B-ACTOR", "B-ACTOR"]


def test_spans_do_not_run_across_a_sentence_start():
    text = "It ended a trade war with the U.S.\n    Baldrige said so."
    words = split_words(text)
    starts = sentence_start_words(text, words)
    k = [w.text for w in words].index("Baldrige")
    assert starts == {k}
    rows = [{"O": 0.99}] * len(words)
    rows[k - 1] = {"B-ACTOR": 0.98}
    rows[k] = {"I-ACTOR": 0.9, "B-ACTOR": 0.05}  # the model would carry the span on
    tags, _ = TradeEventExtractor.decode(probs(rows), starts)
    assert tags[k - 1:k + 1] == ["B-ACTOR", "B-ACTOR"]
    assert TradeEventExtractor.decode(probs(rows))[0][k] == "I-ACTOR"  # without sentence starts it would


def test_punctuation_never_ends_a_span_but_percent_does():
    text = "by the House. Tariffs of 30%"
    words = split_words(text)
    tags = ["O", "O", "B-ACTOR", "I-ACTOR", "B-MEASURE", "O", "B-RATE", "I-RATE"]
    assert [w.text for w in words] == ["by", "the", "House", ".", "Tariffs", "of", "30", "%"]
    assert [s.text for s in tags_to_spans(text, words, tags)] == ["House", "Tariffs", "30%"]
    assert tags_to_spans(text, words, ["O", "O", "O", "B-ACTOR", "O", "O", "O", "O"]) == []


def _rates(text: str, marked: list[str]) -> list[str]:
    """RATE spans decoded from tags that mark the listed words (first B-, then I- while consecutive)."""
    words = split_words(text)
    tags, prev = [], False
    for w in words:
        inside = w.text in marked
        tags.append(("I-RATE" if prev else "B-RATE") if inside else "O")
        prev = inside
    return [s.text for s in tags_to_spans(text, words, tags) if s.label == "RATE"]


def test_a_rate_keeps_its_unit_and_a_bare_number_stands_only_before_a_range():
    assert _rates("lifting bans on 158 items", ["158"]) == []
    assert _rates("investment of 80 mln dlrs", ["80"]) == []  # the unit left outside: not a rate span
    assert _rates("a duty of 30 pct", ["30", "pct"]) == ["30 pct"]
    assert _rates("cut by ten per cent", ["ten", "per", "cent"]) == ["ten per cent"]
    assert _rates("between 10 and 40 pct", ["10", "40", "pct"]) == ["10", "40 pct"]
    assert _rates("from 8,000 to 9,500 tonnes", ["8,000", "9,500", "tonnes"]) == ["8,000", "9,500 tonnes"]


def test_a_measure_split_at_its_hyphen_is_joined_but_actors_are_not():
    text = "The EC set anti-dumping duties after U.S.-China talks."
    words = split_words(text)
    tags = {"anti": "B-MEASURE", "dumping": "B-MEASURE", "duties": "I-MEASURE", "U.S.": "B-ACTOR", "China": "B-ACTOR"}
    spans = tags_to_spans(text, words, [tags.get(w.text, "O") for w in words])
    assert [(s.text, s.label) for s in spans] == [("anti-dumping duties", "MEASURE"), ("U.S.", "ACTOR"),
                                                  ("China", "ACTOR")]


def test_decomposed_accents_stay_inside_their_word():
    import unicodedata

    text = unicodedata.normalize("NFD", "México and Perú cut tariffs.")
    words = split_words(text)
    assert [w.text for w in words][:3] == [unicodedata.normalize("NFD", "México"), "and",
                                           unicodedata.normalize("NFD", "Perú")]
    tags = ["B-ACTOR", "O", "B-ACTOR"] + ["O"] * (len(words) - 3)
    spans = tags_to_spans(text, words, tags)
    assert [text[s.start:s.end] for s in spans] == [words[0].text, words[2].text]  # no "Pe", no "xico"
    from trade_events.events.normalize import normalize_actor

    assert [normalize_actor(s.text).iso3 for s in spans] == ["MEX", "PER"]
    assert normalize_actor("México").iso3 == "MEX"


def test_rates_come_from_the_rules_and_other_types_from_the_tagger():
    from trade_events.model.arbitration import arbitrate
    from trade_events.spans import Span

    text = "Exports fell 12 pct. Japan cut tariffs to 20 pct on beef."
    at = (lambda w, label: Span.from_text(text, text.index(w), text.index(w) + len(w), label, 0.9))
    tagger = [at("12 pct", "RATE"),  # a statistic the tagger took for a rate
              at("Japan", "ACTOR"), at("tariffs", "MEASURE"), at("beef", "PRODUCT")]
    got = arbitrate(text, tagger)
    assert [(s.text, s.label) for s in got] == [("Japan", "ACTOR"), ("tariffs", "MEASURE"), ("20 pct", "RATE"),
                                                ("beef", "PRODUCT")]
    assert arbitrate(text, tagger, ()) == tagger  # no rule types: the tagger's spans as they are
