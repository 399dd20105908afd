"""The main job's steps (label → train → evaluate → extract), each a function the CLI and Makefile call."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from trade_events.data import corpus as corpus_mod
from trade_events.data.dataset import build_dataset, save_dataset
from trade_events.data.documents import Document, load_jsonl, load_seeds
from trade_events.model.load import load_extractor
from trade_events.data.gold import attach_text, gold_dir, read_dev_ids, read_gold
from trade_events.data.gold_sets import read_train_gold_ids, reuters_dev_gold, reuters_train_gold, seeds_gold
from trade_events.data.labelling import label_text
from trade_events.evaluate.quality import label_quality
from trade_events.evaluate.report import span_table
from trade_events.io import atomic_write_json
from trade_events.spans import LABELS, Span

LABEL_QUALITY = "label_quality.json"


@dataclass
class StepResult:
    messages: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def label_step(output: Path, extra_inputs: list[Path] = (), with_corpus: bool = False) -> StepResult:
    """Weak-label the seeds (one split each), optional JSONL files and the Reuters pool; score the rules."""
    res = StepResult()
    seeds = load_seeds()
    groups: dict[str, list[Document]] = {d.id: [d] for d in seeds}
    hand: dict[str, list[Span]] = {}
    for path in extra_inputs:
        errors: list[str] = []
        groups[Path(path).stem] = load_jsonl(path, errors)
        res.messages += [f"skipped {e}" for e in errors]
    if with_corpus:
        if corpus_mod.corpus_dir() is None:
            res.messages.append("Reuters corpus not found (../shared/corpus): labelling the seeds alone")
        else:
            hand = reuters_train_gold()
            # the pool leaves out every story picked for hand labelling, finished or not, so it stays fixed
            pool, labelled, _ = corpus_mod.split_train_stories(corpus_mod.load_train_stories(), read_dev_ids(),
                                                               frozenset(read_train_gold_ids()))
            labelled = [d for d in labelled if d.id in hand]
            hand = {d.id: attach_text(hand[d.id], d) for d in labelled}  # checks every offset against the text
            groups[corpus_mod.POOL_SPLIT] = pool
            if labelled:
                groups[corpus_mod.HAND_SPLIT] = labelled
                res.messages.append(f"hand-labelled Reuters training stories: {len(labelled)} "
                                    f"(split {corpus_mod.HAND_SPLIT}); weak-labelled pool: {len(pool)}")
    ds = build_dataset(groups, label_text, gold=hand)
    path = save_dataset(ds, output)
    tag_counts = Counter(LABELS[t] for split in ds.values() for row in split for t in row["ner_tags"])
    res.messages.append(f"dataset: {path} ({len(ds)} splits, {sum(len(s) for s in ds.values())} rows, "
                        f"{sum(tag_counts.values())} words)")
    for name, split in ds.items():
        res.messages.append(f"  split {name:<24} {len(split):>5} rows")
    res.messages.append("  spans per type: " + ", ".join(
        f"{lab[2:]} {n}" for lab, n in sorted(tag_counts.items()) if lab.startswith("B-")))
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
    res.data = {"dataset": ds, "report": report}
    return res


def _quality_block(res: StepResult, title: str, docs, gold, rules) -> dict:
    q = label_quality(docs, gold, rules)
    res.messages.append("")
    res.messages.append(span_table({"rules": q["scores"]}, title))
    res.messages.append("coverage (gold spans touched by any rule span): " +
                        ", ".join(f"{k} {100 * v:.0f}%" for k, v in q["coverage"].items()))
    return {**q, "scores": q["scores"].to_dict()}


# ---------------------------------------------------------------------------------------------- train
def train_step(dataset_dir: Path, output: Path, config, progress: bool = True) -> StepResult:
    """Fine-tune on the labelled dataset (every split unless the config names some) and save the model."""
    from trade_events.data.dataset import load_dataset
    from trade_events.training.recipe import train_recipe

    ds = load_dataset(dataset_dir)
    result = train_recipe(config, ds, output, progress=progress)
    m = result.metrics
    heads_msg = _train_event_heads(result.extractor, config, output, m)
    res = StepResult(data={"metrics": m})
    last = "stage B2" if "stage_b1_runtime_s" in m else "stage B" if "stage_a_runtime_s" in m else "training"
    res.messages.append(f"{last}: {m['train_steps']} steps on {m['train_windows']} windows ({m['train_rows']} sentences), "
                        f"final loss {m['final_loss']:.3f}")
    stages = {k[6:-10].upper(): v for k, v in m.items() if k.startswith("stage_") and k.endswith("_runtime_s")}
    parts = [f"stage {k} {v:.0f} s" for k, v in stages.items()] + [f"{last} {m['train_runtime_s'] - sum(stages.values()):.0f} s"]
    res.messages.append(f"trained in {m['train_runtime_s']:.0f} s ({', '.join(parts)})")
    if heads_msg:
        res.messages.append(heads_msg)
    res.messages.append(f"model: {output}")
    return res


def _train_event_heads(extractor, config, output: Path, metrics: dict) -> str:
    """Fit the learned event extractor on the event gold (Reuters training stories and seeds) and save it
    into the model folder; the tagger is unchanged. Returns a line for the log ('' when switched off)."""
    import time

    from trade_events.data.gold_sets import event_training_set
    from trade_events.model.files import TRAINING_METRICS
    from trade_events.training.events import fit_on_gold_set

    if not config.event_heads:
        return ""
    gold = event_training_set(config.seed_repeats)
    start = time.perf_counter()
    fit_on_gold_set(extractor, gold, config.event_epochs, config.seed)
    extractor.save_pretrained(output, extra_files={TRAINING_METRICS: json.dumps(metrics, default=str) + "\n"})
    n = sum(len(v) for v in gold.events.values())
    return (f"event heads: {n} gold records in {len(gold.events)} documents ({gold.name}, seeds x{config.seed_repeats}), "
            f"trained in {time.perf_counter() - start:.0f} s")


# ---------------------------------------------------------------------------------------------- evaluate
EVALUATION_JSON = "evaluation.json"
EVALUATION_MD = "evaluation.md"


class LeakageError(ValueError):
    """Refusal to score a model on text it was trained on."""


def held_out_docs(docs: list[Document], trained_on: set[str], name: str, strict: bool) -> list[Document]:
    """The documents of a gold set the model never trained on; ``strict`` refuses any overlap."""
    seen = [d.id for d in docs if d.id in trained_on]
    if seen and strict:
        raise LeakageError(f"refusing to score on {name}: the model was trained on {len(seen)} of its documents "
                           f"({', '.join(seen[:5])}{'…' if len(seen) > 5 else ''})")
    return [d for d in docs if d.id not in trained_on]


def evaluate_step(model_dir: Path | None, dataset_dir: Path | None, output: Path, crossval: bool = False,
                  config=None, progress: bool = False, gold_file: Path | None = None,
                  docs_file: Path | None = None, int8: bool = False, log=None) -> StepResult:
    """Score the rules and the model per type: a trained model on gold it never saw, and/or
    leave-one-article-out cross-validation on the seeds. Every model score sits beside the rules'."""
    from trade_events.evaluate.report import markdown_f1_table
    from trade_events.evaluate.spans import score_spans
    from trade_events.model.extractor import TradeEventExtractor

    res = StepResult()
    report: dict = {}
    md_rows: dict[str, dict] = {}
    extractor = TradeEventExtractor.from_pretrained(model_dir) if model_dir else None
    if extractor is not None:
        report["model"] = {"path": str(model_dir), "hash": extractor.model_info().hash}
    quantized = load_extractor(model_dir, int8=True) if model_dir and int8 else None
    trained_on = set(extractor.metadata.get("trained_on_documents", [])) if extractor else set()

    gold_sets: list[tuple[str, list[Document], dict[str, list[Span]], bool]] = []
    if gold_file is not None:
        if docs_file is None:
            raise ValueError("--gold needs --docs (the JSONL the gold's offsets index)")
        by_id = {d.id: d for d in load_jsonl(docs_file)}
        g = read_gold(gold_file)
        missing = sorted(set(g) - set(by_id))
        if missing:
            raise ValueError(f"{gold_file}: documents {missing[:5]} are not in {docs_file}")
        gold_sets.append((Path(gold_file).stem, [by_id[k] for k in g], {k: attach_text(v, by_id[k]) for k, v in g.items()}, True))
    else:
        sdocs, sgold = seeds_gold()
        gold_sets.append(("seeds", sdocs, sgold, False))
        dev = reuters_dev_gold()
        if dev is not None:
            gold_sets.append(("reuters_dev", dev[0], dev[1], True))
        else:
            res.messages.append("Reuters corpus or dev gold absent: scoring on the seeds alone")

    for name, docs, gold, strict in gold_sets:
        rules = {d.id: label_text(d.text) for d in docs}
        cols = {"rules": score_spans(docs, gold, rules)}
        if extractor is not None:
            held = held_out_docs(docs, trained_on, name, strict)
            if held:
                pred = dict(zip([d.id for d in held], extractor.predict_spans_batch([d.text for d in held])))
                cols = {"rules": score_spans(held, gold, rules), "model": score_spans(held, gold, pred)}
                if quantized is not None:
                    q = dict(zip([d.id for d in held], quantized.predict_spans_batch([d.text for d in held])))
                    cols["model-int8"] = score_spans(held, gold, q)
                if len(held) < len(docs):
                    res.messages.append(f"{name}: {len(docs) - len(held)} documents the model trained on are left out")
            else:
                res.messages.append(f"{name}: the model trained on every document here; see the cross-validation")
        title = f"{name}: {len(docs)} documents, strict IOB2 (P / R / F1, %)"
        res.messages += ["", span_table(cols, title)]
        report[name] = {k: v.to_dict() for k, v in cols.items()}
        if "model" in cols or not (crossval and name == "seeds"):  # the cross-validation row shows the rules there
            md_rows[name] = cols

    if crossval:
        from trade_events.data.dataset import load_dataset
        from trade_events.evaluate.crossval import leave_one_article_out
        from trade_events.training.config import TrainConfig

        if dataset_dir is None:
            raise ValueError("--crossval needs --dataset (the labelled dataset to train the folds on)")
        if config is None:
            saved = (extractor.metadata.get("config") if extractor else None) or {}
            config = TrainConfig(**{k: v for k, v in saved.items() if k not in ("train_splits", "init_from")})
        from trade_events.training.recipe import reusable_stage

        from trade_events.data.gold_sets import event_training_set

        sdocs, sgold = seeds_gold()
        ds = load_dataset(dataset_dir)
        cv = leave_one_article_out(ds, config, sdocs, sgold, label_text, progress=progress,
                                   log=log or res.messages.append,
                                   stage_a_result=reusable_stage(model_dir, "stage-a", config, ds),
                                   stage_b1_result=reusable_stage(model_dir, "stage-b1", config, ds), int8=int8,
                                   event_gold=event_training_set(config.seed_repeats) if config.event_heads else None,
                                   event_epochs=config.event_epochs)
        cv_cols = {"rules": cv.pooled_rules, "model": cv.pooled_model}
        if cv.pooled_int8 is not None:
            cv_cols["model-int8"] = cv.pooled_int8
        res.messages += ["", span_table(cv_cols, "seeds, leave-one-article-out (5 folds, held-out predictions pooled)")]
        res.messages.append("per fold micro F1 (rules → model): " + ", ".join(
            f"{f.held_out[:3]} {100 * f.rules.micro.f1:.1f}→{100 * f.model.micro.f1:.1f}" for f in cv.folds))
        res.messages.append(f"mean over folds: rules {100 * cv.mean_f1('rules'):.1f}, model {100 * cv.mean_f1('model'):.1f}")
        report["seeds_crossval"] = cv.to_dict()
        md_rows["seeds (leave-one-article-out)"] = cv_cols
        res.data["crossval"] = cv
    event_md = _event_scores(res, report, cv=res.data.get("crossval"), extractor=extractor, trained_on=trained_on)
    md = markdown_f1_table(md_rows) + ("\n\n" + event_md if event_md else "")
    atomic_write_json(Path(output) / EVALUATION_JSON, report)
    from trade_events.io import atomic_write_text
    atomic_write_text(Path(output) / EVALUATION_MD, md + "\n")
    res.messages += ["", md, f"evaluation written to {Path(output) / EVALUATION_JSON}"]
    res.data["report"] = report
    return res


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


