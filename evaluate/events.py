"""Event-level scores as EVENTS.md defines them: matched pairs, P/R/F1, and field accuracy."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trade_events.events.records import TradeEvent


@dataclass
class EventScores:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    field_accuracy: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def events_match(pred: TradeEvent, gold: TradeEvent) -> bool:
    """Same document, measure type, action and implementer iso3 (both may be null); equal rate where gold has one."""
    if (pred.doc_id, pred.measure_type, pred.action) != (gold.doc_id, gold.measure_type, gold.action):
        return False
    if (pred.implementer.iso3 if pred.implementer else None) != (gold.implementer.iso3 if gold.implementer else None):
        return False
    if gold.rate is not None and gold.rate.value is not None:
        return pred.rate is not None and pred.rate.value is not None and abs(pred.rate.value - gold.rate.value) < 1e-6
    return True


#: Fields compared on matched pairs (beside the match key: type, action, implementer, rate).
FIELDS = ("affected", "previous_rate", "date", "products")


def _fields_equal(p: TradeEvent, g: TradeEvent) -> dict[str, bool]:
    return {
        "previous_rate": (p.previous_rate.value if p.previous_rate else None)
        == (g.previous_rate.value if g.previous_rate else None),
        "affected": {a.iso3 for a in p.affected} == {a.iso3 for a in g.affected},
        "date": (p.date.value if p.date else None) == (g.date.value if g.date else None),
        "products": {x.lower() for x in p.products} == {x.lower() for x in g.products},
    }


def score_events(pred: list[TradeEvent], gold: list[TradeEvent]) -> EventScores:
    """Greedy one-to-one matching (each gold event at most once), in document order."""
    used: set[int] = set()
    pairs: list[tuple[TradeEvent, TradeEvent]] = []
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and events_match(p, g):
                used.add(j)
                pairs.append((p, g))
                break
    n = len(pairs)
    prec = n / len(pred) if pred else 0.0
    rec = n / len(gold) if gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = {}
    for name in FIELDS:
        acc[name] = sum(_fields_equal(p, g)[name] for p, g in pairs) / n if n else 0.0
    return EventScores(prec, rec, f1, len(gold), len(pred), n, acc)


def read_events(path: str | Path) -> list[TradeEvent]:
    """Event records from JSONL (one EVENTS.md object per line)."""
    return [TradeEvent.from_dict(json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def event_table(columns: dict[str, EventScores], title: str = "") -> str:
    """Systems side by side: P, R, F1 and field accuracy on matched pairs (plain text)."""
    width = max([8] + [len(k) + 2 for k in columns])
    head = (f"{'system':<{width}}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"
            + "".join(f"{f:>{len(f) + 2}}" for f in FIELDS))
    lines = ([title] if title else []) + [head, "-" * len(head)]
    for name, s in columns.items():
        fa = s.field_accuracy
        lines.append(f"{name:<{width}}{s.gold:>6}{s.predicted:>6}{s.matched:>7}{100 * s.precision:7.1f}"
                     f"{100 * s.recall:7.1f}{100 * s.f1:7.1f}" + "".join(f"{100 * fa.get(f, 0):{len(f) + 2}.1f}" for f in FIELDS))
    return "\n".join(lines)


def event_markdown(columns: dict[str, EventScores], title: str) -> str:
    """The same table in markdown (for ``evaluation.md`` and the model card)."""
    lines = [f"| {title} | gold | predicted | P | R | F1 | " + " | ".join(FIELDS) + " |",
             "|---|---:|---:|---:|---:|---:|" + "---:|" * len(FIELDS)]
    for k, v in columns.items():
        fa = v.field_accuracy
        lines.append(f"| {k} | {v.gold} | {v.predicted} | {100 * v.precision:.1f} | {100 * v.recall:.1f} | "
                     f"**{100 * v.f1:.1f}** | " + " | ".join(f"{100 * fa.get(f, 0):.1f}" for f in FIELDS) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- clustering
@dataclass
class ClusterScores:
    """Pairwise and B-cubed precision/recall/F1 of a grouping against the gold grouping."""

    pairwise: dict[str, float] = field(default_factory=dict)
    bcubed: dict[str, float] = field(default_factory=dict)
    items: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _prf(p: float, r: float) -> dict[str, float]:
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cluster_scores(gold_of: list[int], pred_of: list[int]) -> ClusterScores:
    """Score a clustering: ``gold_of[i]`` and ``pred_of[i]`` are item i's gold and predicted cluster ids."""
    n = len(gold_of)
    same_g = same_p = both = 0
    for i in range(n):
        for j in range(i + 1, n):
            g, p = gold_of[i] == gold_of[j], pred_of[i] == pred_of[j]
            same_g += g
            same_p += p
            both += g and p
    pair = _prf(both / same_p if same_p else 1.0, both / same_g if same_g else 1.0)
    bp = br = 0.0
    for i in range(n):
        pc = [j for j in range(n) if pred_of[j] == pred_of[i]]
        gc = [j for j in range(n) if gold_of[j] == gold_of[i]]
        inter = sum(gold_of[j] == gold_of[i] for j in pc)
        bp += inter / len(pc)
        br += inter / len(gc)
    return ClusterScores(pair, _prf(bp / n if n else 0.0, br / n if n else 0.0), n)


def read_groups(path: str | Path) -> list[int]:
    """Gold cluster id of every gold event (by line number), from a ``{"groups": {name: [lines]}}`` file."""
    groups = json.loads(Path(path).read_text(encoding="utf-8"))["groups"]
    size = 1 + max(i for members in groups.values() for i in members)
    out = [-1] * size
    for k, members in enumerate(groups.values()):
        for i in members:
            if out[i] != -1:
                raise ValueError(f"{path}: event {i} is in two groups")
            out[i] = k
    if -1 in out:
        raise ValueError(f"{path}: events {[i for i, g in enumerate(out) if g == -1]} are in no group")
    return out


def score_merge(pred: list[TradeEvent], gold: list[TradeEvent], gold_groups: list[int]) -> ClusterScores:
    """Clustering score of ``merge_events`` on predicted events that match a gold event (the others have no
    gold group); pass the gold events themselves as ``pred`` to score the merge rules alone."""
    from trade_events.events.merge import group_indices

    used: set[int] = set()
    matched: list[tuple[TradeEvent, int]] = []
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and (p is g or events_match(p, g)):
                used.add(j)
                matched.append((p, j))
                break
    pred_of = [0] * len(matched)
    for k, members in enumerate(group_indices([p for p, _ in matched])):
        for i in members:
            pred_of[i] = k
    return cluster_scores([gold_groups[j] for _, j in matched], pred_of)
