"""The ``trade-events`` command line: thin commands that call library functions and print results."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

#: Plain help (no Rich markup): markup would eat ``[ray]`` in ``pip install 'trade-events[ray]'`` and print
#: ``<bool>`` after every flag.
app = typer.Typer(help="Extract structured, normalized trade-policy events from news text.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False, add_completion=False,
                  rich_markup_mode=None)

OUT = Path("outputs")


@app.callback()
def _quiet() -> None:
    """Keep library chatter out of the command output (environment only: ``--rules`` imports no ML library)."""
    import os

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _quiet_libraries() -> None:
    """Silence load reports and dataset map bars, for the commands that load a model or a dataset."""
    import datasets
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    datasets.disable_progress_bars()


def _emit_jsonl(rows: list[dict], output: Path | None) -> None:
    """JSON lines to ``output`` (atomically) or, without one, to stdout."""
    from trade_events.io import atomic_write_jsonl

    if output is None:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
    else:
        atomic_write_jsonl(output, rows)


def _fail(msg: str) -> None:
    typer.secho(f"error: {msg}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


@app.command()
def label(
    input: Annotated[Optional[list[Path]], typer.Option("--input", "-i", help="JSONL of {id, date, text} to label as well (one split per file).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for dataset/, dataset.jsonl and label_quality.json.")] = OUT / "labelled",
    corpus: Annotated[bool, typer.Option(help="Also weak-label the Reuters train stories (minus the dev gold) when ../shared/corpus is present.")] = False,
) -> None:
    """Weak-label the seeds (and optional JSONL corpora) with the rules; print the rules-vs-gold report."""
    _quiet_libraries()
    from trade_events.data.label_step import label_step
    from trade_events.evaluate.label_report import rules_report

    try:
        result = rules_report(output, label_step(output, extra_inputs=input or [], with_corpus=corpus))
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    for line in result.messages:
        typer.echo(line)


def _config_options(fn):
    """Give ``fn`` one option per ``TrainConfig`` field (``training.config.cli_fields``: names, types and help
    declared once, on the dataclass); unset options keep the recipe's defaults."""
    import inspect

    from trade_events.training.config import cli_fields

    params = list(inspect.signature(fn).parameters.values())
    keep = [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]
    for name, option, typ, help_text, default in cli_fields():
        flag, shown = f"--{option.replace('_', '-')}", str(default) if default not in ([], None) else False
        decl = typer.Option(f"{flag}/--no-{option.replace('_', '-')}", help=help_text, show_default=shown) \
            if typ is bool else typer.Option(flag, help=help_text, show_default=shown)
        keep.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                      annotation=Annotated[Optional[typ], decl]))
    fn.__signature__ = inspect.Signature(keep)
    return fn


@app.command()
@_config_options
def train(
    dataset: Annotated[Path, typer.Option(help="Labelled dataset folder (from `label`).")] = OUT / "labelled",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the trained model.")] = OUT / "model",
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    **options,
) -> None:
    """Fine-tune the distilled transformer on the weak labels (Hugging Face Trainer, CPU), then the event heads."""
    from trade_events.training.step import train_step

    _quiet_libraries()
    if options.get("epochs") is not None and options.get("max_steps") is None:
        options["max_steps"] = -1  # --epochs alone: train for epochs, not the default step count
    config = _train_config(**options)
    try:
        result = train_step(dataset, output, config, progress=progress)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    for line in result.messages:
        typer.echo(line)


def _train_config(**overrides):
    from trade_events.training.config import TrainConfig

    try:
        return TrainConfig(**{k: v for k, v in overrides.items() if v not in (None, [])})
    except ValueError as exc:
        _fail(str(exc))


