"""The evaluate step: the rules and the model per type on gold the model never trained on, the seeds'
leave-one-article-out cross-validation, and the event tables; written to ``evaluation.json``/``.md``."""
from __future__ import annotations

from pathlib import Path

from trade_events.data.documents import Document, load_jsonl
from trade_events.data.gold import attach_text, read_gold
from trade_events.data.gold_sets import reuters_dev_gold, seeds_gold
from trade_events.data.labelling import label_text
from trade_events.evaluate.event_report import event_scores
from trade_events.evaluate.leakage import held_out_docs
from trade_events.evaluate.report import span_table
from trade_events.io import atomic_write_json
from trade_events.model.load import load_extractor
from trade_events.spans import Span
from trade_events.step import StepResult

EVALUATION_JSON = "evaluation.json"
EVALUATION_MD = "evaluation.md"


#: A gold set to score on: its name, documents, spans, and whether any training overlap is refused.
GoldSet = tuple[str, list[Document], dict[str, list[Span]], bool]


def evaluate_step(model_dir: Path | None, dataset_dir: Path | None, output: Path, crossval: bool = False,
                  config=None, progress: bool = False, gold_file: Path | None = None,
                  docs_file: Path | None = None, int8: bool = False, log=None) -> StepResult:
    """Score the rules and the model per type: a trained model on gold it never saw, and/or
    leave-one-article-out cross-validation on the seeds, then the event tables. Every model score sits
    beside the rules'."""
    from trade_events.model.extractor import TradeEventExtractor

    res = StepResult()
    report: dict = {}
    md_rows: dict[str, dict] = {}
    extractor = TradeEventExtractor.from_pretrained(model_dir) if model_dir else None
    if extractor is not None:
        report["model"] = {"path": str(model_dir), "hash": extractor.model_info().hash}
    quantized = load_extractor(model_dir, int8=True) if model_dir and int8 else None
    trained_on = set(extractor.metadata.get("trained_on_documents", [])) if extractor else set()
    for gold_set in gold_sets(gold_file, docs_file, res):
        name, cols = score_gold_set(gold_set, extractor, quantized, trained_on, res)
        report[name] = {k: v.to_dict() for k, v in cols.items()}
        if "model" in cols or not (crossval and name == "seeds"):  # the cross-validation row shows the rules there
            md_rows[name] = cols
    if crossval:
        cv = seed_crossval(model_dir, dataset_dir, extractor, config, progress, int8, log or res.messages.append, res)
        md_rows["seeds (leave-one-article-out)"] = {"rules": cv.pooled_rules, "model": cv.pooled_model} | (
            {"model-int8": cv.pooled_int8} if cv.pooled_int8 is not None else {})
        report["seeds_crossval"] = cv.to_dict()
        res.data["crossval"] = cv
    event_md = event_scores(res, report, cv=res.data.get("crossval"), extractor=extractor, trained_on=trained_on)
    write_evaluation(output, report, md_rows, event_md, res)
    return res


def gold_sets(gold_file: Path | None, docs_file: Path | None, res: StepResult) -> list[GoldSet]:
    """A user's gold file (scored strictly: no overlap with training allowed), or the bundled seeds and,
    when the corpus is here, the Reuters dev stories."""
    if gold_file is not None:
        if docs_file is None:
            raise ValueError("--gold needs --docs (the JSONL the gold's offsets index)")
        by_id = {d.id: d for d in load_jsonl(docs_file)}
        g = read_gold(gold_file)
        missing = sorted(set(g) - set(by_id))
        if missing:
            raise ValueError(f"{gold_file}: documents {missing[:5]} are not in {docs_file}")
        return [(Path(gold_file).stem, [by_id[k] for k in g], {k: attach_text(v, by_id[k]) for k, v in g.items()}, True)]
    sdocs, sgold = seeds_gold()
    out: list[GoldSet] = [("seeds", sdocs, sgold, False)]
    dev = reuters_dev_gold()
    if dev is not None:
        out.append(("reuters_dev", dev[0], dev[1], True))
    else:
        res.messages.append("Reuters corpus or dev gold absent: scoring on the seeds alone")
    return out


