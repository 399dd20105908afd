"""The staged recipe on a tiny random model: A (weak pool) → B1 (hand-labelled stories) → B2 (seeds).

Cross-validation reuses the shared stages that ``train`` keeps, only when they hold no seed text and
belong to the same recipe and dataset, and no fold ever trains on the article it is scored on."""
from __future__ import annotations

from dataclasses import replace

import pytest

from trade_events.data.corpus import HAND_SPLIT, POOL_SPLIT
from trade_events.data.dataset import build_dataset
from trade_events.data.documents import Document
from trade_events.data.labelling import label_text
from trade_events.training.config import TrainConfig
from trade_events.training.recipe import reusable_stage, stage_dir, train_recipe


@pytest.fixture(scope="module")
def staged_dataset(seeds):
    pool = [Document(f"pool-{i}", "Japan imposed tariffs on U.S. steel in March.") for i in range(6)]
    hand = [Document(f"hand-{i}", "The EC raised duties on Japanese cars last week.") for i in range(6)]
    groups = {d.id: [d] for d in seeds} | {POOL_SPLIT: pool, HAND_SPLIT: hand}
    return build_dataset(groups, label_text)


@pytest.fixture(scope="module")
def tiny_config(tiny_model_dir):
    return TrainConfig(base_model=str(tiny_model_dir), max_length=32, stride=8, batch_size=4,
                       pool_epochs=1.0, max_steps=6, seed_steps=2, seed_repeats=2)


def test_train_keeps_seed_free_stages_and_records_every_document(staged_dataset, tiny_config, seeds, tmp_path):
    out = tmp_path / "model"
    result = train_recipe(tiny_config, staged_dataset, out, progress=False)
    meta = result.extractor.metadata
    assert meta["recipe"] == "stages A → B1 → B2"
    seen = set(meta["trained_on_documents"])
    assert {d.id for d in seeds} | {"pool-0", "hand-0"} <= seen
    m = result.metrics
    assert m["train_steps"] == 2 and {"stage_a_runtime_s", "stage_b1_runtime_s"} <= set(m)
    assert m["train_runtime_s"] >= m["stage_a_runtime_s"] + m["stage_b1_runtime_s"]
    for stage in ("stage-a", "stage-b1"):
        kept = reusable_stage(out, stage, tiny_config, staged_dataset)
        assert kept is not None and not {d.id for d in seeds} & set(kept.extractor.metadata["trained_on_documents"])
    b1 = reusable_stage(out, "stage-b1", tiny_config, staged_dataset)
    assert "hand-0" in b1.extractor.metadata["trained_on_documents"] and b1.metrics["train_steps"] == 4
    # another recipe or another dataset must not reuse them
    assert reusable_stage(out, "stage-b1", replace(tiny_config, seed_steps=3), staged_dataset) is None
    smaller = staged_dataset.copy()
    smaller.pop(HAND_SPLIT)
    assert reusable_stage(out, "stage-a", tiny_config, smaller) is None
    assert stage_dir(out, "stage-b1").name == "model-stage-b1"


def test_crossval_reruns_only_stage_b2_and_never_sees_the_held_out_article(staged_dataset, tiny_config, seeds, tmp_path):
    from trade_events.evaluate.crossval import leave_one_article_out
    from trade_events.data.gold_sets import seeds_gold

    out = tmp_path / "model"
    train_recipe(tiny_config, staged_dataset, out, progress=False)
    logs: list[str] = []
    docs, gold = seeds_gold()
    cv = leave_one_article_out(staged_dataset, tiny_config, docs[:2], {d.id: gold[d.id] for d in docs[:2]}, label_text,
                               log=logs.append, stage_a_result=reusable_stage(out, "stage-a", tiny_config, staged_dataset),
                               stage_b1_result=reusable_stage(out, "stage-b1", tiny_config, staged_dataset))
    assert any("reusing stage B1" in line for line in logs) and sum("stage B2" in line for line in logs) == 2
    assert [f.held_out for f in cv.folds] == [d.id for d in docs[:2]]
    assert cv.pooled_model is not None and 0 <= cv.pooled_model.micro.f1 <= 1


def test_without_hand_labelled_stories_stage_b_runs_whole(seeds, tiny_config, tmp_path):
    ds = build_dataset({d.id: [d] for d in seeds}, label_text)
    result = train_recipe(tiny_config, ds, tmp_path / "model", progress=False)
    assert result.extractor.metadata["recipe"] == "stages B" and result.metrics["train_steps"] == 6
    assert not stage_dir(tmp_path / "model", "stage-b1").exists()


def test_story_folds_train_without_their_stories_and_score_them(staged_dataset, tiny_config):
    from trade_events.evaluate.story_cv import cross_validate_stories, story_folds

    hand = [Document(f"hand-{i}", "The EC raised duties on Japanese cars last week.") for i in range(6)]
    folds = story_folds([d.id for d in hand], 3)
    assert folds == story_folds([d.id for d in reversed(hand)], 3)  # fixed by the seed, not the input order
    assert sorted(i for f in folds for i in f) == sorted(d.id for d in hand) and all(len(f) == 2 for f in folds)
    with pytest.raises(ValueError, match="folds"):
        story_folds(["a"], 2)
    gold = {d.id: label_text(d.text) for d in hand}
    logs: list[str] = []
    res = cross_validate_stories(staged_dataset, tiny_config, hand, gold, label_text, k=3, log=logs.append)
    assert sum("held out" in line for line in logs) == 3
    assert set(res.predictions) == set(gold)  # every story predicted once, by the fold that held it out
    assert res.rules.micro.f1 == 1.0  # the gold here is the rules' own output
    assert res.model is not None and res.shipped is not None and set(res.to_dict()) == {"folds", "rules", "model", "shipped"}


def test_leakage_is_refused_with_the_documents_named():
    from trade_events.evaluate.leakage import LeakageError, held_out_docs, refuse_leakage

    refuse_leakage(["a"], ["b"], "x")
    with pytest.raises(LeakageError, match="leakage: the fold's model trained on 1 held-out document"):
        refuse_leakage(["a", "c"], ["a", "b"], "leakage: the fold's model")
    docs = [Document("a", "x"), Document("b", "y")]
    assert [d.id for d in held_out_docs(docs, {"a"}, "dev", strict=False)] == ["b"]
    with pytest.raises(LeakageError, match="refusing to score on dev"):
        held_out_docs(docs, {"a"}, "dev", strict=True)
