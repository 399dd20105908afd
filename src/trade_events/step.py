"""What a step of the main job returns to the command that ran it: lines to print and data for tests."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StepResult:
    messages: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