def _event_scores(res: StepResult, report: dict, cv=None, extractor=None, trained_on: set[str] = frozenset()) -> str:
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


# ---------------------------------------------------------------------------------------------- benchmark
def evaluation_report(evaluation: Path | None, model: Path) -> dict | None:
    """``evaluation.json`` in (or at) ``evaluation``, read and checked to score ``model``'s weights; a clear
    error when it is given but absent or scores other weights (checked before minutes of timing, not after)."""
    if evaluation is None:
        return None
    path = Path(evaluation) / EVALUATION_JSON if Path(evaluation).is_dir() else Path(evaluation)
    if not path.is_file():
        raise ValueError(f"{path}: no evaluation report there (run `trade-events evaluate` on this model first)")
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("model", {}).get("hash") != load_extractor(model).model_info().hash:
        raise ValueError(f"{path} scores other weights than {model}: run evaluate on this model first")
    return report


def int8_f1_change(model: Path, evaluation: dict | None = None) -> dict:
    """Micro F1 of the fp32 and int8 paths: on the Reuters dev gold (scored here, on held-out stories) and,
    from ``evaluation`` (``evaluation_report`` of the same weights), on the seeds by leave-one-article-out."""
    from trade_events.evaluate.spans import score_spans

    fp32, int8 = load_extractor(model), load_extractor(model, int8=True)
    out: dict = {}
    dev = reuters_dev_gold()
    if dev is not None:
        docs = held_out_docs(dev[0], set(fp32.metadata.get("trained_on_documents", [])), "reuters_dev", strict=True)
        texts, ids = [d.text for d in docs], [d.id for d in docs]
        out["reuters_dev"] = {name: round(100 * score_spans(docs, dev[1], dict(zip(ids, ext.predict_spans_batch(texts)))).micro.f1, 1)
                              for name, ext in (("fp32", fp32), ("int8", int8))}
    pooled = (evaluation or {}).get("seeds_crossval", {}).get("pooled", {})
    if "model-int8" in pooled:
        out["seeds_crossval"] = {"fp32": round(100 * pooled["model"]["micro"]["f1"], 1),
                                 "int8": round(100 * pooled["model-int8"]["micro"]["f1"], 1)}
    for v in out.values():
        v["change"] = round(v["int8"] - v["fp32"], 1)
    return out


