"""Train the learned event extractor (``EventHeads``) on the event gold, over a trained tagger's features.

The tagger stays frozen: its hidden states are computed once per training document and the heads learn
on them, so the span scores do not move and training takes seconds. Each measure mention is an example
twice: once with the gold spans as candidates and once with the tagger's own spans (those that equal a
gold span take its role), so the heads see at training time the kind of spans they get at run time.
"""
from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from trade_events.data.documents import Document
from trade_events.data.event_gold import GoldEvent
from trade_events.events.normalize import normalize_actor, normalize_rate
from trade_events.events.records import MEASURE_TYPES
from trade_events.model.event_heads import (HEAD_ACTIONS, ROLE_LABELS, ROLES, EncodedContext, EventHeads, EventHeadsConfig,
                                            collate, default_feature_layers, encode_context, measure_contexts)
from trade_events.spans import Span


@dataclass
class EventTrainConfig:
    """Hyper-parameters of the event heads (measured on the Reuters training stories, see the README)."""

    epochs: int = 8
    learning_rate: float = 5e-4
    batch_size: int = 32
    weight_decay: float = 0.01
    seed: int = 13
    hidden: int = 128
    layers: int = 2
    #: Also train on contexts built from the tagger's own spans (robustness to its errors).
    with_model_spans: bool = True

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or not 0 < self.learning_rate < 1:
            raise ValueError("epochs and batch_size must be at least 1 and learning_rate in (0, 1)")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Example:
    """One measure context with its targets: action index, measure-type index (-100: no record), roles."""

    inputs: EncodedContext
    action: int
    measure_type: int
    roles: np.ndarray


def _targets(ctx, events: list[GoldEvent], text: str = "") -> tuple[int, int, np.ndarray]:
    """Targets of one measure context. A mention carries the record anchored on it; a mention that restates a
    record anchored elsewhere in the story (same measure type, and its implementer's country among the
    context's actors) carries that record too, so that the heads never see two mentions of one action with
    opposite labels (the repeats collapse again at extraction, as EVENTS.md asks)."""
    key = (ctx.measure.start, ctx.measure.end)
    own = [g for g in events if g.measure == key]
    roles = np.zeros(len(ctx.candidates), dtype=np.int64)
    if own:
        for j, c in enumerate(ctx.candidates):
            for g in own:  # a role the span's label cannot play (a model span of another type) stays "none"
                role = next((r for r, spans in g.links.items() if (c.start, c.end) in spans and r in ROLE_LABELS[c.label]),
                            None)
                if role is not None:
                    roles[j] = ROLES.index(role)
                    break
        return HEAD_ACTIONS.index(own[0].record.action), MEASURE_TYPES.index(own[0].record.measure_type), roles
    restated = _restated(ctx, events, text)
    if restated is None:
        return 0, -100, roles
    g, isos = restated
    rec = g.record
    affected = {a.iso3 for a in rec.affected if a.iso3}
    for j, c in enumerate(ctx.candidates):
        if c.label == "ACTOR" and isos[j]:
            if rec.implementer is not None and isos[j] == rec.implementer.iso3:
                roles[j] = ROLES.index("implementer")
            elif isos[j] in affected:
                roles[j] = ROLES.index("affected")
        elif c.label == "RATE":
            value = normalize_rate(c.text).value
            for role, r in (("rate", rec.rate), ("previous_rate", rec.previous_rate)):
                if r is not None and r.value is not None and value is not None and abs(r.value - value) < 1e-6:
                    roles[j] = ROLES.index(role)
        elif c.label == "PRODUCT" and c.text.lower() in {p.lower() for p in rec.products}:
            roles[j] = ROLES.index("product")
    return HEAD_ACTIONS.index(rec.action), MEASURE_TYPES.index(rec.measure_type), roles


def _restated(ctx, events: list[GoldEvent], text: str):
    """The gold record a measure mention restates, if one fits (see ``_targets``), and the context's iso3s."""
    isos = [normalize_actor(c.text, text[ctx.sentence[0]:ctx.sentence[1]]).iso3 if c.label == "ACTOR" else None
            for c in ctx.candidates]
    fits = [g for g in events if g.measure is not None and g.record.measure_type == ctx.rule_type
            and (g.record.implementer is None or g.record.implementer.iso3 in isos)]
    if not fits:
        return None
    same_action = [g for g in fits if g.record.action == ctx.rule_action]
    return (same_action or fits)[0], isos


