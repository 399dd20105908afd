"""Hand-made event gold: EVENTS.md records linked to the span gold by character offsets.

A gold file holds no text of its own (the Reuters stories are read from the corpus at run time): every
field that quotes the text names the span it rests on as ``[start, end]``. ``materialize`` turns a row
into a ``TradeEvent`` with the texts cut from the document; ``links`` gives the spans per role, the
training signal of the learned event extractor.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from trade_events.data.documents import Document
from trade_events.data.gold import GoldError, gold_dir
from trade_events.events.records import EventDate, Evidence, Party, Rate, TradeEvent
from trade_events.text import split_sentences

#: Event gold files in ``data/gold``: the seeds, the Reuters dev stories and the hand-labelled training stories.
SEEDS_EVENTS = "seeds.events.jsonl"
DEV_EVENTS = "reuters_dev.events.jsonl"
TRAIN_EVENTS = "reuters_train.events.jsonl"


@dataclass
class GoldEvent:
    """A gold record and the spans it rests on: ``links[role]`` lists ``(start, end)`` per role."""

    record: TradeEvent
    measure: tuple[int, int] | None
    links: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def _span(v) -> tuple[int, int] | None:
    return (int(v[0]), int(v[1])) if v else None


def materialize(row: dict, doc: Document) -> GoldEvent:
    """A gold row (offsets only) as a ``GoldEvent`` over ``doc``'s text; offsets are checked."""
    text = doc.text

    def cut(sp, what):
        if sp is None:
            return None
        if not 0 <= sp[0] < sp[1] <= len(text):
            raise GoldError(f"{doc.id}: {what} offsets {sp} outside the text")
        return text[sp[0]:sp[1]]

    links: dict[str, list[tuple[int, int]]] = {}

    def link(role, sp):
        if sp is not None:
            links.setdefault(role, []).append(sp)

    def party(v, role):
        if not v:
            return None
        sp = _span(v.get("span"))
        link(role, sp)
        return Party(cut(sp, role) if sp else v.get("text", ""), v.get("iso3"))

    def rate(v, role):
        if not v:
            return None
        sp = _span(v.get("span"))
        link(role, sp)
        return Rate(cut(sp, role) if sp else "", float(v["value"]) if v.get("value") is not None else None, v.get("unit"))

    measure = _span(row.get("measure"))
    implementer = party(row.get("implementer"), "implementer")
    affected = [p for p in (party(a, "affected") for a in row.get("affected") or []) if p]
    r, prev = rate(row.get("rate"), "rate"), rate(row.get("previous_rate"), "previous_rate")
    date = None
    if row.get("date"):
        sp = _span(row["date"].get("span"))
        link("date", sp)
        date = EventDate(cut(sp, "date") if sp else "", row["date"].get("value"), row["date"].get("precision"))
    products = []
    for p in row.get("products") or []:
        sp = _span(p)
        link("product", sp)
        products.append(cut(sp, "product"))
    anchor = measure or next((sp[0] for sp in links.values()), None)
    evidence = None
    if anchor is not None:
        s, e = next(((a, b) for a, b in split_sentences(text) if a <= anchor[0] < b), (anchor[0], anchor[1]))
        evidence = Evidence(s, e, text[s:e])
    record = TradeEvent(doc.id, row["action"], row["measure_type"], implementer, affected, r, prev, date, products,
                        evidence, 1.0)
    return GoldEvent(record, measure, links)


def read_event_gold(name_or_path: str | Path, docs: list[Document]) -> dict[str, list[GoldEvent]]:
    """Gold events per document id, for the documents in ``docs`` (rows of other documents are skipped)."""
    path = Path(name_or_path)
    if not path.is_file():
        path = gold_dir() / str(name_or_path)
    by_id = {d.id: d for d in docs}
    out: dict[str, list[GoldEvent]] = {d.id: [] for d in docs}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["doc_id"] in by_id:
            try:
                out[row["doc_id"]].append(materialize(row, by_id[row["doc_id"]]))
            except (KeyError, ValueError) as exc:
                raise GoldError(f"{path}:{n}: {exc}") from exc
    return out


def gold_records(gold: dict[str, list[GoldEvent]]) -> list[TradeEvent]:
    """All gold records in document order."""
    return [g.record for doc_id in sorted(gold) for g in gold[doc_id]]