@app.command()
def evaluate(
    model: Annotated[Optional[Path], typer.Option(help="Trained model folder to score (omit for rules only).")] = None,
    dataset: Annotated[Optional[Path], typer.Option(help="Labelled dataset (needed for --crossval).")] = None,
    crossval: Annotated[bool, typer.Option(help="Leave-one-article-out cross-validation on the seeds.")] = False,
    gold: Annotated[Optional[Path], typer.Option(help="A gold spans JSONL to score on instead of the bundled gold.")] = None,
    docs: Annotated[Optional[Path], typer.Option(help="JSONL of the documents that --gold annotates.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for evaluation.json and evaluation.md.")] = OUT / "evaluation",
    epochs: Annotated[Optional[float], typer.Option(help="Override the folds' training epochs.")] = None,
    max_steps: Annotated[Optional[int], typer.Option(help="Override the folds' training steps.")] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars while folds train.")] = False,
    int8: Annotated[bool, typer.Option("--int8", help="Also score the int8 (ONNX Runtime) path beside fp32.")] = False,
) -> None:
    """Score rules and model per type (seqeval, strict IOB2) on gold the model never trained on."""
    from trade_events.model.files import ModelLoadError
    _quiet_libraries()
    from trade_events.evaluate.step import evaluate_step

    config = None
    if epochs is not None or max_steps is not None:
        config = _train_config(epochs=epochs, max_steps=-1 if max_steps is None else max_steps)
    try:
        result = evaluate_step(model, dataset, output, crossval=crossval, config=config, progress=progress,
                               gold_file=gold, docs_file=docs, int8=int8, log=typer.echo)
    except (OSError, ValueError, ModelLoadError) as exc:
        _fail(str(exc))
    for line in result.messages:
        typer.echo(line)


@app.command()
def package(
    model: Annotated[Path, typer.Option(help="Trained model folder.")] = OUT / "model",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the packaged model and its wheel.")] = OUT / "package",
    evaluation: Annotated[Optional[Path], typer.Option(help="Evaluation folder whose table goes in the model card.")] = None,
    int8: Annotated[bool, typer.Option("--int8", help="Also ship the int8 ONNX Runtime graph (onnx/model.int8.onnx).")] = False,
) -> None:
    """Write a self-contained model folder with a model card, and a pip-installable model wheel."""
    from trade_events.model.files import ModelLoadError
    _quiet_libraries()
    from trade_events.model.package import package_model
    from trade_events.evaluate.step import EVALUATION_MD

    md = None
    if evaluation is not None:
        if not (evaluation / EVALUATION_MD).is_file():
            _fail(f"{evaluation}: no {EVALUATION_MD} (run `trade-events evaluate` first)")
        md = (evaluation / EVALUATION_MD).read_text()
    try:
        folder, wheel = package_model(model, output, md, int8=int8)
    except (OSError, ModelLoadError) as exc:
        _fail(str(exc))
    typer.echo(f"model folder: {folder}")
    typer.echo(f"model wheel:  {wheel}  (pip install it, then TradeEventExtractor.from_pretrained(\"trade-events-model\"))")


@app.command()
def extract(
    inputs: Annotated[Optional[list[str]], typer.Argument(help="Text files, folders of .txt, JSONL or Parquet of {id, date, text} (local or URI), or - for stdin.")] = None,
    model: Annotated[Optional[Path], typer.Option(help="Model folder or installed model package name.")] = None,
    rules: Annotated[bool, typer.Option("--rules", help="Use the labelling rules instead of a model.")] = False,
    seeds: Annotated[bool, typer.Option("--seeds", help="Extract from the bundled seed articles.")] = False,
    date: Annotated[Optional[str], typer.Option(help="Publication date (YYYY-MM-DD) for plain text without one.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="records: a JSONL file (default stdout). jsonl/csv/parquet: a file with that suffix, or a resumable output folder.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="records (nested EVENTS.md JSON) or a flat table, one row per event: jsonl, csv, parquet.")] = "records",
    engine: Annotated[str, typer.Option(help="local (this process) or ray (Ray Data actor pool; pip install 'trade-events[ray]').")] = "local",
    spans: Annotated[Optional[Path], typer.Option(help="records format: also write the spans per document to this JSONL.")] = None,
    with_spans: Annotated[bool, typer.Option("--with-spans", help="Output folder: also write spans/ parts.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch (batched by length, so larger pads less).")] = 64,
    num_workers: Annotated[Optional[int], typer.Option(min=1, help="Ray: actors in the pool (default: one per CPU).")] = None,
    address: Annotated[Optional[str], typer.Option(help="Ray: join this cluster (e.g. ray://head:10001 or auto) instead of starting a local one.")] = None,
    int8: Annotated[bool, typer.Option("--int8", help="Run the model through the int8 ONNX Runtime path.")] = False,
    summary: Annotated[bool, typer.Option(help="Print one line per event to stderr.")] = True,
) -> None:
    """Extract normalized trade-event records: nested EVENTS.md JSON, or flat rows as JSONL, CSV or Parquet."""
    from trade_events.extraction.exports import FORMATS

    if fmt not in ("records", *FORMATS):
        _fail(f"--format must be records, {', '.join(FORMATS)}")
    if engine not in ("local", "ray"):
        _fail("--engine must be local or ray")
    if model is None and not rules:
        _fail("give --model PATH (a trained or packaged model) or --rules")
    if not rules:
        _quiet_libraries()
    _check_outputs(inputs or [], [p for p in (output, spans) if p is not None],
                   folder=engine == "ray" or (fmt != "records" and output is not None and output.suffix != f".{fmt}"))
    if engine == "ray" or (fmt != "records" and output is not None and output.suffix != f".{fmt}"):
        _extract_to_folder(inputs or [], None if rules else model, output, fmt, engine, seeds, date, int8,
                           batch_size, num_workers, address, with_spans)
        return
    _extract_to_file(inputs or [], None if rules else model, output, fmt, seeds, date, int8, batch_size, spans, summary)


