import datetime as dt
import json

import pytest

from trade_events.data.documents import Document, DocumentError, load_jsonl, parse_date, read_text_file, seeds_dir

from conftest import SHARED


def test_seeds_load_typed_with_dates(seeds):
    assert [d.id[:3] for d in seeds] == ["000", "001", "002", "003", "004"]
    assert all(isinstance(d, Document) and d.text for d in seeds)
    dates = {d.id[:3]: d.date for d in seeds}
    assert dates["001"] == dt.date(2025, 6, 9) and dates["002"] == dt.date(2025, 6, 10)


def test_seeds_are_verbatim_copies():
    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds absent")
    for src in shared.glob("*.txt"):
        assert (seeds_dir() / src.name).read_bytes() == src.read_bytes(), src.name


def test_seed_with_sidebar_keeps_the_noise(seeds):
    doc = next(d for d in seeds if d.id.startswith("002"))
    assert "Korea Zinc Plans $6.78 Billion U.S. Smelter Investment" in doc.text


def test_parse_date_forms():
    assert parse_date("2025-06-09") == dt.date(2025, 6, 9)
    assert parse_date("26-FEB-1987 15:01:01.79") == dt.date(1987, 2, 26)
    assert parse_date(None) is None
    with pytest.raises(DocumentError, match="unreadable date"):
        parse_date("next Tuesday-ish")


def test_empty_text_is_a_clear_error():
    with pytest.raises(DocumentError, match="has no text"):
        Document("x", "   \n")


def test_non_utf8_file_is_a_clear_error(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Tarifs douaniers à 25%".encode("latin-1"))
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        read_text_file(p)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="no such file"):
        load_jsonl(tmp_path / "nope.jsonl")


def test_malformed_jsonl_lines_reported_and_rest_kept(tmp_path):
    p = tmp_path / "docs.jsonl"
    good = {"id": "a", "date": "2025-06-09", "text": "China raised tariffs."}
    p.write_bytes(b"\n".join([
        json.dumps(good).encode(), b"{not json", json.dumps({"id": "b", "text": ""}).encode(),
        b'{"id": "c", "text": "caf\xe9"}', json.dumps({"id": "d", "text": "Japan cut duties."}).encode()]))
    errors: list[str] = []
    docs = load_jsonl(p, errors)
    assert [d.id for d in docs] == ["a", "d"]
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4"]
    with pytest.raises(DocumentError, match=":2:"):
        load_jsonl(p)


def test_a_folder_reads_upper_case_txt_and_says_what_it_does_not_read(tmp_path):
    from trade_events.data.documents import read_inputs

    (tmp_path / "A.TXT").write_text("Japan raised tariffs.")
    (tmp_path / "b.txt").write_text("China cut tariffs.")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "more").mkdir()
    (tmp_path / ".hidden").write_text("x")
    errors: list[str] = []
    docs = read_inputs([tmp_path], errors=errors)
    assert [d.id for d in docs] == ["A", "b"]
    assert len(errors) == 2 and any("more: a subfolder, not read" in e for e in errors)
    assert any("notes.md: not a .txt file" in e for e in errors)
