"""Self-training: the model relabels the pool, its confident spans join the rules' spans, and it retrains.

The rules miss entities (their recall on real text is their weakness); a model trained on them learns
contexts and finds some of what they miss. Adding its confident finds where the rules said nothing gives
the next round labels with higher recall. Rule spans are never removed: the model only adds.
"""
from __future__ import annotations

import datasets

from trade_events.spans import LABELS


def add_confident_spans(rule_tags: list[str], model_tags: list[str], scores: list[float], threshold: float) -> list[str]:
    """Rule tags plus model spans that touch no rule span and whose every word scores ≥ ``threshold``."""
    out = list(rule_tags)
    i = 0
    while i < len(model_tags):
        if model_tags[i] == "O":
            i += 1
            continue
        label = model_tags[i][2:]
        j = i + 1
        while j < len(model_tags) and model_tags[j] == "I-" + label:
            j += 1
        if all(t == "O" for t in rule_tags[i:j]) and min(scores[i:j]) >= threshold:
            out[i] = "B-" + label
            for k in range(i + 1, j):
                out[k] = "I-" + label
        i = j
    return out


def relabel(split: datasets.Dataset, extractor, threshold: float, batch_rows: int = 64) -> tuple[datasets.Dataset, int]:
    """``split`` with the model's confident extra spans added to its weak tags; also the number of spans added."""
    added = 0

    def update(batch: dict) -> dict:
        nonlocal added
        preds = extractor.predict_word_tags(batch["tokens"])
        new_tags = []
        for tags, (mtags, scores) in zip(batch["ner_tags"], preds):
            rule = [LABELS[t] for t in tags]
            merged = add_confident_spans(rule, mtags, scores, threshold)
            added += sum(1 for a, b in zip(rule, merged) if a != b and b.startswith("B-"))
            new_tags.append([LABELS.index(t) for t in merged])
        return {"ner_tags": new_tags}

    out = split.map(update, batched=True, batch_size=batch_rows)
    return out, added
