"""Typed documents and their loaders: the bundled seeds, JSONL corpora and plain text files."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Sequence, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

#: Upper bound on one document's size; larger input is refused rather than processed for hours.
MAX_CHARS = 5_000_000

_REUTERS_DATE = re.compile(r"^\s*(\d{1,2})-([A-Z]{3})-(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}


class DocumentError(ValueError):
    """Input that cannot become a document (empty, undecodable, malformed, missing)."""


@dataclass(frozen=True)
class Document:
    """One article: a stable id, its publication date (the reference for relative dates) and its raw text."""

    id: str
    text: str
    date: dt.date | None = None
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.id:
            raise DocumentError("document id is empty")
        if not isinstance(self.text, str) or not self.text.strip():
            raise DocumentError(f"document {self.id!r} has no text")
        if len(self.text) > MAX_CHARS:
            raise DocumentError(
                f"document {self.id!r} has {len(self.text):,} characters, over the limit of {MAX_CHARS:,}; "
                "split it into several documents")


def parse_date(value: object) -> dt.date | None:
    """Read an ISO date (``2025-06-09``) or a Reuters wire stamp (``26-FEB-1987 15:01:01.79``)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    m = _REUTERS_DATE.match(s)
    if m and m.group(2) in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError as exc:
        raise DocumentError(f"unreadable date {s!r}: use YYYY-MM-DD") from exc


def decode_bytes(raw: bytes, source: str) -> str:
    """Decode UTF-8 (a BOM is dropped); anything else is a clear error naming the byte offset."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{source}: not valid UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r}); "
            "re-encode the file as UTF-8") from exc


def read_text_file(path: str | Path, doc_id: str | None = None, date: object = None) -> Document:
    """Read one UTF-8 text file as a document (id defaults to the file's stem)."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    return Document(doc_id or path.stem, decode_bytes(path.read_bytes(), str(path)), parse_date(date))


def seeds_dir() -> Path:
    """The folder of the bundled seed articles (inside the installed package)."""
    return Path(str(resources.files("trade_events.seeds")))


def load_seeds() -> list[Document]:
    """The five seed articles, verbatim, with their publication dates, in id order."""
    folder = seeds_dir()
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    docs = [read_text_file(folder / m["file"], m["id"], m["date"]) for m in meta["documents"]]
    return sorted(docs, key=lambda d: d.id)


def iter_jsonl(path: str | Path, errors: list[str] | None = None) -> Iterator[Document]:
    """Yield documents from JSONL lines of ``{id, date?, text}``.

    A malformed line is reported (in ``errors``, with its line number) and skipped, so one bad
    line never loses the rest; without an ``errors`` list it raises instead.
    """
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield parse_jsonl_line(raw, f"{path}:{lineno}", f"{path.stem}-{lineno}")
            except DocumentError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))


def parse_jsonl_line(raw: bytes, where: str, fallback_id: str) -> Document:
    """One JSONL line of ``{id, date?, text}`` as a document; any problem is a ``DocumentError`` naming ``where``."""
    try:
        row = json.loads(decode_bytes(raw, where))
        if not isinstance(row, dict) or "text" not in row:
            raise DocumentError("expected an object with a 'text' field")
        return document_from_row(row, fallback_id)
    except (ValueError, TypeError) as exc:
        msg = str(exc) if str(exc).startswith(where) else f"{where}: {exc}"
        raise DocumentError(msg) from exc


def document_from_row(row: dict, fallback_id: str) -> Document:
    """A document from a ``{id, date?, text, ...}`` mapping (other keys go to ``meta``)."""
    text = row.get("text")
    if isinstance(text, bytes):
        text = decode_bytes(text, f"document {row.get('id') or fallback_id}")
    meta = {k: v for k, v in row.items() if k not in ("id", "text", "date")}
    return Document(str(row.get("id") or fallback_id), text, parse_date(row.get("date")), meta)


_ID_FIELD = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def salvage_id(raw: bytes) -> str | None:
    """The ``id`` of a JSONL line that could not be read, when it can still be seen (for error reports)."""
    m = _ID_FIELD.search(raw)
    return m.group(1).decode("utf-8", "replace") if m else None


def load_jsonl(path: str | Path, errors: list[str] | None = None) -> list[Document]:
    return list(iter_jsonl(path, errors))


def read_inputs(paths: list[str | Path], date: object = None, errors: list[str] | None = None) -> list[Document]:
    """Documents from text files, folders of ``.txt`` files, JSONL files or ``-`` (stdin).

    ``date`` is the publication date given to plain text (JSONL rows carry their own). Unreadable
    inputs are reported in ``errors`` (when given) and skipped; the rest are kept.
    """
    import sys

    docs: list[Document] = []
    ref = parse_date(date)

    @contextlib.contextmanager
    def reported(where: str) -> Iterator[None]:
        try:
            yield
        except DocumentError as exc:
            if errors is None:
                raise
            errors.append(str(exc) if where in str(exc) else f"{where}: {exc}")

    for raw in paths:
        if str(raw) == "-":
            with reported("stdin"):
                docs.append(Document("stdin", decode_bytes(sys.stdin.buffer.read(), "stdin"), ref))
            continue
        path = Path(raw)
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            files = [p for p in entries if p.is_file() and p.suffix.lower() == ".txt"]
            for other in entries:  # said, not silently skipped: a subfolder, a JSONL or any other file
                if other not in files:
                    with reported(str(other)):
                        kind = "a subfolder" if other.is_dir() else "not a .txt file"
                        raise DocumentError(f"{other}: {kind}, not read (a folder's .txt files are read; "
                                            "give subfolders and JSONL files as inputs of their own)")
            with reported(str(path)):
                if not files:
                    raise DocumentError(f"{path}: no .txt files")
            for f in files:
                with reported(str(f)):
                    docs.append(read_text_file(f, date=ref))
        elif path.suffix == ".jsonl":
            with reported(str(path)):
                docs.extend(iter_jsonl(path, errors))
        else:
            with reported(str(path)):
                docs.append(read_text_file(path, date=ref))
    return docs


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices in batches of similar length, shortest first, so that a batch pads little (callers restore
    the order). Used for documents (the extraction loop, the benchmark) and for token windows alike."""
    order = sorted(range(len(lengths)), key=lambda k: lengths[k])
    return [order[b:b + batch_size] for b in range(0, len(order), batch_size)]


def check_text(text: object, where: str = "text") -> None:
    """Reject input that is not text, empty, or too large, with a message that says which."""
    if not isinstance(text, str):
        raise TypeError(f"{where}: expected str, got {type(text).__name__} (decode bytes as UTF-8 first)")
    if not text.strip():
        raise ValueError(f"{where}: empty text")
    if len(text) > MAX_CHARS:
        raise ValueError(f"{where}: {len(text):,} characters is over the limit of {MAX_CHARS:,}; split the document")
