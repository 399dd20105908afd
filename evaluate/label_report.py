"""The rules (the labelling teacher) against the hand-made span gold, printed by ``label``: per-type
scores and coverage on the seeds and the Reuters dev stories, written to ``label_quality.json``."""
from __future__ import annotations

from pathlib import Path

from trade_events.data.gold_sets import reuters_dev_gold, seeds_gold
from trade_events.data.labelling import label_text
from trade_events.evaluate.quality import label_quality
from trade_events.evaluate.report import span_table
from trade_events.io import atomic_write_json
from trade_events.step import StepResult

LABEL_QUALITY = "label_quality.json"


def rules_report(output: Path, res: StepResult | None = None) -> StepResult:
    """Score the rules on every span gold here; lines appended to ``res`` (a new one when ``None``)."""
    res = res if res is not None else StepResult()
    report = {}
    docs, gold = seeds_gold()
    rules = {d.id: label_text(d.text) for d in docs}
    report["seeds"] = _quality_block(res, "Rules vs hand-made gold: seeds (5 articles)", docs, gold, rules)
    dev = reuters_dev_gold()
    if dev is not None:
        ddocs, dgold = dev
        drules = {d.id: label_text(d.text) for d in ddocs}
        report["reuters_dev"] = _quality_block(res, f"Rules vs hand-made gold: Reuters dev ({len(ddocs)} stories)",
                                               ddocs, dgold, drules)
    atomic_write_json(Path(output) / LABEL_QUALITY, report)
    res.messages.append(f"label-quality report: {Path(output) / LABEL_QUALITY}")
    res.data["report"] = report
    return res


def _quality_block(res: StepResult, title: str, docs, gold, rules) -> dict:
    q = label_quality(docs, gold, rules)
    res.messages.append("")
    res.messages.append(span_table({"rules": q["scores"]}, title))
    res.messages.append("coverage (gold spans touched by any rule span): " +
                        ", ".join(f"{k} {100 * v:.0f}%" for k, v in q["coverage"].items()))
    return {**q, "scores": q["scores"].to_dict()}
