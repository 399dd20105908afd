"""Read event files back for ``merge``: EVENTS.md records, flat rows (``extract --format jsonl``) and merged
records (``merge``'s own output, so that merging merged output changes nothing), one JSON object per line.

A line that is not one of these is reported with its file and line number and skipped; the rest is kept.
"""
from __future__ import annotations

import json
from pathlib import Path

from trade_events.events.merge import MergedEvent, Source
from trade_events.events.normalize import normalize_actor
from trade_events.events.records import EventDate, Evidence, Party, Rate, TradeEvent

#: Keys that tell the three shapes apart.
_MERGED_KEYS = {"sources", "action", "measure_type"}
_FLAT_KEYS = {"doc_id", "implementer_iso3", "action", "measure_type"}
_RECORD_KEYS = {"doc_id", "action", "measure_type"}


def _opt(kind, v: dict | None):
    return kind(**v) if v else None


def merged_from_dict(d: dict) -> MergedEvent:
    """A ``MergedEvent`` from ``MergedEvent.to_dict()``."""
    sources = [Source(s["doc_id"], (s.get("evidence") or {}).get("start"), (s.get("evidence") or {}).get("end"),
                      float(s.get("confidence", 1.0))) for s in d["sources"]]
    if not sources:
        raise ValueError("a merged record with no sources")
    return MergedEvent(d.get("event_id", ""), d["action"], d["measure_type"], d.get("mast_chapter", ""),
                       _opt(Party, d.get("implementer")), [Party(**p) for p in d.get("affected") or []],
                       _opt(Rate, d.get("rate")), _opt(Rate, d.get("previous_rate")), _opt(EventDate, d.get("date")),
                       list(d.get("products") or []), sources, float(d.get("confidence", 1.0)),
                       dict(d.get("conflicts") or {}))


def event_from_flat_row(row: dict) -> TradeEvent:
    """A ``TradeEvent`` from a flat row of ``exports.EVENT_SCHEMA``: nothing the row holds is lost."""
    def part(kind, prefix: str, second: str, third: str):
        if row.get(f"{prefix}_text") is None and row.get(f"{prefix}_{second}") is None:
            return None
        return kind(row.get(f"{prefix}_text") or "", row.get(f"{prefix}_{second}"), row.get(f"{prefix}_{third}"))

    texts, isos = list(row.get("affected_text") or []), list(row.get("affected_iso3") or [])
    if isinstance(texts, str):  # a CSV cell joined with ";"
        texts, isos = [t for t in texts.split(";") if t], [t for t in str(isos).split(";") if t]
    affected = ([Party(t, i) for t, i in zip(texts, isos)] if len(texts) == len(isos)
                else [Party(t, normalize_actor(t).iso3) for t in texts])  # the row keeps only known codes
    implementer = None
    if row.get("implementer_text") is not None or row.get("implementer_iso3") is not None:
        implementer = Party(row.get("implementer_text") or "", row.get("implementer_iso3"))
    evidence = None
    if row.get("evidence_start") is not None:
        evidence = Evidence(int(row["evidence_start"]), int(row["evidence_end"]), row.get("evidence_text") or "")
    return TradeEvent(row["doc_id"], row["action"], row["measure_type"], implementer, affected,
                      part(Rate, "rate", "value", "unit"), part(Rate, "previous_rate", "value", "unit"),
                      part(EventDate, "date", "value", "precision"), list(row.get("products") or []), evidence,
                      float(row.get("confidence", 1.0)))


def parse_event_line(obj: object) -> TradeEvent | MergedEvent:
    """One decoded JSON line as a record, a flat row or a merged record; ``ValueError`` when it is none."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    keys = set(obj)
    if _MERGED_KEYS <= keys:
        return merged_from_dict(obj)
    if _FLAT_KEYS <= keys:
        return event_from_flat_row(obj)
    if _RECORD_KEYS <= keys:
        return TradeEvent.from_dict(obj)
    raise ValueError("not an event record, a flat event row or a merged record (it lacks "
                     f"{', '.join(sorted(_RECORD_KEYS - keys)) or 'sources'})")


def read_event_file(path: str | Path) -> tuple[list[TradeEvent | MergedEvent], list[str]]:
    """Every usable line of a JSONL event file, and ``path:line: reason`` for each line skipped."""
    path = Path(path)
    records: list[TradeEvent | MergedEvent] = []
    errors: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(parse_event_line(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                errors.append(f"{path}:{n}: {reason}")
    return records, errors
