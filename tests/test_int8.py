"""The int8 path (ONNX Runtime): same windowing and decoding, near-identical predictions, packaged graph."""
import zipfile

import pytest

pytest.importorskip("onnxruntime", reason='the int8 extra is not installed (pip install "trade-events[int8]")')

from trade_events.model.onnx_int8 import INT8_FILE, ONNX_DIR, Int8TradeEventExtractor  # noqa: E402
from trade_events.model.package import package_model  # noqa: E402


def test_int8_path_matches_fp32_closely(tiny_extractor, tiny_model_dir, seeds):
    q = Int8TradeEventExtractor.from_pretrained(tiny_model_dir)
    text = seeds[1].text
    words_fp32 = tiny_extractor.predict_word_tags([text.split()])[0][0]
    words_int8 = q.predict_word_tags([text.split()])[0][0]
    agree = sum(a == b for a, b in zip(words_fp32, words_int8)) / len(words_fp32)
    assert agree > 0.9
    for s in q.predict_spans(text):
        assert text[s.start:s.end] == s.text


def test_package_ships_the_int8_graph(tiny_model_dir, tmp_path, seeds):
    folder, wheel = package_model(tiny_model_dir, tmp_path / "pkg", int8=True)
    assert (folder / ONNX_DIR / INT8_FILE).is_file()
    assert f"trade_events_model/model/{ONNX_DIR}/{INT8_FILE}" in zipfile.ZipFile(wheel).namelist()
    q = Int8TradeEventExtractor.from_pretrained(folder)
    assert q.metadata["backend"] == "onnxruntime-int8" and q.predict_spans(seeds[0].text) is not None


def test_from_pretrained_takes_int8_and_builds_its_graph_without_leaving_files(tiny_model_dir, tmp_path,
                                                                                monkeypatch):
    import tempfile

    from trade_events.model.extractor import TradeEventExtractor

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where a leaked temporary folder would land
    before = sorted(p.name for p in tiny_model_dir.iterdir())
    q = TradeEventExtractor.from_pretrained(tiny_model_dir, int8=True)
    assert isinstance(q, Int8TradeEventExtractor) and q.metadata["backend"] == "onnxruntime-int8"
    assert list(scratch.iterdir()) == []  # the graph built for this run is gone with it
    assert sorted(p.name for p in tiny_model_dir.iterdir()) == before  # the model folder is not written to
