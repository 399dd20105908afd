"""Decoding: per-word label probabilities → an IOB2 tag sequence (Viterbi under IOB2 transitions that keep
spans inside sentences), apart from the model that produced the probabilities."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trade_events.data.words import Word
from trade_events.spans import LABELS
from trade_events.text import split_punctuated_sentences


def viterbi(probs: np.ndarray, sentence_starts: set[int] | None = None) -> tuple[list[str], list[float]]:
    """The most probable tag sequence under IOB2 transitions (Viterbi).

    ``I-X`` after anything but ``B-X``/``I-X`` costs a penalty instead of being forbidden, so that
    the path prefers well-formed spans when the evidence is close, yet a confident stray ``I-X`` still
    starts a span (read leniently by ``tags_to_spans``). ``B-X`` right after ``X`` costs the same: two
    touching spans of one type almost never occur (once in the 2,200 spans of the hand-labelled
    Reuters stories), so a head word the model finds as likely ``B`` as ``I`` (``import quotas``)
    joins the span before it. At a sentence start (``sentence_starts``) any ``I-X`` is forbidden, not
    just penalised: spans never cross sentences. Scores are each chosen tag's probability.
    """
    if len(probs) == 0:
        return [], []
    logp = np.log(np.clip(probs, 1e-9, 1.0))
    allowed = _TRANSITIONS
    score = logp[0] + np.where(_STARTS_OK, 0.0, INVALID_TRANSITION)
    back = np.zeros((len(probs), len(LABELS)), dtype=np.int64)
    for t in range(1, len(probs)):
        cand = score[:, None] + (_SENTENCE_START_TRANSITIONS if sentence_starts and t in sentence_starts else allowed)
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(len(probs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    return [LABELS[j] for j in path], [float(probs[t, j]) for t, j in enumerate(path)]


#: Log-score of a transition IOB2 does not allow (``O → I-X``, ``B-X → I-Y``) or the guideline's spans
#: almost never show (``X → B-X``: two touching spans of one type).
INVALID_TRANSITION = -3.0


def _transition_matrix() -> tuple[np.ndarray, np.ndarray]:
    """Log-transition scores: 0 where IOB2 allows ``prev → cur``, a penalty where it does not or where
    a span of one type would start right after another of the same type."""
    n = len(LABELS)
    trans = np.zeros((n, n))
    starts = np.ones(n, dtype=bool)
    for j, cur in enumerate(LABELS):
        for i, prev in enumerate(LABELS):
            same_type = prev != "O" and prev[2:] == cur[2:]
            if cur.startswith("I-") and not same_type or cur.startswith("B-") and same_type:
                trans[i, j] = INVALID_TRANSITION
        starts[j] = not cur.startswith("I-")
    return trans, starts


_TRANSITIONS, _STARTS_OK = _transition_matrix()
#: At a sentence start no span runs on (``... with the U.S.`` / ``Baldrige said`` are two spans): every
#: ``I-X`` is forbidden there, whatever came before, and any span may begin.
_SENTENCE_START_TRANSITIONS = np.tile(np.where(_STARTS_OK, 0.0, -1e4), (len(LABELS), 1))


def sentence_start_words(text: str, words: Sequence[Word]) -> set[int]:
    """Indices of the words that begin a sentence of ``text`` (after the first)."""
    starts = {s for s, _ in split_punctuated_sentences(text)}
    return {i for i, w in enumerate(words) if i and w.start in starts}
