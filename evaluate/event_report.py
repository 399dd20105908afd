"""Event-level score tables of ``evaluate``: every assembler × spans combination against the hand-made event
gold (seeds by held-out folds, Reuters dev when never trained on), and the merge's clustering score."""
from __future__ import annotations

from trade_events.data.documents import Document
from trade_events.data.gold import gold_dir
from trade_events.data.labelling import label_text
from trade_events.spans import Span
from trade_events.step import StepResult

SEEDS_EVENT_GROUPS = "seeds.event_groups.json"
def _event_systems(docs: list[Document], gold_spans: dict[str, list[Span]], model_spans: dict[str, list[Span]] | None,
                   variants: dict[str, dict[str, list]]) -> dict[str, list]:
    """Records of every system that can run here, pooled over ``docs``: the assembler (the rules', the event
    heads alone, or the heads with the rules' records as a backstop, which ships) × the spans it is fed."""
    from trade_events.events.assemble import assemble_events

    def assembled(spans):
        return [e for d in docs for e in assemble_events(d.id, d.text, spans[d.id], d.date)]

    out = {"rules": assembled({d.id: label_text(d.text) for d in docs})}
    if model_spans is not None:
        out["rules assembler, model spans"] = assembled(model_spans)
    out["rules assembler, gold spans"] = assembled(gold_spans)
    for variant, name in (("heads_alone", "event heads alone, model spans"), ("shipped", SHIPPED_EVENTS),
                          ("gold_spans", "heads + rules, gold spans")):
        if variant in variants:
            out[name] = [e for d in docs for e in variants[variant][d.id]]
    return out


#: The name of the shipped event path in the score tables.
SHIPPED_EVENTS = "heads + rules, model spans (ships)"


def event_scores(res: StepResult, report: dict, cv=None, extractor=None, trained_on: set[str] = frozenset()) -> str:
    """Event-level scores (EVENTS.md) of every assembler × spans combination on the seeds (the model's side
    from the held-out folds) and on the Reuters dev event gold (when the model never trained on it), and
    the clustering score of the merge on the seeds. Returns markdown tables."""
    from trade_events.data.gold_sets import reuters_event_gold, seeds_event_gold
    from trade_events.evaluate.events import event_markdown, event_table, read_groups, score_events, score_merge

    md: list[str] = []
    seeds = seeds_event_gold()
    sets = [("seeds", seeds, cv)]
    dev = reuters_event_gold("dev")
    if dev is not None:
        sets.append(("reuters_dev", dev, None))
    for name, gold_set, fold in sets:
        gold = [g.record for d in gold_set.docs for g in gold_set.events[d.id]]
        model_spans, variants = None, {}
        if fold is not None:
            model_spans, variants = fold.predictions, fold.event_variants
        elif extractor is not None:
            heads_on = set(extractor.metadata.get("event_heads", {}).get("trained_on_documents", []))
            docs = gold_set.docs
            if not (trained_on | heads_on) & {d.id for d in docs}:
                if extractor.event_heads is not None:
                    variants = extractor.event_variants(docs, gold_set.spans)
                    model_spans = variants.pop("spans")
                else:
                    model_spans = dict(zip([d.id for d in docs], extractor.predict_spans_batch([d.text for d in docs])))
        systems = _event_systems(gold_set.docs, gold_set.spans, model_spans, variants)
        scores = {k: score_events(v, gold) for k, v in systems.items()}
        where = "held-out folds" if fold is not None else "never trained on"
        title = f"{name}: event records vs hand-made event gold ({len(gold)} records; EVENTS.md matching; {where})"
        res.messages += ["", event_table(scores, title)]
        report[f"{name}_events"] = {k: v.to_dict() for k, v in scores.items()}
        md.append(event_markdown(scores, f"events ({name})"))
        if name == "seeds" and (gold_dir() / SEEDS_EVENT_GROUPS).is_file():
            groups = read_groups(gold_dir() / SEEDS_EVENT_GROUPS)
            merge = {"gold events": score_merge(gold, gold, groups)} | {
                k: score_merge(systems[k], gold, groups) for k in ("rules", SHIPPED_EVENTS) if k in systems}
            res.messages.append("merge of repeated reports (pairwise / B-cubed F1 vs the hand-made grouping, on "
                                "events matched to gold): " + ", ".join(
                                    f"{k} {100 * m.pairwise['f1']:.1f} / {100 * m.bcubed['f1']:.1f} ({m.items} events)"
                                    for k, m in merge.items()))
            report["seeds_merge"] = {k: v.to_dict() for k, v in merge.items()}
            lines = ["| merge (seeds) | events | pairwise P | pairwise R | pairwise F1 | B-cubed F1 |",
                     "|---|---:|---:|---:|---:|---:|"]
            for k, m in merge.items():
                lines.append(f"| {k} | {m.items} | {100 * m.pairwise['precision']:.1f} | {100 * m.pairwise['recall']:.1f} | "
                             f"**{100 * m.pairwise['f1']:.1f}** | {100 * m.bcubed['f1']:.1f} |")
            md.append("\n".join(lines))
    return "\n\n".join(md)
