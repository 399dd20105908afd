"""Hand-made gold span annotations (``data/gold/*.spans.jsonl``): loading, validation and writing.

Each line is ``{"id": doc_id, "spans": [{"start", "end", "label", "text"?}]}`` with character
offsets into the raw document text. Gold is written by people reading the text, never by the rules.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from trade_events.data.documents import Document, DocumentError
from trade_events.io import atomic_write_jsonl
from trade_events.spans import ENTITY_TYPES, Span

SEEDS_GOLD = "seeds.spans.jsonl"
REUTERS_DEV_GOLD = "reuters_dev.spans.jsonl"
REUTERS_DEV_IDS = "reuters_dev.ids.json"
#: A later, independent annotation of the same 25 dev stories (agreement and adjudication, never scored on).
REUTERS_DEV_INDEPENDENT = "reuters_dev.independent.spans.jsonl"
#: Each region where that pass and the settled dev gold differed, both versions, two blind adjudicators' picks and
#: the version kept: the independent one only when both adjudicators chose it.
REUTERS_DEV_ADJUDICATION = "reuters_dev.adjudication.jsonl"
#: Hand-labelled Reuters *training* stories (a second fixed-seed pick, disjoint from the dev stories).
REUTERS_TRAIN_GOLD = "reuters_train.spans.jsonl"
REUTERS_TRAIN_IDS = "reuters_train.ids.json"


class GoldError(ValueError):
    """A gold annotation that does not fit its document."""


def gold_dir() -> Path:
    return Path(str(resources.files("trade_events.data"))) / "gold"


def read_dev_ids() -> list[str]:
    """The ids of the 25 Reuters dev-gold stories, fixed when they were picked (never trained on)."""
    return json.loads((gold_dir() / REUTERS_DEV_IDS).read_text(encoding="utf-8"))["ids"]


def read_gold(path_or_name: str | Path) -> dict[str, list[Span]]:
    """Read a gold file (a path, or a file name inside the bundled ``gold/`` folder) as ``{doc_id: spans}``.

    Spans without a stored ``text`` (corpora that must not be copied) get it filled in by ``attach_text``.
    """
    path = Path(path_or_name)
    if not path.is_file():
        path = gold_dir() / str(path_or_name)
    if not path.is_file():
        raise DocumentError(f"{path_or_name}: no such gold file")
    gold: dict[str, list[Span]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] in gold:
            raise GoldError(f"{path}:{lineno}: document {row['id']} annotated twice")
        gold[row["id"]] = sorted(Span(s["start"], s["end"], s["label"], s.get("text", ""))
                                 for s in row["spans"])
    return gold


def attach_text(spans: list[Span], doc: Document) -> list[Span]:
    """Spans with their surface text cut from the document (checks stored text where present)."""
    validate_spans(spans, doc)
    return [Span.from_text(doc.text, s.start, s.end, s.label, s.score) for s in spans]


def validate_spans(spans: list[Span], doc: Document) -> None:
    """Raise ``GoldError`` unless every span is in range, matches its text, is trimmed, known and disjoint."""
    problems: list[str] = []
    prev: Span | None = None
    for s in sorted(spans):
        where = f"{doc.id} [{s.start},{s.end}) {s.label}"
        if s.label not in ENTITY_TYPES:
            problems.append(f"{where}: unknown label")
        if s.end > len(doc.text):
            problems.append(f"{where}: past the end of the text ({len(doc.text)})")
            continue
        surface = doc.text[s.start:s.end]
        if s.text and s.text != surface:
            problems.append(f"{where}: stored text {s.text!r} but the document has {surface!r}")
        if surface != surface.strip():
            problems.append(f"{where}: {surface!r} has whitespace at an edge")
        if prev is not None and prev.overlaps(s):
            problems.append(f"{where}: overlaps {prev.label} [{prev.start},{prev.end})")
        prev = s
    if problems:
        raise GoldError("; ".join(problems))


def write_gold(path: str | Path, gold: dict[str, list[Span]], with_text: bool = True) -> Path:
    """Write ``{doc_id: spans}`` as gold JSONL, sorted by id and offset."""
    rows = [{"id": doc_id, "spans": [s.to_dict(with_text) | {"score": None} for s in sorted(spans)]}
            for doc_id, spans in sorted(gold.items())]
    for row in rows:
        for s in row["spans"]:
            s.pop("score")
    return atomic_write_jsonl(path, rows)
