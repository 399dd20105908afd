"""The hand-made gold sets as documents with their spans and event records, ready to score or train on.

Span gold: the seeds, the Reuters dev stories (scoring only) and the hand-labelled Reuters training
stories. Event gold (``event_gold.py``) rests on the same spans. The Reuters sets need the corpus
(``../shared/corpus``); their loaders return ``None`` (or empty) when it or the gold file is absent.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from trade_events.data import corpus as corpus_mod
from trade_events.data.documents import Document, load_seeds
from trade_events.data.event_gold import DEV_EVENTS, SEEDS_EVENTS, TRAIN_EVENTS, GoldEvent, read_event_gold
from trade_events.data.gold import (REUTERS_DEV_GOLD, REUTERS_TRAIN_GOLD, REUTERS_TRAIN_IDS, SEEDS_GOLD, attach_text,
                                    gold_dir, read_gold)
from trade_events.spans import Span


def seeds_gold() -> tuple[list[Document], dict[str, list[Span]]]:
    """The seed documents and their hand-made gold spans."""
    docs = load_seeds()
    by_id = {d.id: d for d in docs}
    gold = read_gold(SEEDS_GOLD)
    return docs, {k: attach_text(v, by_id[k]) for k, v in gold.items()}


def reuters_dev_gold() -> tuple[list[Document], dict[str, list[Span]]] | None:
    """The Reuters dev stories and their gold spans, or ``None`` when the corpus or the gold is absent."""
    if corpus_mod.corpus_dir() is None or not (gold_dir() / REUTERS_DEV_GOLD).is_file():
        return None
    gold = read_gold(REUTERS_DEV_GOLD)
    docs = [d for d in corpus_mod.load_train_stories() if d.id in gold]
    return docs, {d.id: attach_text(gold[d.id], d) for d in docs}


def read_train_gold_ids() -> list[str]:
    """The ids picked for hand labelling as training text (never in the weak pool, never in the dev gold)."""
    path = gold_dir() / REUTERS_TRAIN_IDS
    return json.loads(path.read_text(encoding="utf-8"))["ids"] if path.is_file() else []


def reuters_train_gold() -> dict[str, list[Span]]:
    """Hand-made spans of the Reuters training stories (empty when the file is absent)."""
    path = gold_dir() / REUTERS_TRAIN_GOLD
    return read_gold(path) if path.is_file() else {}


@dataclass
class EventGoldSet:
    """Documents with their gold spans and gold event records."""

    name: str
    docs: list[Document]
    spans: dict[str, list[Span]]
    events: dict[str, list[GoldEvent]]

    def subset(self, keep: set[str], name: str | None = None) -> "EventGoldSet":
        docs = [d for d in self.docs if d.id in keep]
        return EventGoldSet(name or self.name, docs, {d.id: self.spans[d.id] for d in docs},
                            {d.id: self.events[d.id] for d in docs})

    def __add__(self, other: "EventGoldSet") -> "EventGoldSet":
        return EventGoldSet(f"{self.name}+{other.name}", self.docs + other.docs, self.spans | other.spans,
                            self.events | other.events)


def seeds_event_gold() -> EventGoldSet:
    """The seeds with their gold spans and records."""
    docs, spans = seeds_gold()
    return EventGoldSet("seeds", docs, spans, read_event_gold(SEEDS_EVENTS, docs))


def reuters_event_gold(split: str) -> EventGoldSet | None:
    """``split`` ``"dev"`` (scoring only) or ``"train"`` (the hand-labelled training stories), or ``None``."""
    events_file = {"dev": DEV_EVENTS, "train": TRAIN_EVENTS}[split]
    if corpus_mod.corpus_dir() is None or not (gold_dir() / events_file).is_file():
        return None
    if split == "dev":
        dev = reuters_dev_gold()
        if dev is None:
            return None
        docs, spans = dev
    else:
        raw = reuters_train_gold()
        docs = [d for d in corpus_mod.load_train_stories() if d.id in raw]
        spans = {d.id: attach_text(raw[d.id], d) for d in docs}
    return EventGoldSet(f"reuters_{split}", docs, spans, read_event_gold(events_file, docs))


def event_training_set(seed_repeats: int = 1) -> EventGoldSet:
    """What the event heads of a shipped model train on: the hand-labelled Reuters stories and the seeds, the
    seeds ``seed_repeats`` times (as in the tagger's stage B2: modern text is otherwise a few percent)."""
    train = reuters_event_gold("train")
    seeds = seeds_event_gold()
    seeds = EventGoldSet(seeds.name, seeds.docs * seed_repeats, seeds.spans, seeds.events)
    return seeds if train is None else train + seeds
