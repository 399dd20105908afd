"""The one rule of every score here: a model is never scored on a document it trained on."""
from __future__ import annotations

from collections.abc import Iterable

from trade_events.data.documents import Document


class LeakageError(ValueError):
    """Refusal to score a model on text it was trained on."""


def refuse_leakage(held_out: Iterable[str], trained_on: Iterable[str], where: str) -> None:
    """Raise when any held-out document id is among those a model (or its event heads) trained on."""
    seen = sorted(set(held_out) & set(trained_on))
    if seen:
        raise LeakageError(f"{where} trained on {len(seen)} held-out document(s): {', '.join(seen[:5])}"
                           f"{'…' if len(seen) > 5 else ''}")


def held_out_docs(docs: list[Document], trained_on: set[str], name: str, strict: bool) -> list[Document]:
    """The documents of a gold set the model never trained on; ``strict`` refuses any overlap."""
    if strict:
        refuse_leakage((d.id for d in docs), trained_on, f"refusing to score on {name}: the model")
    return [d for d in docs if d.id not in trained_on]
