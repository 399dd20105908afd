import json

import datasets
import pytest

from trade_events.data.dataset import (build_dataset, load_dataset, save_dataset, sentence_chunks, spans_to_tags,
                                       tags_to_spans)
from trade_events.data.documents import Document
from trade_events.data.labelling import label_text
from trade_events.data.words import split_words
from trade_events.spans import LABELS, Span


def test_spans_to_tags_and_back():
    text = "U.S. Treasury Secretary Scott Bessent cut tariffs to 30%."
    spans = [Span.from_text(text, 0, 37, "ACTOR"), Span.from_text(text, 42, 49, "MEASURE"),
             Span.from_text(text, 53, 56, "RATE")]
    words = split_words(text)
    tags = spans_to_tags(words, spans)
    assert tags[:5] == ["B-ACTOR", "I-ACTOR", "I-ACTOR", "I-ACTOR", "I-ACTOR"]
    assert tags_to_spans(text, words, tags) == spans


def test_dataset_has_one_split_per_article_and_stable_labels(seeds):
    ds = build_dataset({d.id: [d] for d in seeds}, label_text)
    assert sorted(ds) == [d.id for d in seeds]
    assert ds[seeds[0].id].features["ner_tags"].feature.names == list(LABELS)
    row = ds[seeds[1].id][0]
    doc = seeds[1]
    assert [doc.text[s:e] for s, e in zip(row["starts"], row["ends"])] == row["tokens"]


def test_long_sentences_are_chunked_not_truncated():
    doc = Document("long", " ".join(["tariffs"] * 250) + ".")
    chunks = sentence_chunks(doc, max_words=96)
    assert sum(len(c) for c in chunks) == 251 and max(len(c) for c in chunks) == 96


def test_save_and_load_round_trip(seeds, tmp_path):
    ds = build_dataset({d.id: [d] for d in seeds[:2]}, label_text)
    save_dataset(ds, tmp_path)
    back = load_dataset(tmp_path)
    assert {k: v.to_list() for k, v in back.items()} == {k: v.to_list() for k, v in ds.items()}
    rows = [json.loads(line) for line in (tmp_path / "dataset.jsonl").read_text().splitlines()]
    assert len(rows) == sum(len(v) for v in ds.values()) and rows[0]["ner_tags"][0] in LABELS


def test_load_refuses_a_different_label_list(tmp_path):
    feats = datasets.Features({"tokens": datasets.Sequence(datasets.Value("string")),
                               "ner_tags": datasets.Sequence(datasets.ClassLabel(names=["O", "B-X", "I-X"]))})
    datasets.DatasetDict({"a": datasets.Dataset.from_list([{"tokens": ["a"], "ner_tags": [0]}], features=feats)}
                         ).save_to_disk(str(tmp_path / "dataset"))
    with pytest.raises(ValueError, match="label list"):
        load_dataset(tmp_path)
    with pytest.raises(FileNotFoundError, match="no dataset folder"):
        load_dataset(tmp_path / "missing")
