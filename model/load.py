"""One entry point for every extractor the commands can run: a model folder or package, its int8 form, or the rules."""
from __future__ import annotations

from pathlib import Path


def load_extractor(model: Path | str | None, int8: bool = False):
    """The fine-tuned model at ``model`` (its ONNX Runtime int8 form with ``int8``), or the rules when ``None``."""
    if model is None:
        from trade_events.model.rules import RulesExtractor
        return RulesExtractor()
    from trade_events.model.extractor import TradeEventExtractor
    return TradeEventExtractor.from_pretrained(model, int8=int8)