def build_examples(extractor, docs: list[Document], gold_spans: dict[str, list[Span]],
                   gold_events: dict[str, list[GoldEvent]], with_model_spans: bool = True) -> list[Example]:
    """Examples for every measure mention of ``docs`` (features from ``extractor``'s tagger)."""
    if not docs:
        return []
    unique = list({d.id: d for d in docs}.values())  # a repeated document is encoded once
    own, words, feats = extractor.predict_spans_and_features([d.text for d in unique])
    encoded = {d.id: x for d, x in zip(unique, zip(own, words, feats))}
    out = []
    for d in docs:
        pred, ws, f = encoded[d.id]
        events = gold_events.get(d.id, [])
        sources = [gold_spans[d.id]] + ([pred] if with_model_spans else [])
        for spans in sources:
            for ctx in measure_contexts(d.text, ws, spans):
                action, mtype, roles = _targets(ctx, events, d.text)
                out.append(Example(encode_context(ctx, ws, f, spans), action, mtype, roles))
    return out


def train_event_heads(examples: list[Example], feature_dim: int, feature_layers: tuple[int, ...],
                      config: EventTrainConfig = EventTrainConfig(), log=lambda _: None) -> EventHeads:
    """Fit the heads on ``examples``: cross-entropy on action, measure type (records only) and roles."""
    if not examples:
        raise ValueError("no measure mentions to train the event heads on")
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    heads = EventHeads(EventHeadsConfig(feature_dim, tuple(feature_layers), config.hidden, config.layers))
    opt = torch.optim.AdamW(heads.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    steps = config.epochs * ((len(examples) + config.batch_size - 1) // config.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.learning_rate, total_steps=steps, pct_start=0.1)
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    order = list(range(len(examples)))
    start = time.perf_counter()
    heads.train()
    for epoch in range(config.epochs):
        rng.shuffle(order)
        total = 0.0
        for b in range(0, len(order), config.batch_size):
            chunk = [examples[i] for i in order[b:b + config.batch_size]]
            batch = collate([e.inputs for e in chunk])
            role_mask = batch.pop("role_mask")
            a, t, r = heads(**batch)
            roles = torch.full(role_mask.shape[:2], -100, dtype=torch.long)
            for i, e in enumerate(chunk):
                roles[i, :len(e.roles)] = torch.from_numpy(e.roles)
            r = r.masked_fill(~role_mask, -1e4)
            loss = (ce(a, torch.tensor([e.action for e in chunk])) + ce(t, torch.tensor([e.measure_type for e in chunk]))
                    + ce(r.reshape(-1, r.shape[-1]), roles.reshape(-1)))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(heads.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(chunk)
        if epoch == config.epochs - 1 or (epoch + 1) % 10 == 0:
            log(f"event heads: epoch {epoch + 1}/{config.epochs}, loss {total / len(examples):.3f}")
    log(f"event heads trained on {len(examples)} measure contexts in {time.perf_counter() - start:.0f} s")
    return heads.eval()


def fit_on_gold_set(extractor, gold, epochs: int = EventTrainConfig.epochs, seed: int = EventTrainConfig.seed,
                    log=lambda _: None) -> EventHeads:
    """``fit_event_extractor`` on an ``EventGoldSet`` (documents, gold spans, gold records)."""
    return fit_event_extractor(extractor, gold.docs, gold.spans, gold.events, EventTrainConfig(epochs=epochs, seed=seed),
                               log)


def fit_event_extractor(extractor, docs: list[Document], gold_spans: dict[str, list[Span]],
                        gold_events: dict[str, list[GoldEvent]], config: EventTrainConfig = EventTrainConfig(),
                        log=lambda _: None) -> EventHeads:
    """Train heads for ``extractor``'s tagger on the given gold and attach them to it (returned too)."""
    layers = default_feature_layers(extractor.model)
    extractor.event_heads = None
    examples = build_examples(extractor, docs, gold_spans, gold_events, config.with_model_spans)
    dim = examples[0].inputs.feats.shape[1] if examples else extractor.model.config.hidden_size * len(layers)
    heads = train_event_heads(examples, dim, layers, config, log)
    extractor.event_heads = heads
    extractor.metadata = {**extractor.metadata, "event_heads": {
        "trained_on_documents": sorted({d.id for d in docs if gold_events.get(d.id) is not None}),
        "measure_contexts": len(examples), "config": config.to_dict()}}
    return heads
