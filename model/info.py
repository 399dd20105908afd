"""The identity of what produced a row or an event id: a model (its weights hash) or the rules."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelInfo:
    """Which model produced a row: its name, version and a hash of its weights (or of the rules' version)."""

    name: str
    version: str
    hash: str
