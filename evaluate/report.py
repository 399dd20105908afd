"""Readable tables of scores: every model score printed beside the rules' score on the same gold."""
from __future__ import annotations

from trade_events.evaluate.spans import SpanScores
from trade_events.spans import ENTITY_TYPES


def span_table(columns: dict[str, SpanScores], title: str = "") -> str:
    """One row per type plus micro; for each column (``rules``, ``model``, …) P, R and F1 in percent."""
    names = list(columns)
    head = f"{'type':<9}{'gold':>6} " + " ".join(f"{n + ' P/R/F1':>22}" for n in names)
    lines = [title, head, "-" * len(head)] if title else [head, "-" * len(head)]
    for t in [*ENTITY_TYPES, "micro"]:
        first = columns[names[0]]
        support = first.micro.support if t == "micro" else first.per_type[t].support
        cells = []
        for n in names:
            s = columns[n].micro if t == "micro" else columns[n].per_type[t]
            cells.append(f"{100 * s.precision:6.1f} {100 * s.recall:6.1f} {100 * s.f1:6.1f}".rjust(22))
        lines.append(f"{t:<9}{support:>6} " + " ".join(cells))
    return "\n".join(lines)


def markdown_f1_table(rows: dict[str, dict[str, SpanScores]]) -> str:
    """Markdown table of F1 per type: one row per (setting, system), for the README."""
    out = ["| setting | system | " + " | ".join(ENTITY_TYPES) + " | micro |",
           "|---|---|" + "---:|" * (len(ENTITY_TYPES) + 1)]
    for setting, systems in rows.items():
        for system, sc in systems.items():
            cells = [f"{100 * sc.per_type[t].f1:.1f}" for t in ENTITY_TYPES] + [f"**{100 * sc.micro.f1:.1f}**"]
            out.append(f"| {setting} | {system} | " + " | ".join(cells) + " |")
    return "\n".join(out)
