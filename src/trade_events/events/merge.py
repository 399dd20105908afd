"""One record per real-world action: group reports of the same action across articles.

Two reports are the same action when they share implementer iso3, measure type and action; their rates
are equal where both have one; their dates are compatible within their precision (a month contains its
days, a week its days, a range its members); and their products overlap (a shared content word or family
of goods: ``critical minerals`` ~ ``rare earth magnets``) or one side names none.
Grouping is the transitive closure of that relation, so the result does not depend on input order.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from trade_events.events.records import EventDate, Party, Rate, TradeEvent


@dataclass(frozen=True)
class Source:
    doc_id: str
    start: int | None
    end: int | None
    confidence: float

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "evidence": {"start": self.start, "end": self.end},
                "confidence": self.confidence}


@dataclass
class MergedEvent:
    """A real-world action with every report of it; disagreements are kept as variants and flagged."""

    event_id: str
    action: str
    measure_type: str
    mast_chapter: str
    implementer: Party | None
    affected: list[Party]
    rate: Rate | None
    previous_rate: Rate | None
    date: EventDate | None
    products: list[str]
    sources: list[Source]
    confidence: float
    conflicts: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def n_reports(self) -> int:
        return len(self.sources)

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflicts)

    def to_dict(self) -> dict:
        opt = (lambda x: x.to_dict() if x is not None else None)
        return {"event_id": self.event_id, "action": self.action, "measure_type": self.measure_type,
                "mast_chapter": self.mast_chapter, "implementer": opt(self.implementer),
                "affected": [p.to_dict() for p in self.affected], "rate": opt(self.rate),
                "previous_rate": opt(self.previous_rate), "date": opt(self.date), "products": self.products,
                "n_reports": self.n_reports, "sources": [s.to_dict() for s in self.sources],
                "confidence": self.confidence, "has_conflicts": self.has_conflicts, "conflicts": self.conflicts}


# ---------------------------------------------------------------------------------------------- dates
_PREC_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "range": 5}


def date_interval(d: EventDate | None) -> tuple[dt.date, dt.date] | None:
    """The calendar days an ISO value covers: ``2025-05-12``, ``2025-W23``, ``2025-05``, ``2025-Q2``, ``2025``, ``A/B``."""
    if d is None or not d.value:
        return None
    v = d.value
    try:
        if "/" in v:
            a, b = v.split("/", 1)
            ia, ib = date_interval(EventDate(a, a, None)), date_interval(EventDate(b, b, None))
            return (ia[0], ib[1]) if ia and ib else None
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", v):
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", v):
            y, q = int(m[1]), int(m[2])
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
            return start, end
        if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, 1), dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}", v):
            return dt.date(int(v), 1, 1), dt.date(int(v), 12, 31)
        day = dt.date.fromisoformat(v[:10])
        return day, day
    except ValueError:
        return None


def dates_compatible(a: EventDate | None, b: EventDate | None) -> bool:
    """Unknown dates are compatible with anything; known ones when one interval contains the other."""
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return True
    return (ia[0] <= ib[0] and ib[1] <= ia[1]) or (ib[0] <= ia[0] and ia[1] <= ib[1])


# ---------------------------------------------------------------------------------------------- grouping
def _iso(p: Party | None) -> str | None:
    return p.iso3 if p else None


def same_action(a: TradeEvent, b: TradeEvent) -> bool:
    """The pairwise rule of the module docstring."""
    if (_iso(a.implementer), a.measure_type, a.action) != (_iso(b.implementer), b.measure_type, b.action):
        return False
    if a.rate and b.rate and a.rate.value is not None and b.rate.value is not None and a.rate.value != b.rate.value:
        return False
    if not dates_compatible(a.date, b.date):
        return False
    return products_overlap(a.products, b.products)


#: Families of goods that reports name differently (as trade databases group goods by HS section).
PRODUCT_FAMILIES: dict[str, str] = {
    **dict.fromkeys(("mineral", "earth", "magnet", "gallium", "germanium", "graphite", "antimony", "lithium", "cobalt"),
                    "critical minerals"),
    **dict.fromkeys(("technology", "semiconductor", "chip", "microchip", "engine", "aircraft", "aerospace",
                     "computer", "electronic", "electronics", "software"), "technology"),
    **dict.fromkeys(("car", "auto", "automobile", "automotive", "vehicle", "truck", "automaker"), "vehicles"),
    **dict.fromkeys(("steel", "aluminium", "aluminum", "iron", "metal"), "metals"),
    **dict.fromkeys(("soybean", "wheat", "corn", "grain", "rice", "beef", "pork", "farm", "agricultural", "sugar",
                     "dairy", "citrus", "meat"), "agriculture"),
}
_GENERIC = {"key", "critical", "advanced", "high", "other", "certain", "some", "new", "rare", "element", "material",
            "product", "good", "part", "component"}


def _product_keys(products: list[str]) -> set[str]:
    keys: set[str] = set()
    for p in products:
        for tok in re.findall(r"[a-z]+", p.lower()):
            tok = tok[:-1] if tok.endswith("s") and not tok.endswith("ss") else tok
            if tok not in _GENERIC:
                keys.add(tok)
                if tok in PRODUCT_FAMILIES:
                    keys.add("family:" + PRODUCT_FAMILIES[tok])
    return keys


def products_overlap(a: list[str], b: list[str]) -> bool:
    """Products overlap when either side names none, or they share a content word or a family of goods."""
    ka, kb = _product_keys(a), _product_keys(b)
    return not a or not b or bool(ka & kb)


def _as_events(records: list[TradeEvent | MergedEvent]) -> list[tuple[TradeEvent, list[Source]]]:
    """Flatten merged input back to one representative per group so merging is idempotent."""
    out = []
    for r in records:
        if isinstance(r, MergedEvent):
            rep = TradeEvent(r.sources[0].doc_id, r.action, r.measure_type, r.implementer, r.affected, r.rate,
                             r.previous_rate, r.date, r.products, None, r.confidence)
            out.append((rep, list(r.sources)))
        else:
            ev = r.evidence
            out.append((r, [Source(r.doc_id, ev.start if ev else None, ev.end if ev else None, r.confidence)]))
    return out


def group_indices(events: list[TradeEvent]) -> list[list[int]]:
    """Indices of ``events`` grouped by ``same_action`` (its transitive closure): a partition that does not
    depend on the order of the input."""
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(events)):
        for j in range(i + 1, len(events)):
            if same_action(events[i], events[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(events)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def merge_events(records: list[TradeEvent | MergedEvent]) -> list[MergedEvent]:
    """One ``MergedEvent`` per real-world action; idempotent and independent of input order."""
    items = sorted(_as_events(records), key=lambda it: _sort_key(it[0]))
    merged = [_merge_group([items[i] for i in idx]) for idx in group_indices([e for e, _ in items])]
    return sorted(merged, key=lambda m: (-m.n_reports, m.event_id))


def _sort_key(e: TradeEvent) -> str:
    return json.dumps(e.to_dict(), sort_keys=True)


def _merge_group(items: list[tuple[TradeEvent, list[Source]]]) -> MergedEvent:
    events = [e for e, _ in items]
    sources = sorted({s for _, ss in items for s in ss}, key=lambda s: (s.doc_id, s.start or 0))
    first = events[0]
    affected: dict[str | None, Party] = {}
    for e in events:
        for p in e.affected:
            affected.setdefault(p.iso3 or p.text, p)
    products = sorted({p.lower(): p for e in events for p in e.products}.values(), key=str.lower)
    conflicts: dict[str, list[dict]] = {}
    rate = _pick(events, "rate", conflicts)
    previous = _pick(events, "previous_rate", conflicts)
    dates = [e.date for e in events if e.date and e.date.value]
    date = min(dates, key=lambda d: (_PREC_RANK.get(d.precision or "", 9), d.value)) if dates else None
    distinct_dates = {d.value for d in dates}
    if len(distinct_dates) > 1 and not all(dates_compatible(a, b) for a in dates for b in dates):
        conflicts["date"] = [{"value": v, "doc_ids": sorted({e.doc_id for e in events if e.date and e.date.value == v})}
                             for v in sorted(distinct_dates)]
    confidence = merged_confidence([s.confidence for s in sources])
    key = json.dumps([_iso(first.implementer), first.measure_type, first.action,
                      rate.value if rate else None, date.value if date else None], sort_keys=True)
    event_id = hashlib.sha256(key.encode()).hexdigest()[:16]
    return MergedEvent(event_id, first.action, first.measure_type, first.mast_chapter, first.implementer,
                       list(affected.values()), rate, previous, date, products, sources, confidence, conflicts)


def _pick(events: list[TradeEvent], name: str, conflicts: dict[str, list[dict]]) -> Rate | None:
    """The field's value; when reports disagree, the most reported value, with every variant kept."""
    values: dict[float, list[TradeEvent]] = {}
    for e in events:
        r = getattr(e, name)
        if r is not None and r.value is not None:
            values.setdefault(r.value, []).append(e)
    if not values:
        return None
    if len(values) > 1:
        conflicts[name] = [{"value": v, "doc_ids": sorted({e.doc_id for e in es})} for v, es in sorted(values.items())]
    best = max(sorted(values), key=lambda v: len(values[v]))
    return getattr(values[best][0], name)


def merged_confidence(scores: list[float]) -> float:
    """Noisy-OR of the reports' confidences: the chance that at least one report is right, if independent."""
    p_all_wrong = 1.0
    for s in scores:
        p_all_wrong *= 1.0 - max(0.0, min(1.0, s))
    return round(1.0 - p_all_wrong, 4)
