"""Word labels onto sub-word windows: the first sub-word of each word carries its label, the rest -100."""
from __future__ import annotations

import datasets

from trade_events.model.windows import encode_windows

IGNORE = -100


def align_window_labels(word_ids: list[int | None], word_labels: list[int], starts_here: set[int]) -> list[int]:
    """Labels per token: the word's label on its first sub-word (when the word starts in this window), else -100."""
    labels, prev = [], None
    for w in word_ids:
        if w is None or w == prev or w not in starts_here:
            labels.append(IGNORE)
        else:
            labels.append(word_labels[w])
        prev = w
    return labels


def tokenize_dataset(ds: datasets.Dataset, tokenizer, max_length: int, stride: int) -> datasets.Dataset:
    """Turn rows of words and IOB2 tags into model inputs (one row per window), labels aligned."""
    def encode(batch: dict) -> dict:
        out = {"input_ids": [], "attention_mask": [], "labels": []}
        for words, tags in zip(batch["tokens"], batch["ner_tags"]):
            for win in encode_windows(tokenizer, words, max_length, stride):
                starts = set(win.first_subword_positions())
                out["input_ids"].append(win.input_ids)
                out["attention_mask"].append([1] * len(win.input_ids))
                out["labels"].append(align_window_labels(win.word_ids, tags, starts))
        return out

    return ds.map(encode, batched=True, remove_columns=ds.column_names, desc="aligning labels")
