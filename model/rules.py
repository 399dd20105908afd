"""The labelling rules behind the same interface as the model, for extraction without weights and for
side-by-side comparison (every model score is reported beside the rules')."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

from trade_events.data.documents import Document, check_text, parse_date
from trade_events.data.labelling import label_text
from trade_events.events.assemble import assemble_events
from trade_events.events.records import TradeEvent
from trade_events.model.info import ModelInfo
from trade_events.spans import Span


class RulesExtractor:
    """``predict_spans`` / ``extract`` from the labelling rules alone."""

    metadata: dict = {"name": "rules"}

    def model_info(self) -> ModelInfo:
        """The rules' identity: the package version and a hash of the labelling and assembly code."""
        from trade_events._version import __version__
        from trade_events.data import labelling
        from trade_events.events import assemble

        digest = hashlib.sha256()
        for f in sorted(Path(labelling.__file__).parent.glob("*.py")) + [Path(assemble.__file__)]:
            digest.update(f.read_bytes())
        return ModelInfo("rules", __version__, digest.hexdigest()[:16])

    def predict_spans(self, text: str) -> list[Span]:
        check_text(text)
        return label_text(text)

    def predict_spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        return [self.predict_spans(t) for t in texts]

    def extract(self, text: str, doc_date: str | dt.date | None = None, doc_id: str = "") -> list[TradeEvent]:
        return assemble_events(doc_id, text, self.predict_spans(text), parse_date(doc_date))

    def extract_batch(self, docs: Sequence[Document]) -> list[list[TradeEvent]]:
        return [events for _, events in self.spans_and_events(docs)]

    def spans_and_events(self, docs: Sequence[Document]) -> list[tuple[list[Span], list[TradeEvent]]]:
        """Each document's rule spans and the rules assembler's records (the extraction loop's interface)."""
        found = self.predict_spans_batch([d.text for d in docs])
        return [(s, assemble_events(d.id, d.text, s, d.date)) for d, s in zip(docs, found)]
