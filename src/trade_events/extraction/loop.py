"""The one predict → isolate failures → assemble loop behind every way of extracting (a file, stdout, an
output folder, the Ray engine's actors): the same records from the same documents, whatever the path."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from trade_events.data.documents import Document, length_sorted_batches
from trade_events.events.records import TradeEvent
from trade_events.spans import Span


@dataclass
class DocResult:
    """One document's spans and event records, or the reason it failed (then ``spans`` is ``None``)."""

    doc: Document
    spans: list[Span] | None = None
    events: list[TradeEvent] = field(default_factory=list)
    error: str | None = None


def extract_documents(extractor, docs: Sequence[Document], batch_size: int = 64,
                      progress: Callable[[int], None] | None = None) -> list[DocResult]:
    """Every document through ``extractor.spans_and_events`` in batches of similar length (less padding),
    results in input order. A batch that raises is redone document by document, so a bad document
    loses only itself: its ``DocResult`` carries the error and the others their records."""
    results: dict[int, DocResult] = {}
    for ks in length_sorted_batches([len(d.text) for d in docs], batch_size):
        batch = [docs[k] for k in ks]
        try:
            done = extractor.spans_and_events(batch)
        except Exception:  # noqa: BLE001 - isolate the document that raised, keep the others
            done = []
            for d in batch:
                try:
                    done += extractor.spans_and_events([d])
                except Exception as exc:  # noqa: BLE001
                    done.append(exc)
        for k, d, out in zip(ks, batch, done):
            if isinstance(out, Exception):
                results[k] = DocResult(d, error=f"{type(out).__name__}: {out}")
            else:
                results[k] = DocResult(d, out[0], out[1])
        if progress is not None:
            progress(len(batch))
    return [results[k] for k in range(len(docs))]
