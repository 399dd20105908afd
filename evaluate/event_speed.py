"""Extraction speed of the shipped event path (tagger, rates from the rules, event heads) against the previous
one (the rules assembler on the tagger's own spans), same weights, in one process on one machine, so that
the cost of the heads and of the rule rates is measured apart from machine noise.

    python -m trade_events.evaluate.event_speed outputs/model
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence

from trade_events.data.documents import Document


def compare_event_paths(extractor, docs: Sequence[Document], batch_size: int = 64, repeats: int = 2) -> dict:
    """Documents/s of ``extract_batch`` as shipped (event heads, rates from the rules) and as the previous
    version ran (the rules assembler on the tagger's own spans): the median of ``repeats`` runs each after
    one warm-up run."""
    heads, rule_types = extractor.event_heads, extractor.rule_types

    def run(h) -> tuple[float, int]:
        extractor.event_heads = h
        extractor.rule_types = rule_types if h is not None else ()
        start, n = time.perf_counter(), 0
        for b in range(0, len(docs), batch_size):
            n += sum(len(x) for x in extractor.extract_batch(docs[b:b + batch_size]))
        return time.perf_counter() - start, n

    try:
        run(heads)
        times: dict[str, list[float]] = {"event_heads": [], "rules_assembler": []}
        events: dict[str, int] = {}
        for _ in range(repeats):
            for name, h in (("rules_assembler", None), ("event_heads", heads)):
                t, events[name] = run(h)
                times[name].append(t)
    finally:
        extractor.event_heads, extractor.rule_types = heads, rule_types
    rate = {k: len(docs) / statistics.median(v) for k, v in times.items()}
    return {"documents": len(docs), "docs_per_s": rate, "events": events,
            "speed_ratio": rate["event_heads"] / rate["rules_assembler"]}


def main(argv: list[str]) -> None:
    from trade_events.data.corpus import BLIND_FILE, TRAIN_FILE, corpus_dir
    from trade_events.data.documents import load_jsonl, load_seeds
    from trade_events.model.extractor import TradeEventExtractor

    ext = TradeEventExtractor.from_pretrained(argv[0])
    if ext.event_heads is None:
        sys.exit(f"{argv[0]}: no event heads (events/) in this model folder")
    folder = corpus_dir()
    docs = (load_jsonl(folder / TRAIN_FILE) + load_jsonl(folder / BLIND_FILE) if folder else []) + load_seeds()
    r = compare_event_paths(ext, docs)
    print(f"{r['documents']} documents: event heads {r['docs_per_s']['event_heads']:.1f} docs/s, rules assembler "
          f"{r['docs_per_s']['rules_assembler']:.1f} docs/s: {r['speed_ratio']:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:] or ["outputs/model"])
