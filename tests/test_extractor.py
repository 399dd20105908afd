"""Inference API on a tiny random BERT: offsets, windowing, batching, bad input and bad model folders."""
import json
import shutil

import pytest

from trade_events.data.words import split_words
from trade_events.model.extractor import TradeEventExtractor
from trade_events.model.files import ModelLoadError
from trade_events.model.windows import encode_windows


def test_spans_have_exact_offsets_and_word_edges(tiny_extractor, seeds):
    text = seeds[1].text
    starts = {w.start for w in split_words(text)}
    ends = {w.end for w in split_words(text)}
    spans = tiny_extractor.predict_spans(text)
    assert spans, "a random model still tags something"
    for s in spans:
        assert text[s.start:s.end] == s.text and s.start in starts and s.end in ends
        assert 0.0 <= s.score <= 1.0


def test_batch_equals_single(tiny_extractor, seeds):
    texts = [d.text for d in seeds]
    assert tiny_extractor.predict_spans_batch(texts) == [tiny_extractor.predict_spans(t) for t in texts]


def test_long_document_is_windowed_not_truncated(tiny_extractor):
    text = " ".join(f"China raised tariffs on steel to {i % 90 + 5}% in April." for i in range(2000))  # 20,000 words
    words = split_words(text)
    windows = encode_windows(tiny_extractor.tokenizer, [w.text for w in words], 32, 8)
    covered = {wid for win in windows for wid in win.word_ids if wid is not None}
    assert covered == set(range(len(words)))
    spans = tiny_extractor.predict_spans(text)
    assert spans[-1].end > len(text) - 200  # predictions reach the end of the text
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))  # overlap regions never duplicate spans


def test_window_merge_keeps_one_prediction_per_word(tiny_extractor):
    text = " ".join(["Beijing"] * 120)
    spans = tiny_extractor.predict_spans(text)
    assert len({(s.start, s.end) for s in spans}) == len(spans)


@pytest.mark.parametrize("bad,msg", [("", "empty text"), ("  \n ", "empty text"), (b"bytes", "expected str")])
def test_bad_text_is_a_clear_error(tiny_extractor, bad, msg):
    with pytest.raises((ValueError, TypeError), match=msg):
        tiny_extractor.predict_spans(bad)


def test_huge_text_is_refused(tiny_extractor):
    with pytest.raises(ValueError, match="over the limit"):
        tiny_extractor.predict_spans("x " * 3_000_000)


def test_save_and_reload_give_identical_spans(tiny_extractor, tiny_model_dir, seeds):
    again = TradeEventExtractor.from_pretrained(tiny_model_dir)
    assert again.predict_spans(seeds[0].text) == tiny_extractor.predict_spans(seeds[0].text)
    assert again.max_length == 32 and again.stride == 8


def test_missing_folder(tmp_path):
    with pytest.raises(ModelLoadError, match="no such model folder"):
        TradeEventExtractor.from_pretrained(tmp_path / "nope")


def test_folder_without_safetensors(tiny_model_dir, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model_dir, bad)
    (bad / "model.safetensors").rename(bad / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match="safetensors only"):
        TradeEventExtractor.from_pretrained(bad)


def test_label_map_that_does_not_match_the_weights(tiny_model_dir, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model_dir, bad)
    cfg = json.loads((bad / "config.json").read_text())
    cfg["id2label"] = {str(i): lab for i, lab in enumerate(["O", "B-ACTOR", "I-ACTOR"])}
    cfg["label2id"] = {v: int(k) for k, v in cfg["id2label"].items()}
    (bad / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelLoadError, match="does not match the weights"):
        TradeEventExtractor.from_pretrained(bad)


def test_a_label_map_with_swapped_labels_is_refused(tiny_model_dir, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model_dir, bad)
    cfg = json.loads((bad / "config.json").read_text())
    m = cfg["id2label"]
    m["1"], m["3"] = m["3"], m["1"]  # right size, known labels, wrong order: would mislabel every span
    cfg["label2id"] = {v: int(k) for k, v in m.items()}
    (bad / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelLoadError, match=r"1: B-RATE \(trained as B-ACTOR\)"):
        TradeEventExtractor.from_pretrained(bad)


def test_unknown_labels_are_refused(tiny_model_dir, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model_dir, bad)
    cfg = json.loads((bad / "config.json").read_text())
    cfg["id2label"]["1"] = "B-PERSON"
    (bad / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelLoadError, match="not a label map"):
        TradeEventExtractor.from_pretrained(bad)


def test_corrupted_weights(tiny_model_dir, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model_dir, bad)
    (bad / "model.safetensors").write_bytes(b"\x00\x01garbage")
    with pytest.raises(ModelLoadError, match="corrupted"):
        TradeEventExtractor.from_pretrained(bad)


def test_interrupted_save_leaves_no_half_written_folder(tiny_extractor, tmp_path, monkeypatch):
    target = tmp_path / "out"

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(tiny_extractor.tokenizer, "save_pretrained", boom)
    with pytest.raises(KeyboardInterrupt):
        tiny_extractor.save_pretrained(target)
    assert not target.exists() and not list(tmp_path.iterdir())
