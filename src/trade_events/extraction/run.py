"""What ``extract`` and ``merge`` run: documents in, records out (a file or stdout through the one loop,
or a resumable output folder through the local or the Ray engine), and the lines they print."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from trade_events.data.documents import Document, DocumentError, load_seeds, read_inputs


def document_record(doc: Document, source: str = "") -> dict:
    """A loaded document in the record shape of the batch engines."""
    return {"id": doc.id, "date": doc.date.isoformat() if doc.date else None, "text": doc.text,
            "source": source, "error": None}


def _split_inputs(inputs: list[str], seeds: bool, date: str | None) -> tuple[list[dict], list[str]]:
    """``(records read now, tabular inputs to stream)``: text files, folders and stdin are read whole (a
    file that cannot be read becomes an error record); JSONL and Parquet (local or URIs) are streamed."""
    tabular = [str(p) for p in inputs if str(p).endswith((".jsonl", ".parquet")) or "://" in str(p)]
    other = [p for p in inputs if str(p) not in tabular]
    errors: list[str] = []
    staged = [document_record(d, "seeds") for d in (load_seeds() if seeds else [])]
    staged += [document_record(d, d.id) for d in read_inputs(other, date, errors)]
    staged += [{"id": e.split(":")[0], "date": None, "text": None, "source": e.split(":")[0], "error": e}
               for e in errors]
    if not tabular and not staged:
        raise DocumentError("no documents to read (give files, a folder, JSONL, Parquet, or --seeds)")
    return staged, tabular


def input_records(inputs: list[str], seeds: bool = False, date: str | None = None) -> Iterator[dict]:
    """The one local reader behind ``extract``: every input as records (``id``, ``date``, ``text``,
    ``source``, ``error``), the seeds first when asked; unreadable inputs and lines are error records."""
    from trade_events.extraction.batch import read_records

    staged, tabular = _split_inputs(inputs, seeds, date)
    return itertools.chain(staged, read_records(tabular))


def extract_to_folder(inputs: list[str], model: Path | str | None, output: Path, fmt: str = "parquet",
                      engine: str = "local", seeds: bool = False, date: str | None = None, int8: bool = False,
                      batch_size: int = 64, num_workers: int | None = None, address: str | None = None,
                      with_spans: bool = False, progress=None) -> dict:
    """Resumable extraction into ``output`` (events/, spans/, errors.jsonl), locally or on Ray Data;
    ``progress(n)`` is called as each batch of ``n`` documents is done (local engine; Ray shows its own).

    JSONL and Parquet inputs (local paths or URIs) are read record by record, so a bad line becomes an
    error row; text files, folders and stdin are read as whole documents first.
    """
    from trade_events.extraction.batch import PartStore, producer_of, read_records, run_local
    from trade_events.model.load import load_extractor

    staged, tabular = _split_inputs(inputs, seeds, date)
    if engine == "ray":
        from trade_events.io import atomic_write_jsonl
        from trade_events.extraction.scale import extract_dataset

        if staged:  # Ray reads files: stage loose documents as one JSONL beside the output
            tabular.append(str(atomic_write_jsonl(Path(output) / "_staged" / "inputs.jsonl", staged)))
        return extract_dataset(tabular, model, output, int8=int8, fmt=fmt, with_spans=with_spans,
                               num_workers=num_workers, batch_size=batch_size, address=address)
    store = PartStore(output, fmt, producer_of(model, int8))
    extractor = load_extractor(model, int8=int8)
    return run_local(extractor, itertools.chain(staged, read_records(tabular)), store, batch_size,
                     with_spans=with_spans, progress=progress)


def event_line(e) -> str:
    """One human-readable line per event record."""
    impl = f"{e.implementer.text} ({e.implementer.iso3 or '?'})" if e.implementer else "?"
    hit = ", ".join(p.iso3 or p.text for p in e.affected) or "-"
    rate = e.rate.text if e.rate else "-"
    if e.previous_rate:
        rate = f"{e.previous_rate.text} → {rate}"
    date = e.date.value or e.date.text if e.date else "-"
    prod = ", ".join(e.products) or "-"
    return (f"{e.doc_id[:14]:<14} {e.action:<8} {e.measure_type:<17} by {impl:<24} on {hit:<9} "
            f"rate {rate:<14} date {date:<17} products {prod}")


def merged_line(m) -> str:
    """One line per real-world action, with the number of articles that report it."""
    impl = m.implementer.iso3 or m.implementer.text if m.implementer else "?"
    rate = m.rate.text if m.rate else "-"
    if m.previous_rate:
        rate = f"{m.previous_rate.text} → {rate}"
    date = m.date.value if m.date else "-"
    docs = len({s.doc_id for s in m.sources})
    flag = "  [conflict: " + ", ".join(m.conflicts) + "]" if m.has_conflicts else ""
    return (f"{docs} article(s)  {m.action:<8} {m.measure_type:<17} by {impl:<5} rate {rate:<14} date {date:<10} "
            f"products {', '.join(m.products) or '-'}{flag}")