def _check_outputs(inputs: list[str], outputs: list[Path], folder: bool) -> None:
    """Refuse, before any work, an output that is one of the inputs (it would be overwritten) or, for a
    one-file output, an existing folder (the write would fail after all the work)."""
    read = {Path(i).resolve() for i in inputs if i != "-" and "://" not in i}
    for out in outputs:
        target = out.resolve()
        if target in read:
            _fail(f"{out}: the output is one of the inputs and would overwrite it; choose another path")
    if not folder and outputs and outputs[0].is_dir():
        _fail(f"{outputs[0]}: is a folder; the records format writes one JSONL file "
              "(give a file name, or --format parquet/jsonl/csv for an output folder)")


def _extract_to_file(inputs, model, output, fmt, seeds, date, int8, batch_size, spans, summary) -> None:
    """Extract in this process into one file (or stdout)."""
    from trade_events.data.documents import DocumentError, document_from_row
    from trade_events.extraction.exports import encode_rows, flat_row, write_rows
    from trade_events.io import atomic_write_jsonl
    from trade_events.model.files import ModelLoadError
    from trade_events.extraction.loop import extract_documents
    from trade_events.extraction.run import event_line, input_records
    from trade_events.model.load import load_extractor

    errors: list[str] = []
    docs = []
    try:
        for rec in input_records(inputs, seeds, date):  # the same reader as folder output
            if rec["error"]:
                errors.append(rec["error"])
                continue
            try:
                docs.append(document_from_row(rec, str(rec["id"])))
            except (DocumentError, ValueError) as exc:
                errors.append(f"{rec['source']}: {exc}")
        extractor = load_extractor(model, int8=int8)
    except (DocumentError, ModelLoadError, OSError) as exc:
        _fail(str(exc))
    if not docs:
        for e in errors:
            typer.secho(f"skipped {e}", fg=typer.colors.YELLOW, err=True)
        _fail("no documents to read (give files, a folder, JSONL, - for stdin, or --seeds)")
    with typer.progressbar(length=len(docs), label="extracting", file=sys.stderr,
                           hidden=len(docs) < 20) as bar:
        results = extract_documents(extractor, docs, batch_size, progress=bar.update)
    errors += [f"{r.doc.id}: {r.error}" for r in results if r.error]
    results = [r for r in results if r.error is None]
    events = [e for r in results for e in r.events]
    if fmt == "records":
        _emit_jsonl([e.to_dict() for e in events], output)
    else:
        info = extractor.model_info()
        rows = [flat_row(e, info) for e in events]
        if output is None:
            if fmt == "parquet":
                _fail("--format parquet needs --output FILE.parquet or a folder")
            sys.stdout.write(encode_rows(rows, fmt).decode("utf-8"))
        else:
            write_rows(output, rows, fmt)
    if spans is not None:
        atomic_write_jsonl(spans, ({"id": r.doc.id, "spans": [s.to_dict() for s in r.spans]} for r in results))
    for e in errors:
        typer.secho(f"skipped {e}", fg=typer.colors.YELLOW, err=True)
    if summary:
        for e in events:
            typer.echo(event_line(e), err=True)
    typer.echo(f"{len(events)} events from {len(results)} documents"
               + (f" ({len(errors)} skipped)" if errors else "") + (f" → {output}" if output else ""), err=True)