def benchmark_step(model: Path, output: Path, repeats: int = 3, batch_size: int = 64,
                   seeds_only: bool = False, scaling: bool = True, evaluation: Path | None = None) -> StepResult:
    """Extraction speed over the corpus (train + blind text, timing only) and the seeds, vs the ceiling."""
    from trade_events.evaluate import benchmark as bm
    from trade_events.model.extractor import TradeEventExtractor

    res = StepResult()
    seeds_evaluation = evaluation_report(evaluation, model)  # checked before minutes of timing, not after
    docs = load_seeds()
    folder = corpus_mod.corpus_dir()
    if folder is not None and not seeds_only:
        docs = docs + load_jsonl(folder / corpus_mod.TRAIN_FILE) + load_jsonl(folder / corpus_mod.BLIND_FILE)
    elif not seeds_only:
        res.messages.append("Reuters corpus absent: timing the seeds alone")
    report = {"machine": bm.machine(), "model": str(model), "repeats": repeats, "batch_size": batch_size}
    report["model_fp32"] = bm.benchmark_model(lambda: TradeEventExtractor.from_pretrained(model), docs,
                                              repeats, batch_size)
    try:
        report["model_int8"] = bm.benchmark_model(lambda: load_extractor(model, int8=True), docs, repeats, batch_size)
        report["int8_speedup"] = round(report["model_int8"]["end_to_end"]["tokens_per_s"] /
                                       report["model_fp32"]["end_to_end"]["tokens_per_s"], 2)
        report["int8_f1"] = int8_f1_change(model, seeds_evaluation)
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        res.messages.append(f"int8 path skipped: {exc}")
    report["rules"] = bm.benchmark_rules(docs, repeats)
    metrics = Path(model) / "training_metrics.json"
    if metrics.is_file():
        import json
        m = json.loads(metrics.read_text())
        report["training"] = {k: m.get(k) for k in ("train_runtime_s", "train_samples_per_s", "train_steps",
                                                    "train_windows")}
    report["peak_rss_mb"] = round(bm.peak_rss_mb(), 1)
    if scaling and folder is not None and not seeds_only:
        report["scaling"] = bm.benchmark_scaling(model, [str(folder / corpus_mod.TRAIN_FILE),
                                                        str(folder / corpus_mod.BLIND_FILE)], batch_size=batch_size)
    bm.write_report(output, report)
    fp = report["model_fp32"]
    res.messages += [
        f"machine: {report['machine']['cpu']} ({report['machine']['cores']} cores, torch threads {report['machine']['torch_threads']})",
        f"documents {fp['documents']}, windows {fp['windows']}, tokens {fp['tokens']}",
        f"model load: {fp['load']['median_s']:.2f} s (median of {repeats})",
        f"extraction: {fp['end_to_end']['docs_per_s']:.1f} docs/s, {fp['end_to_end']['tokens_per_s']:.0f} tokens/s "
        f"(median {fp['end_to_end']['median_s']:.2f} s, spread {fp['end_to_end']['max_s'] - fp['end_to_end']['min_s']:.2f} s)",
        f"ceiling (raw forward, same windows): {fp['ceiling_forward']['tokens_per_s']:.0f} tokens/s; "
        f"extraction is {100 * fp['fraction_of_ceiling']:.0f}% of it",
        f"latency per document: p50 {1000 * fp['latency_per_doc_s']['p50']:.0f} ms, p95 {1000 * fp['latency_per_doc_s']['p95']:.0f} ms",
        f"rules only: {report['rules']['docs_per_s']:.1f} docs/s",
        f"peak resident memory: {report['peak_rss_mb']:.0f} MB",
        f"report: {output}"]
    if "model_int8" in report:
        q = report["model_int8"]
        res.messages += [
            f"int8 (ONNX Runtime): {q['end_to_end']['docs_per_s']:.1f} docs/s, {q['end_to_end']['tokens_per_s']:.0f} tokens/s, "
            f"{report['int8_speedup']:.2f}x fp32; {100 * q['fraction_of_ceiling']:.0f}% of its own ceiling; "
            f"load {q['load']['median_s']:.2f} s"]
        res.messages += [f"int8 F1 change, {name.replace('_', ' ')}: {v['fp32']:.1f} → {v['int8']:.1f} ({v['change']:+.1f})"
                         for name, v in report["int8_f1"].items()]
    for name, r in report.get("scaling", {}).items():
        if isinstance(r, dict) and "docs_per_s" in r:
            res.messages.append(f"batch job, {name.replace('_', ' ')}: {r['docs_per_s']:.1f} docs/s over {r['documents']} "
                                f"stories ({r['stories_per_hour_per_core']:,} stories/hour/core)")
    if "training" in report:
        res.messages.append(f"training: {report['training']['train_runtime_s']} s, "
                            f"{report['training']['train_samples_per_s']} windows/s")
    res.data = report
    return res
