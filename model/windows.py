"""Overlapping sub-word windows over pre-split words, and the merge of their per-word predictions.

Training and inference share this code so that both see the same windows. A document longer than
one window is covered by several that overlap by ``stride`` tokens: nothing is truncated.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from trade_events.data.documents import length_sorted_batches


@dataclass
class Window:
    """One model input: token ids and, per token, the index of its word in the text (``None`` for specials)."""

    input_ids: list[int]
    word_ids: list[int | None]
    text_index: int = 0

    def first_subword_positions(self) -> dict[int, int]:
        """``{word index: token position}`` for the first sub-word of every word that starts in this window."""
        out: dict[int, int] = {}
        prev = None
        for pos, w in enumerate(self.word_ids):
            if w is not None and w != prev and w not in out:
                out[w] = pos
            prev = w
        return out


def encode_windows(tokenizer, words: list[str], max_length: int, stride: int, text_index: int = 0) -> list[Window]:
    """Tokenize ``words`` (already split) into windows of at most ``max_length`` tokens overlapping by ``stride``.

    A word cut by a window edge is dropped from that window's first-sub-word map (it starts in the
    previous window), so each word is labelled where it starts.
    """
    if not words:
        return []
    if stride >= max_length - 2:
        raise ValueError(f"stride ({stride}) must be smaller than max_length - 2 ({max_length - 2})")
    enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length, stride=stride,
                    return_overflowing_tokens=True, add_special_tokens=True)
    windows = []
    for i in range(len(enc["input_ids"])):
        word_ids = enc.word_ids(i)
        windows.append(Window(list(enc["input_ids"][i]), list(word_ids), text_index))
    return windows


def merge_window_scores(windows: list[Window], probs: list[np.ndarray], n_words: int, n_labels: int) -> np.ndarray:
    """Per-word label probabilities: each word takes the window in which it sits farthest from an edge.

    Returns an ``(n_words, n_labels)`` array; words no window covers (none, normally) get all zeros.
    Vectorised per window: no Python work per token.
    """
    out = np.zeros((n_words, n_labels), dtype=np.float32)
    best = np.full(n_words, -1, dtype=np.int64)
    for win, p in zip(windows, probs):
        wid = np.array([-1 if w is None else w for w in win.word_ids], dtype=np.int64)
        n_tok = len(wid)
        first = np.ones(n_tok, dtype=bool)
        first[1:] = wid[1:] != wid[:-1]
        pos = np.nonzero(first & (wid >= 0))[0]
        words = wid[pos]
        margin = np.minimum(pos, n_tok - 1 - pos)
        better = margin > best[words]
        best[words[better]] = margin[better]
        out[words[better]] = p[pos[better]]
    return out


def pad_batch(windows: list[Window], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(input_ids, attention_mask)`` for a batch of windows, right-padded to the longest."""
    width = max(len(w.input_ids) for w in windows)
    ids = torch.full((len(windows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    for r, w in enumerate(windows):
        ids[r, :len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[r, :len(w.input_ids)] = 1
    return ids, mask


def length_sorted_window_batches(windows: list[Window], batch_size: int) -> list[list[int]]:
    """Window indices in batches of similar length (shortest first), to cut padding."""
    return length_sorted_batches([len(w.input_ids) for w in windows], batch_size)
