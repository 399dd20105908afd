"""The learned event extractor: small heads over the span tagger's own word features.

For each MEASURE mention, a two-layer transformer reads the words of its sentence and the one before
(the tagger's hidden states, plus embeddings of each word's span label and its distance to the
measure) and predicts whether the mention carries a record (``none`` or an action) and its measure
type; for each other span in that context it predicts the span's role in the measure's record. The
tagger's encoder runs once per window as before, so extraction costs the same forward pass; the heads
add a few small matrix products per measure. Saved in ``events/`` inside the model folder.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from trade_events.data.words import Word
from trade_events.events.learned import HEAD_ACTIONS, ROLES
from trade_events.events.records import MEASURE_TYPES
from trade_events.spans import ENTITY_TYPES, Span
from trade_events.text import split_sentences

EVENTS_DIR = "events"
HEADS_CONFIG = "config.json"
HEADS_WEIGHTS = "model.safetensors"
#: Word tags fed to the heads: outside, the five span types, and the measure being read.
_TAGS = ("O",) + ENTITY_TYPES + ("TARGET",)
#: Signed word distances to the measure are bucketed to ±this many buckets (log-spaced beyond 8).
_DIST_BUCKETS = 12
#: Which span labels can play which roles (the rest are masked out).
ROLE_LABELS = {"ACTOR": ("implementer", "affected"), "RATE": ("rate", "previous_rate"),
               "DATE": ("date",), "PRODUCT": ("product",)}


@dataclass
class EventHeadsConfig:
    """Sizes of the heads; ``feature_layers`` are the tagger's hidden layers concatenated as word features."""

    feature_dim: int
    feature_layers: tuple[int, ...] = (-1,)
    hidden: int = 256
    layers: int = 2
    attention_heads: int = 4
    dropout: float = 0.1
    max_context_words: int = 160
    record_threshold: float = 0.5
    #: Add the rules assembler's records to the heads' before consolidating the story (a recall backstop
    #: on modern text, where the heads, trained mostly on 1987 wire copy, find too few records).
    with_rules: bool = True

    def to_dict(self) -> dict:
        return asdict(self) | {"feature_layers": list(self.feature_layers), "actions": list(HEAD_ACTIONS),
                               "measure_types": list(MEASURE_TYPES), "roles": list(ROLES)}

    @classmethod
    def from_dict(cls, d: dict) -> "EventHeadsConfig":
        if d.get("actions") != list(HEAD_ACTIONS) or d.get("measure_types") != list(MEASURE_TYPES) \
                or d.get("roles") != list(ROLES):
            raise ValueError("the event heads' label lists do not match this package's (actions, measure types, roles)")
        fields = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        fields["feature_layers"] = tuple(fields.get("feature_layers", (-1,)))
        return cls(**fields)