def score_gold_set(gold_set: GoldSet, extractor, quantized, trained_on: set[str], res: StepResult):
    """``(name, {system: SpanScores})``: the rules, and the model (and its int8 path) on the documents it
    never trained on; the table is appended to ``res``."""
    from trade_events.evaluate.spans import score_spans

    name, docs, gold, strict = gold_set
    rules = {d.id: label_text(d.text) for d in docs}
    cols = {"rules": score_spans(docs, gold, rules)}
    if extractor is not None:
        held = held_out_docs(docs, trained_on, name, strict)
        if held:
            ids, texts = [d.id for d in held], [d.text for d in held]
            cols = {"rules": score_spans(held, gold, rules),
                    "model": score_spans(held, gold, dict(zip(ids, extractor.predict_spans_batch(texts))))}
            if quantized is not None:
                cols["model-int8"] = score_spans(held, gold, dict(zip(ids, quantized.predict_spans_batch(texts))))
            if len(held) < len(docs):
                res.messages.append(f"{name}: {len(docs) - len(held)} documents the model trained on are left out")
        else:
            res.messages.append(f"{name}: the model trained on every document here; see the cross-validation")
    res.messages += ["", span_table(cols, f"{name}: {len(docs)} documents, strict IOB2 (P / R / F1, %)")]
    return name, cols


def seed_crossval(model_dir, dataset_dir, extractor, config, progress: bool, int8: bool, log, res: StepResult):
    """Leave-one-article-out on the seeds with the model's own recipe (its shared stages reused when they
    fit), event heads per fold; the tables are appended to ``res``."""
    from trade_events.data.dataset import load_dataset
    from trade_events.data.gold_sets import event_training_set
    from trade_events.evaluate.crossval import leave_one_article_out
    from trade_events.training.config import TrainConfig
    from trade_events.training.recipe import reusable_stage

    if dataset_dir is None:
        raise ValueError("--crossval needs --dataset (the labelled dataset to train the folds on)")
    if config is None:
        saved = (extractor.metadata.get("config") if extractor else None) or {}
        config = TrainConfig(**{k: v for k, v in saved.items() if k not in ("train_splits", "init_from")})
    sdocs, sgold = seeds_gold()
    ds = load_dataset(dataset_dir)
    cv = leave_one_article_out(ds, config, sdocs, sgold, label_text, progress=progress, log=log,
                               stage_a_result=reusable_stage(model_dir, "stage-a", config, ds),
                               stage_b1_result=reusable_stage(model_dir, "stage-b1", config, ds), int8=int8,
                               event_gold=event_training_set(config.seed_repeats) if config.event_heads else None,
                               event_epochs=config.event_epochs)
    cols = {"rules": cv.pooled_rules, "model": cv.pooled_model}
    if cv.pooled_int8 is not None:
        cols["model-int8"] = cv.pooled_int8
    res.messages += ["", span_table(cols, "seeds, leave-one-article-out (5 folds, held-out predictions pooled)")]
    res.messages.append("per fold micro F1 (rules → model): " + ", ".join(
        f"{f.held_out[:3]} {100 * f.rules.micro.f1:.1f}→{100 * f.model.micro.f1:.1f}" for f in cv.folds))
    res.messages.append(f"mean over folds: rules {100 * cv.mean_f1('rules'):.1f}, model {100 * cv.mean_f1('model'):.1f}")
    return cv


def write_evaluation(output: Path, report: dict, md_rows: dict, event_md: str, res: StepResult) -> None:
    """``evaluation.json`` (every score) and ``evaluation.md`` (the tables), atomically."""
    from trade_events.evaluate.report import markdown_f1_table
    from trade_events.io import atomic_write_text

    md = markdown_f1_table(md_rows) + ("\n\n" + event_md if event_md else "")
    atomic_write_json(Path(output) / EVALUATION_JSON, report)
    atomic_write_text(Path(output) / EVALUATION_MD, md + "\n")
    res.messages += ["", md, f"evaluation written to {Path(output) / EVALUATION_JSON}"]
    res.data["report"] = report