def _extract_to_folder(inputs, model, output, fmt, engine, seeds, date, int8, batch_size, num_workers, address,
                       with_spans) -> None:
    """Extract into a resumable output folder of parts, in this process or on Ray."""
    from trade_events.data.documents import DocumentError
    from trade_events.model.files import ModelLoadError
    from trade_events.extraction.run import extract_to_folder
    from trade_events.extraction.scale import WorkerCrashError

    if output is None:
        _fail("give --output DIR for the output folder")
    fmt = "parquet" if fmt == "records" else fmt
    done = [0]

    def progress(n: int) -> None:  # the count of documents is not known ahead of a streamed input
        done[0] += n
        typer.echo(f"\rextracting: {done[0]} documents done", err=True, nl=False)

    try:
        totals = extract_to_folder(inputs, model, output, fmt=fmt, engine=engine, seeds=seeds, date=date,
                                   int8=int8, batch_size=batch_size, num_workers=num_workers, address=address,
                                   with_spans=with_spans, progress=progress)
    except (DocumentError, ModelLoadError, OSError, ImportError, ValueError, WorkerCrashError) as exc:
        _fail(str(exc))
    if done[0]:
        typer.echo("", err=True)
    typer.echo(f"{totals['events']} events from {totals['documents']} documents ({totals['errors']} errors, "
               f"listed in {output / 'errors.jsonl'}) → {output / 'events'}", err=True)


@app.command()
def merge(
    events: Annotated[list[Path], typer.Argument(help="Event-record JSONL files (from `extract`).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Merged events JSONL (default: stdout).")] = None,
    table: Annotated[bool, typer.Option(help="Print one line per real-world action to stderr.")] = True,
) -> None:
    """Group reports of the same real-world action across articles into one record each (reads records,
    flat JSONL rows and merged records; merging merged output changes nothing)."""
    from trade_events.events.merge import merge_events
    from trade_events.events.read import read_event_file
    from trade_events.extraction.run import merged_line

    _check_outputs([str(p) for p in events], [output] if output else [], folder=True)
    records, skipped = [], []
    for path in events:
        try:
            got, bad = read_event_file(path)
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{path}: {exc}")
        records += got
        skipped += bad
    for line in skipped:
        typer.secho(f"skipped {line}", fg=typer.colors.YELLOW, err=True)
    if not records:
        _fail("no event records to merge" + (f" ({len(skipped)} lines skipped)" if skipped else ""))
    merged = merge_events(records)
    _emit_jsonl([m.to_dict() for m in merged], output)
    if table:
        for m in merged:
            typer.echo(merged_line(m), err=True)
    reports = sum(r.n_reports if hasattr(r, "sources") else 1 for r in records)
    typer.echo(f"{reports} reports → {len(merged)} actions" + (f" ({len(skipped)} lines skipped)" if skipped else "")
               + (f" → {output}" if output else ""), err=True)


@app.command()
def benchmark(
    model: Annotated[Path, typer.Option(help="Model folder to time.")] = OUT / "model",
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON report.")] = OUT / "benchmark.json",
    repeats: Annotated[int, typer.Option(min=1, help="Repetitions (median and spread are reported).")] = 3,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch (batched by length, so larger pads less).")] = 64,
    seeds_only: Annotated[bool, typer.Option(help="Time the seeds only (no corpus).")] = False,
    scaling: Annotated[bool, typer.Option(help="Also time the batch job: local engine, Ray with 1 and 2 workers.")] = True,
    evaluation: Annotated[Optional[Path], typer.Option(
        help="evaluate's output for this model: its cross-validated fp32 and int8 F1 on the seeds are printed.")] = None,
) -> None:
    """Time extraction against the raw forward-pass ceiling; also the rules, load time, memory."""
    _quiet_libraries()
    from trade_events.evaluate.benchmark_step import benchmark_step

    try:
        result = benchmark_step(model, output, repeats=repeats, batch_size=batch_size, seeds_only=seeds_only,
                                scaling=scaling, evaluation=evaluation)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    for line in result.messages:
        typer.echo(line)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
