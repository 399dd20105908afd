"""The five bundled seed articles (verbatim) and their metadata; loaded by ``trade_events.data.documents``."""
