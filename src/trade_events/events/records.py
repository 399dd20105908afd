"""Event records exactly as ``../shared/EVENTS.md`` defines them (``to_dict`` gives its JSON)."""
from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = ("impose", "raise", "cut", "suspend", "lift", "threaten", "keep")
MEASURE_TYPES = ("import_tariff", "export_control", "export_licence", "import_quota", "anti_dumping_duty",
                 "countervailing_duty", "safeguard", "sanction", "visa_restriction", "import_ban", "other")
MAST_CHAPTER = {"import_tariff": "TARIFF", "anti_dumping_duty": "D", "countervailing_duty": "D", "safeguard": "D",
                "import_quota": "E", "import_ban": "E", "export_control": "P", "export_licence": "P",
                "sanction": "N/A", "visa_restriction": "N/A", "other": "N/A"}
PRECISIONS = ("day", "week", "month", "quarter", "year", "range")


def mast_chapter(measure_type: str) -> str:
    """UNCTAD MAST chapter of an EVENTS.md measure type (``TARIFF``, ``D``, ``E``, ``P``, ``N/A``)."""
    if measure_type not in MAST_CHAPTER:
        raise ValueError(f"unknown measure_type {measure_type!r}")
    return MAST_CHAPTER[measure_type]

@dataclass(frozen=True)
class Party:
    text: str
    iso3: str | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "iso3": self.iso3}


@dataclass(frozen=True)
class Rate:
    text: str
    value: float | None
    unit: str | None

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class EventDate:
    text: str
    value: str | None
    precision: str | None

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "precision": self.precision}


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class TradeEvent:
    """One trade-policy action: who did what to whom, at what rate, on what goods, when."""

    doc_id: str
    action: str
    measure_type: str
    implementer: Party | None = None
    affected: list[Party] = field(default_factory=list)
    rate: Rate | None = None
    previous_rate: Rate | None = None
    date: EventDate | None = None
    products: list[str] = field(default_factory=list)
    evidence: Evidence | None = None
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}; expected one of {ACTIONS}")
        if self.measure_type not in MEASURE_TYPES:
            raise ValueError(f"unknown measure_type {self.measure_type!r}; expected one of {MEASURE_TYPES}")

    @property
    def mast_chapter(self) -> str:
        return mast_chapter(self.measure_type)

    def to_dict(self) -> dict:
        """The EVENTS.md JSON object, fields in its order."""
        return {
            "doc_id": self.doc_id, "action": self.action, "measure_type": self.measure_type,
            "mast_chapter": self.mast_chapter,
            "implementer": self.implementer.to_dict() if self.implementer else None,
            "affected": [p.to_dict() for p in self.affected],
            "rate": self.rate.to_dict() if self.rate else None,
            "previous_rate": self.previous_rate.to_dict() if self.previous_rate else None,
            "date": self.date.to_dict() if self.date else None,
            "products": list(self.products),
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "confidence": round(float(self.confidence), 4),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "TradeEvent":
        def opt(kind, v):
            return kind(**v) if v else None
        return cls(doc_id=d["doc_id"], action=d["action"], measure_type=d["measure_type"],
                   implementer=opt(Party, d.get("implementer")),
                   affected=[Party(**p) for p in d.get("affected") or []],
                   rate=opt(Rate, d.get("rate")), previous_rate=opt(Rate, d.get("previous_rate")),
                   date=opt(EventDate, d.get("date")), products=list(d.get("products") or []),
                   evidence=opt(Evidence, d.get("evidence")), confidence=float(d.get("confidence", 1.0)))
