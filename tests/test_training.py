"""Training pieces that need no real model: config validation, label alignment, self-training merge."""
import datasets
import pytest

from trade_events.spans import LABELS
from trade_events.training.alignment import IGNORE, align_window_labels, tokenize_dataset
from trade_events.training.config import TrainConfig
from trade_events.training.self_training import add_confident_spans, relabel


@pytest.mark.parametrize("bad", [dict(learning_rate=0), dict(batch_size=0), dict(max_length=8),
                                 dict(stride=200), dict(entity_weight=0), dict(self_train_threshold=0),
                                 dict(epochs=0, max_steps=-1)])
def test_config_validation(bad):
    with pytest.raises(ValueError):
        TrainConfig(**bad)


def test_labels_go_on_first_subwords_only():
    assert align_window_labels([None, 0, 0, 1, None], [3, 5], {0, 1}) == [IGNORE, 3, IGNORE, 5, IGNORE]
    assert align_window_labels([None, 0, 1, None], [3, 5], {1}) == [IGNORE, IGNORE, 5, IGNORE]


def test_tokenized_rows_carry_aligned_labels(tiny_extractor):
    ds = datasets.Dataset.from_list([{"tokens": ["Chinese", "tariffs", "rose"], "ner_tags": [1, 7, 0]}])
    out = tokenize_dataset(ds, tiny_extractor.tokenizer, max_length=32, stride=8)
    labels = [x for x in out[0]["labels"] if x != IGNORE]
    assert labels == [1, 7, 0]


def test_self_training_only_adds_confident_spans_where_rules_are_silent():
    rule = ["B-ACTOR", "O", "O", "O", "O"]
    model = ["B-MEASURE", "B-MEASURE", "I-MEASURE", "B-DATE", "O"]
    scores = [0.99, 0.9, 0.85, 0.5, 0.9]
    assert add_confident_spans(rule, model, scores, 0.8) == ["B-ACTOR", "B-MEASURE", "I-MEASURE", "O", "O"]


def test_relabel_keeps_every_rule_span(tiny_extractor):
    ds = datasets.Dataset.from_list([{"tokens": ["Japan", "raised", "tariffs"], "ner_tags": [1, 0, 7]}])
    out, added = relabel(ds, tiny_extractor, threshold=0.0)
    tags = [LABELS[t] for t in out[0]["ner_tags"]]
    assert tags[0] == "B-ACTOR" and tags[2] == "B-MEASURE" and added >= 0
