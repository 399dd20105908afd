"""The optional real-text corpus (Reuters-21578 trade stories in ``../shared/corpus/``).

It is read at run time and never copied into the project. ``TRADE_EVENTS_CORPUS`` points
elsewhere; when the folder is absent, callers fall back to the seeds alone.
"""
from __future__ import annotations

import os
import random
import re
from pathlib import Path

from trade_events.data.documents import Document, load_jsonl

TRAIN_FILE = "reuters21578-trade-train.jsonl"
#: Dataset split names: the weak-labelled Reuters pool and the hand-labelled Reuters training stories.
POOL_SPLIT, HAND_SPLIT = "reuters_train", "reuters_gold"
BLIND_FILE = "reuters21578-trade-blind.jsonl"  # timing/smoke runs only: never trained on or read for rules
DEV_SEED = 20250609
DEV_SIZE = 25
DEV_MAX_WORDS = 600
#: A second fixed-seed pick, disjoint from the dev stories: hand-labelled *training* stories.
TRAIN_GOLD_SEED = 20251123
TRAIN_GOLD_SIZE = 112
#: How the dev stories were picked: any mention of a trade-measure word, nothing about the rules.
_MEASURE_MENTION = re.compile(
    r"\b(tariffs?|dut(?:y|ies)|quotas?|sanctions?|embargo(?:es)?|bans?|banned|anti-?dumping|"
    r"countervailing|retaliat\w*|export (?:controls?|restraints?|curbs?|licen[cs]es?)|"
    r"import (?:curbs?|restrictions?))\b", re.I)


def corpus_dir() -> Path | None:
    """The corpus folder if present: ``$TRADE_EVENTS_CORPUS`` when set (and then only there), else
    ``shared/corpus`` beside the current folder, the repository, or one of their parents."""
    if "TRADE_EVENTS_CORPUS" in os.environ:
        folder = Path(os.environ["TRADE_EVENTS_CORPUS"])
        return folder if (folder / TRAIN_FILE).is_file() else None
    candidates = []
    here = Path(__file__).resolve()
    for base in [Path.cwd(), *Path.cwd().parents, *here.parents]:
        candidates.append(base / "shared" / "corpus")
        candidates.append(base.parent / "shared" / "corpus")
    return next((c for c in candidates if (c / TRAIN_FILE).is_file()), None)


def load_train_stories() -> list[Document]:
    """All 402 train stories (text field only; the title is kept in ``meta``)."""
    folder = corpus_dir()
    if folder is None:
        raise FileNotFoundError("the Reuters corpus is not present (set TRADE_EVENTS_CORPUS)")
    return load_jsonl(folder / TRAIN_FILE)


def select_dev_ids(stories: list[Document], k: int = DEV_SIZE, seed: int = DEV_SEED) -> list[str]:
    """Pick the dev-gold stories with a fixed seed among those that mention a measure (and are ≤ 600 words)."""
    pool = sorted(d.id for d in stories
                  if _MEASURE_MENTION.search(d.text) and len(d.text.split()) <= DEV_MAX_WORDS)
    return sorted(random.Random(seed).sample(pool, k))


def select_train_gold_ids(stories: list[Document], dev_ids: list[str], k: int = TRAIN_GOLD_SIZE,
                          seed: int = TRAIN_GOLD_SEED) -> list[str]:
    """Pick the hand-labelled training stories the same way as the dev ones, never among the dev stories."""
    dev = set(dev_ids)
    pool = sorted(d.id for d in stories if d.id not in dev
                  and _MEASURE_MENTION.search(d.text) and len(d.text.split()) <= DEV_MAX_WORDS)
    return sorted(random.Random(seed).sample(pool, k))


def split_train_stories(stories: list[Document], dev_ids: list[str], hand_labelled: frozenset[str] = frozenset()
                        ) -> tuple[list[Document], list[Document], list[Document]]:
    """``(weak-label pool, hand-labelled training stories, dev gold stories)``; dev stories are never trained on."""
    dev = set(dev_ids)
    return ([d for d in stories if d.id not in dev and d.id not in hand_labelled],
            [d for d in stories if d.id in hand_labelled and d.id not in dev],
            [d for d in stories if d.id in dev])
