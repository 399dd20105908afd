"""The one span type shared by rules, model, gold and scorers, and the label schema."""
from __future__ import annotations

from dataclasses import asdict, dataclass

#: Entity types of ANNOTATION.md, in a fixed order (the label list derives from it).
ENTITY_TYPES: tuple[str, ...] = ("ACTOR", "RATE", "DATE", "MEASURE", "PRODUCT")

#: The stable IOB2 label list: ``O`` first, then ``B-``/``I-`` per type.
LABELS: tuple[str, ...] = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))
LABEL2ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}
ID2LABEL: dict[int, str] = {i: label for label, i in LABEL2ID.items()}


@dataclass(frozen=True, order=True)
class Span:
    """A labelled character span ``text[start:end]``; ``score`` is a confidence in [0, 1]."""

    start: int
    end: int
    label: str
    text: str = ""
    score: float = 1.0

    def __post_init__(self) -> None:
        if self.label not in ENTITY_TYPES:
            raise ValueError(f"unknown span label {self.label!r}; expected one of {ENTITY_TYPES}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span offsets [{self.start}, {self.end})")

    @classmethod
    def from_text(cls, text: str, start: int, end: int, label: str, score: float = 1.0) -> "Span":
        """Build a span whose ``text`` is cut from the document itself."""
        return cls(start, end, label, text[start:end], score)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self, with_text: bool = True) -> dict:
        d = asdict(self)
        if not with_text:
            d.pop("text")
        return d
