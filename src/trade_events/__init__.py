"""trade-events: structured, normalized trade-policy events from news text.

``TradeEventExtractor`` (the model API) is imported lazily, so that ``import trade_events`` stays fast
and light for code that uses the rules, loaders or scorers alone.
"""
from trade_events.data.documents import Document, load_seeds
from trade_events.spans import ENTITY_TYPES, LABELS, Span

from trade_events._version import __version__

__all__ = ["ENTITY_TYPES", "LABELS", "Document", "Span", "TradeEventExtractor", "__version__", "load_seeds"]


def __getattr__(name: str):
    if name == "TradeEventExtractor":
        from trade_events.model.extractor import TradeEventExtractor
        return TradeEventExtractor
    raise AttributeError(f"module 'trade_events' has no attribute {name!r}")
