"""The label step: the seeds, optional JSONL files and the Reuters stories as a labelled ``DatasetDict``
(weak labels from the rules; the hand-labelled stories with their gold spans)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from trade_events.data import corpus as corpus_mod
from trade_events.data.dataset import build_dataset, save_dataset
from trade_events.data.documents import Document, load_jsonl, load_seeds
from trade_events.data.gold import attach_text, read_dev_ids
from trade_events.data.gold_sets import read_train_gold_ids, reuters_train_gold
from trade_events.data.labelling import label_text
from trade_events.spans import LABELS, Span
from trade_events.step import StepResult


def label_step(output: Path, extra_inputs: list[Path] = (), with_corpus: bool = False) -> StepResult:
    """Weak-label the seeds (one split each), optional JSONL files and the Reuters pool (the hand-labelled
    stories with their gold spans); save the ``DatasetDict`` in ``output``."""
    res = StepResult()
    seeds = load_seeds()
    groups: dict[str, list[Document]] = {d.id: [d] for d in seeds}
    hand: dict[str, list[Span]] = {}
    for path in extra_inputs:
        errors: list[str] = []
        groups[Path(path).stem] = load_jsonl(path, errors)
        res.messages += [f"skipped {e}" for e in errors]
    if with_corpus:
        if corpus_mod.corpus_dir() is None:
            res.messages.append("Reuters corpus not found (../shared/corpus): labelling the seeds alone")
        else:
            hand = reuters_train_gold()
            # the pool leaves out every story picked for hand labelling, finished or not, so it stays fixed
            pool, labelled, _ = corpus_mod.split_train_stories(corpus_mod.load_train_stories(), read_dev_ids(),
                                                               frozenset(read_train_gold_ids()))
            labelled = [d for d in labelled if d.id in hand]
            hand = {d.id: attach_text(hand[d.id], d) for d in labelled}  # checks every offset against the text
            groups[corpus_mod.POOL_SPLIT] = pool
            if labelled:
                groups[corpus_mod.HAND_SPLIT] = labelled
                res.messages.append(f"hand-labelled Reuters training stories: {len(labelled)} "
                                    f"(split {corpus_mod.HAND_SPLIT}); weak-labelled pool: {len(pool)}")
    ds = build_dataset(groups, label_text, gold=hand)
    path = save_dataset(ds, output)
    tag_counts = Counter(LABELS[t] for split in ds.values() for row in split for t in row["ner_tags"])
    res.messages.append(f"dataset: {path} ({len(ds)} splits, {sum(len(s) for s in ds.values())} rows, "
                        f"{sum(tag_counts.values())} words)")
    for name, split in ds.items():
        res.messages.append(f"  split {name:<24} {len(split):>5} rows")
    res.messages.append("  spans per type: " + ", ".join(
        f"{lab[2:]} {n}" for lab, n in sorted(tag_counts.items()) if lab.startswith("B-")))
    res.data = {"dataset": ds}
    return res
