"""The optional Reuters corpus: its use when present, and graceful absence on a user's machine."""

import pytest
from typer.testing import CliRunner

from trade_events.cli import app
from trade_events.data import corpus
from trade_events.data.gold import REUTERS_DEV_GOLD, REUTERS_TRAIN_GOLD, gold_dir, read_dev_ids, read_gold

runner = CliRunner()


def test_absent_corpus_falls_back_to_the_seeds(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADE_EVENTS_CORPUS", str(tmp_path / "nowhere"))
    assert corpus.corpus_dir() is None
    r = runner.invoke(app, ["label", "--corpus", "-o", str(tmp_path / "lab")])
    assert r.exit_code == 0, r.output
    assert "Reuters corpus not found" in r.output and "reuters_train" not in r.output
    r = runner.invoke(app, ["evaluate", "-o", str(tmp_path / "ev")])
    assert r.exit_code == 0 and "scoring on the seeds alone" in r.output


@pytest.mark.corpus
def test_dev_pick_is_fixed_and_never_in_the_training_pool(needs_corpus):
    stories = corpus.load_train_stories()
    ids = read_dev_ids()
    assert corpus.select_dev_ids(stories) == ids and len(ids) == 25
    pool, _, dev = corpus.split_train_stories(stories, ids)
    assert len(pool) + len(dev) == len(stories) and not {d.id for d in pool} & set(ids)


@pytest.mark.corpus
def test_reuters_dev_gold_is_valid_and_holds_no_text(needs_corpus):
    from trade_events.data.gold import validate_spans

    path = gold_dir() / REUTERS_DEV_GOLD
    if not path.is_file():
        pytest.skip("no Reuters dev gold in this checkout")
    assert '"text"' not in path.read_text(), "the corpus text must not be copied into the project"
    gold = read_gold(REUTERS_DEV_GOLD)
    stories = {d.id: d for d in corpus.load_train_stories()}
    for doc_id, spans in gold.items():
        validate_spans(spans, stories[doc_id])


@pytest.mark.corpus
def test_hand_labelled_training_stories_are_the_fixed_pick_apart_from_dev(needs_corpus):
    from trade_events.data.gold import validate_spans
    from trade_events.data.gold_sets import read_train_gold_ids, reuters_train_gold

    stories = corpus.load_train_stories()
    dev = read_dev_ids()
    ids = read_train_gold_ids()
    assert ids == corpus.select_train_gold_ids(stories, dev) and len(ids) == corpus.TRAIN_GOLD_SIZE
    assert not set(ids) & set(dev)
    assert '"text"' not in (gold_dir() / REUTERS_TRAIN_GOLD).read_text()
    gold = reuters_train_gold()
    assert set(gold) == set(ids)  # every picked story is annotated
    by_id = {d.id: d for d in stories}
    for doc_id, spans in gold.items():
        validate_spans(spans, by_id[doc_id])
    pool, hand, _ = corpus.split_train_stories(stories, dev, frozenset(ids))
    assert {d.id for d in hand} == set(ids) and not {d.id for d in pool} & (set(ids) | set(dev))


@pytest.mark.corpus
def test_dev_gold_adjudication_record_explains_every_difference_with_the_independent_pass(needs_corpus):
    """The dev gold differs from the independent pass only in recorded regions; each region holds the version
    the record says was kept, and the independent one was kept only when both blind adjudicators chose it."""
    import json

    from trade_events.data.gold import REUTERS_DEV_ADJUDICATION, REUTERS_DEV_INDEPENDENT, validate_spans

    if not (gold_dir() / REUTERS_DEV_ADJUDICATION).is_file():
        pytest.skip("no adjudication record in this checkout")
    gold, other = read_gold(REUTERS_DEV_GOLD), read_gold(REUTERS_DEV_INDEPENDENT)
    assert set(gold) == set(other) == set(read_dev_ids())
    assert '"text"' not in (gold_dir() / REUTERS_DEV_INDEPENDENT).read_text()
    stories = {d.id: d for d in corpus.load_train_stories()}
    for doc_id, spans in other.items():
        validate_spans(spans, stories[doc_id])
    records = [json.loads(line) for line in (gold_dir() / REUTERS_DEV_ADJUDICATION).read_text().splitlines()]
    for r in records:
        inside = [(s.start, s.end, s.label) for s in gold[r["id"]] if s.start < r["end"] and r["start"] < s.end]
        assert inside == [(s["start"], s["end"], s["label"]) for s in r[r["kept"]]], r
        assert r["settled"] != r["independent"] and len(r["adjudicators"]) == 2
        assert (r["kept"] == "independent") == (r["adjudicators"] == ["independent", "independent"])

    def outside(spans, regions):
        return {(s.start, s.end, s.label) for s in spans if not any(s.start < e and b < s.end for b, e in regions)}

    for doc_id in gold:  # outside the recorded regions the two annotations agree exactly
        regions = [(r["start"], r["end"]) for r in records if r["id"] == doc_id]
        assert outside(gold[doc_id], regions) == outside(other[doc_id], regions), doc_id