def default_feature_layers(model) -> tuple[int, ...]:
    """The embedding output, the middle and the last hidden layer of the tagger: the lower ones keep more of
    each word (the verb that decides an action), the last one the span types (chosen in cross-validation on
    the hand-labelled Reuters training stories)."""
    return (0, max(1, model.config.num_hidden_layers // 2), -1)


def _bucket(d: np.ndarray) -> np.ndarray:
    """Signed distance → bucket index in ``[0, 2 * _DIST_BUCKETS]`` (exact up to 8, then log-spaced)."""
    a = np.abs(d)
    b = np.where(a <= 8, a, 8 + np.floor(np.log2(np.maximum(a, 1) / 8) * 2)).clip(0, _DIST_BUCKETS)
    return (np.sign(d) * b + _DIST_BUCKETS).astype(np.int64)


class EventHeads(nn.Module):
    """Action, measure-type and role heads over a measure's context (see the module docstring)."""

    def __init__(self, config: EventHeadsConfig) -> None:
        super().__init__()
        self.config = config
        h = config.hidden
        self.proj = nn.Sequential(nn.Linear(config.feature_dim, h), nn.GELU(), nn.LayerNorm(h))
        self.dist = nn.Embedding(2 * _DIST_BUCKETS + 1, h)
        self.tag = nn.Embedding(len(_TAGS), h)
        self.sentence = nn.Embedding(2, h)
        layer = nn.TransformerEncoderLayer(h, config.attention_heads, 2 * h, dropout=config.dropout,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False) if config.layers else None
        # the rules' own decisions, as features the heads may copy or overrule
        self.rule_action = nn.Embedding(len(HEAD_ACTIONS), h)
        self.rule_type = nn.Embedding(len(MEASURE_TYPES), h)
        self.rule_role = nn.Linear(len(ROLES), h)
        self.drop = nn.Dropout(config.dropout)
        self.action = nn.Linear(4 * h, len(HEAD_ACTIONS))
        self.measure_type = nn.Linear(4 * h, len(MEASURE_TYPES))
        self.role = nn.Sequential(nn.Linear(5 * h, h), nn.GELU(), nn.Linear(h, len(ROLES)))

    def forward(self, feats, dist, tags, sent, mask, measure_mask, cand_masks, rule_action, rule_type, rule_roles):
        """``feats`` (B, T, D); ``dist``/``tags``/``sent``/``mask``/``measure_mask`` (B, T); ``cand_masks``
        (B, C, T); the rules' ``rule_action``/``rule_type`` (B) and ``rule_roles`` (B, C, R). Returns action
        (B, A), measure type (B, M) and role (B, C, R) logits."""
        ra, rt = self.rule_action(rule_action), self.rule_type(rule_type)
        rr = self.rule_role(rule_roles.float())
        cm = cand_masks.float()
        x = (self.proj(feats) + self.dist(dist) + self.tag(tags) + self.sentence(sent)
             + measure_mask.float().unsqueeze(-1) * (ra + rt).unsqueeze(1) + cm.transpose(1, 2) @ rr)
        hid = self.encoder(x, src_key_padding_mask=~mask) if self.encoder is not None else x
        mm = measure_mask.float().unsqueeze(-1)
        m = (hid * mm).sum(1) / mm.sum(1).clamp(min=1)
        pooled = (hid * mask.float().unsqueeze(-1)).sum(1) / mask.float().sum(1, keepdim=True).clamp(min=1)
        mrep = self.drop(torch.cat([m, pooled, ra, rt], -1))
        c = cm @ hid / cm.sum(-1, keepdim=True).clamp(min=1)
        me = m.unsqueeze(1).expand_as(c)
        role = self.role(self.drop(torch.cat([c, me, c * me, pooled.unsqueeze(1).expand_as(c), rr], -1)))
        return self.action(mrep), self.measure_type(mrep), role

    # ------------------------------------------------------------------ files
    def save(self, folder: str | Path) -> None:
        """``config.json`` and ``model.safetensors`` into ``folder`` (an ``events/`` subfolder of a model)."""
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / HEADS_CONFIG).write_text(json.dumps(self.config.to_dict(), indent=2) + "\n", encoding="utf-8")
        save_file({k: v.contiguous() for k, v in self.state_dict().items()}, str(folder / HEADS_WEIGHTS))

    @classmethod
    def load(cls, folder: str | Path) -> "EventHeads":
        """Load heads saved by ``save``; a missing or mismatched file raises ``ValueError`` naming it."""
        from safetensors.torch import load_file

        folder = Path(folder)
        try:
            config = EventHeadsConfig.from_dict(json.loads((folder / HEADS_CONFIG).read_text(encoding="utf-8")))
            heads = cls(config)
            heads.load_state_dict(load_file(str(folder / HEADS_WEIGHTS)))
        except Exception as exc:  # noqa: BLE001 - safetensors raises its own error type for a corrupted file
            raise ValueError(f"{folder}: the event heads cannot be loaded ({exc})") from exc
        return heads.eval()


# ---------------------------------------------------------------------------------------------- inputs
@dataclass
class MeasureContext:
    """One measure mention and what the heads read around it: word range, candidate spans, sentence."""

    measure: Span
    lo: int  # first context word
    hi: int  # one past the last context word
    sentence: tuple[int, int]  # character offsets of the measure's sentence (the evidence)
    sentence_word: int  # first word of the measure's sentence
    candidates: list[Span]
    rule_action: str | None = None  # the rules assembler's action for this measure (None: no record)
    rule_type: str = "other"  # the rules' measure type of its head phrase
    rule_roles: dict[str, list[Span]] | None = None


def _word_range(words: list[Word], start: int, end: int) -> tuple[int, int]:
    starts = [w.start for w in words]
    import bisect
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return lo, max(hi, lo + 1)


def measure_contexts(text: str, words: list[Word], spans: list[Span], max_words: int = 160,
                     rule_events: list | None = None, doc_id: str = "", doc_date=None) -> list[MeasureContext]:
    """A context per MEASURE span: its sentence and the sentence before, clipped to ``max_words`` around it.
    The rules assembler runs once here for its decisions; ``rule_events`` receives its records."""
    from trade_events.events.assemble import assemble_events
    from trade_events.events.normalize import measure_type

    sentences = split_sentences(text)
    trace = []
    records = assemble_events(doc_id, text, spans, doc_date, trace)
    if rule_events is not None:
        rule_events.extend(records)
    decisions = {(d.measure.start, d.measure.end): d for d in trace}
    out = []
    for m in (s for s in spans if s.label == "MEASURE"):
        k = next((i for i, (a, b) in enumerate(sentences) if a <= m.start < b), None)
        if k is None:
            continue
        sent = sentences[k]
        first = sentences[k - 1][0] if k > 0 else sent[0]
        lo, _ = _word_range(words, first, sent[1])
        s_lo, _ = _word_range(words, sent[0], sent[1])
        hi = _word_range(words, sent[1], sent[1] + 1)[0]
        m_lo, m_hi = _word_range(words, m.start, m.end)
        if hi - lo > max_words:  # a run-on context: keep the words nearest the measure
            lo = max(lo, min(m_lo - max_words // 2, hi - max_words))
            hi = min(hi, lo + max_words)
        c_start, c_end = words[lo].start, words[hi - 1].end
        cands = [s for s in spans if s.label in ROLE_LABELS and c_start <= s.start and s.end <= c_end]
        rule = decisions.get((m.start, m.end))
        out.append(MeasureContext(m, lo, hi, sent, s_lo, cands, rule.action if rule else None,
                                  measure_type(m.text, text[sent[0]:sent[1]]), rule.roles if rule else None))
    return out


@dataclass
class EncodedContext:
    """Arrays for one context (unpadded)."""

    feats: np.ndarray
    dist: np.ndarray
    tags: np.ndarray
    sent: np.ndarray
    measure_mask: np.ndarray
    cand_masks: np.ndarray  # (C, T)
    role_mask: np.ndarray  # (C, R): roles each candidate's label allows
    rule_action: int = 0
    rule_type: int = 0
    rule_roles: np.ndarray | None = None  # (C, R): the roles the rules gave each candidate


def encode_context(ctx: MeasureContext, words: list[Word], feats: np.ndarray, spans: list[Span]) -> EncodedContext:
    """The heads' inputs for one context: word features, distance, span-label tags, sentence flag, masks."""
    n = ctx.hi - ctx.lo
    tags = np.zeros(n, dtype=np.int64)
    starts = np.array([w.start for w in words[ctx.lo:ctx.hi]])
    for s in spans:
        a, b = np.searchsorted(starts, s.start), np.searchsorted(starts, s.end)
        if b > a:
            tags[a:b] = _TAGS.index(s.label)
    m_lo, m_hi = _word_range(words, ctx.measure.start, ctx.measure.end)
    mm = np.zeros(n, dtype=bool)
    mm[max(m_lo - ctx.lo, 0):max(m_hi - ctx.lo, 1)] = True
    tags[mm] = _TAGS.index("TARGET")
    idx = np.arange(ctx.lo, ctx.hi)
    dist = np.where(idx < m_lo, idx - m_lo, np.where(idx >= m_hi, idx - m_hi + 1, 0))
    sent = (idx < ctx.sentence_word).astype(np.int64)
    cand = np.zeros((len(ctx.candidates), n), dtype=bool)
    role_mask = np.zeros((len(ctx.candidates), len(ROLES)), dtype=bool)
    rule_roles = np.zeros((len(ctx.candidates), len(ROLES)), dtype=bool)
    for role, found in (ctx.rule_roles or {}).items():
        for x in found:
            for j, c in enumerate(ctx.candidates):
                if (c.start, c.end) == (x.start, x.end):
                    rule_roles[j, ROLES.index(role)] = True
    for j, c in enumerate(ctx.candidates):
        a, b = np.searchsorted(starts, c.start), np.searchsorted(starts, c.end)
        cand[j, a:max(b, a + 1)] = True
        role_mask[j, 0] = True
        for r in ROLE_LABELS[c.label]:
            role_mask[j, ROLES.index(r)] = True
    return EncodedContext(feats[ctx.lo:ctx.hi], _bucket(dist), tags, sent, mm, cand, role_mask,
                          HEAD_ACTIONS.index(ctx.rule_action) if ctx.rule_action else 0,
                          MEASURE_TYPES.index(ctx.rule_type), rule_roles)


def collate(batch: list[EncodedContext]) -> dict[str, torch.Tensor]:
    """Pad a list of contexts into the heads' batch tensors."""
    t = max(len(e.tags) for e in batch)
    c = max(1, max(len(e.cand_masks) for e in batch))
    d = batch[0].feats.shape[1]
    out = {"feats": np.zeros((len(batch), t, d), dtype=np.float32), "dist": np.full((len(batch), t), _DIST_BUCKETS),
           "tags": np.zeros((len(batch), t), dtype=np.int64), "sent": np.zeros((len(batch), t), dtype=np.int64),
           "mask": np.zeros((len(batch), t), dtype=bool), "measure_mask": np.zeros((len(batch), t), dtype=bool),
           "cand_masks": np.zeros((len(batch), c, t), dtype=bool),
           "role_mask": np.zeros((len(batch), c, len(ROLES)), dtype=bool),
           "rule_action": np.array([e.rule_action for e in batch], dtype=np.int64),
           "rule_type": np.array([e.rule_type for e in batch], dtype=np.int64),
           "rule_roles": np.zeros((len(batch), c, len(ROLES)), dtype=bool)}
    for i, e in enumerate(batch):
        n = len(e.tags)
        out["feats"][i, :n] = e.feats
        out["dist"][i, :n] = e.dist
        out["tags"][i, :n] = e.tags
        out["sent"][i, :n] = e.sent
        out["mask"][i, :n] = True
        out["measure_mask"][i, :n] = e.measure_mask
        out["cand_masks"][i, :len(e.cand_masks), :n] = e.cand_masks
        out["role_mask"][i, :len(e.role_mask)] = e.role_mask
        if e.rule_roles is not None:
            out["rule_roles"][i, :len(e.rule_roles)] = e.rule_roles
    return {k: torch.from_numpy(v) for k, v in out.items()}


@dataclass
class MeasurePrediction:
    """What the heads say about one measure mention."""

    context: MeasureContext
    action_probs: np.ndarray
    type_probs: np.ndarray
    role_probs: np.ndarray  # (C, R)


@torch.inference_mode()
def predict_measures(heads: EventHeads, text: str, words: list[Word], feats: np.ndarray, spans: list[Span],
                     batch_size: int = 32, rule_events: list | None = None, doc_id: str = "", doc_date=None
                     ) -> list[MeasurePrediction]:
    """Run the heads over every measure mention of one document (``rule_events``: see ``measure_contexts``)."""
    contexts = measure_contexts(text, words, spans, heads.config.max_context_words, rule_events, doc_id, doc_date)
    out = []
    for b in range(0, len(contexts), batch_size):
        chunk = contexts[b:b + batch_size]
        batch = collate([encode_context(c, words, feats, spans) for c in chunk])
        role_mask = batch.pop("role_mask")
        a, t, r = heads(**batch)
        r = r.masked_fill(~role_mask, -1e4)
        a, t, r = (torch.softmax(x, -1).numpy() for x in (a, t, r))
        for i, c in enumerate(chunk):
            out.append(MeasurePrediction(c, a[i], t[i], r[i, :len(c.candidates)]))
    return out
