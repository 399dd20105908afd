"""Spans ⇄ IOB2 word tags, and the token-classification ``datasets.DatasetDict`` built from documents.

Rows are sentences (long ones cut into chunks of at most ``MAX_WORDS`` words), each with its words,
their character offsets into the document and IOB2 tags; one split per seed article, so that
leave-one-article-out cross-validation can pick splits by name.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import datasets

from trade_events.data.documents import Document
from trade_events.data.words import Word, split_words
from trade_events.io import atomic_dir, atomic_write_jsonl
from trade_events.spans import LABELS, Span
from trade_events.text import split_punctuated_sentences

MAX_WORDS = 96
DATASET_DIR = "dataset"
JSONL_COPY = "dataset.jsonl"

FEATURES = datasets.Features({
    "id": datasets.Value("string"),
    "doc_id": datasets.Value("string"),
    "tokens": datasets.Sequence(datasets.Value("string")),
    "starts": datasets.Sequence(datasets.Value("int32")),
    "ends": datasets.Sequence(datasets.Value("int32")),
    "ner_tags": datasets.Sequence(datasets.ClassLabel(names=list(LABELS))),
})


def spans_to_tags(words: list[Word], spans: Iterable[Span]) -> list[str]:
    """IOB2 tags for ``words``; a word belongs to a span when it overlaps it."""
    tags = ["O"] * len(words)
    for span in sorted(spans):
        inside = [i for i, w in enumerate(words) if w.start < span.end and span.start < w.end]
        for k, i in enumerate(inside):
            if tags[i] != "O":
                continue  # never let a later span overwrite an earlier one
            tags[i] = ("B-" if k == 0 else "I-") + span.label
    return tags


def tags_to_spans(text: str, words: list[Word], tags: list[str], scores: list[float] | None = None) -> list[Span]:
    """Spans from IOB2 tags (an ``I-`` without its ``B-`` starts a span, as seqeval's lenient reading does).

    A span's score is the lowest word score inside it. Punctuation words at a span's end are left out
    (``House`` + ``.`` at a sentence end): no guideline span ends in one, except a rate's ``%``. A ``RATE``
    that is a bare number is dropped unless a range goes on after it: the guideline keeps a rate's number
    and unit together (``300 mln dlrs``, not ``300``), and only the first number of a range stands alone.
    """
    spans: list[Span] = []
    cur: list[int] = []
    cur_label = None

    def close() -> None:
        while cur and not _can_end_span(words[cur[-1]].text):
            cur.pop()
        if cur and cur_label == "RATE" and _unitless_number(words, cur):
            return
        if cur:
            s, e = words[cur[0]].start, words[cur[-1]].end
            sc = min(scores[i] for i in cur) if scores else 1.0
            spans.append(Span.from_text(text, s, e, cur_label, float(sc)))

    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if tag == "O" or (prefix == "I" and label == cur_label and cur):
            if tag == "O":
                close()
                cur, cur_label = [], None
            else:
                cur.append(i)
            continue
        close()
        cur, cur_label = [i], label
    close()
    return join_hyphenated(text, spans)


#: Types whose spans a bare hyphen never separates (``anti-dumping duties``, ``semi-conductors``); actors
#: do split there (``U.S.-China``), as do the bounds of a range of rates.
_HYPHEN_JOINED = ("MEASURE", "PRODUCT")


def join_hyphenated(text: str, spans: list[Span]) -> list[Span]:
    """Two spans of one type in ``_HYPHEN_JOINED`` with only a hyphen between them (no space) are one
    word split by the tagger (``anti`` + ``dumping duties``): join them, keeping the lower score."""
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if (prev is not None and prev.label == s.label and s.label in _HYPHEN_JOINED
                and text[prev.end:s.start] in ("-", "‐", "‑")):
            out[-1] = Span.from_text(text, prev.start, s.end, s.label, min(prev.score, s.score))
        else:
            out.append(s)
    return out


def _can_end_span(word: str) -> bool:
    return word == "%" or any(c.isalnum() for c in word)


_NUMBER_WORD = re.compile(r"[\d.,]+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred", re.I)
_RANGE_LINK = {"to", "and", "or", "-", "–", "—"}


def _unitless_number(words: list[Word], idx: list[int]) -> bool:
    """Words ``idx`` are only a number, and no range link (``10`` *and* ``40 pct``) follows them."""
    if not all(_NUMBER_WORD.fullmatch(words[i].text) for i in idx):
        return False
    nxt = idx[-1] + 1
    return nxt >= len(words) or words[nxt].text.lower() not in _RANGE_LINK


def sentence_chunks(doc: Document, max_words: int = MAX_WORDS) -> list[list[Word]]:
    """The document's words grouped by sentence (never cut inside a wrapped name), long sentences cut
    into chunks of ``max_words``."""
    words = split_words(doc.text)
    chunks: list[list[Word]] = []
    i = 0
    for s, e in split_punctuated_sentences(doc.text):
        sent: list[Word] = []
        while i < len(words) and words[i].start < e:
            if words[i].start >= s:
                sent.append(words[i])
            i += 1
        for k in range(0, len(sent), max_words):
            chunks.append(sent[k:k + max_words])
    return [c for c in chunks if c]


def document_rows(doc: Document, spans: list[Span], max_words: int = MAX_WORDS) -> list[dict]:
    """Dataset rows (one per sentence chunk) for one document and its spans."""
    rows = []
    for n, chunk in enumerate(sentence_chunks(doc, max_words)):
        tags = spans_to_tags(chunk, [s for s in spans if s.start < chunk[-1].end and chunk[0].start < s.end])
        rows.append({"id": f"{doc.id}#{n}", "doc_id": doc.id, "tokens": [w.text for w in chunk],
                     "starts": [w.start for w in chunk], "ends": [w.end for w in chunk],
                     "ner_tags": [LABELS.index(t) for t in tags]})
    return rows


def split_name(doc_id: str) -> str:
    """A valid ``datasets`` split name for a document id."""
    return re.sub(r"\W", "_", doc_id)


def build_dataset(groups: dict[str, list[Document]], labeller: Callable[[str], list[Span]],
                  max_words: int = MAX_WORDS, gold: dict[str, list[Span]] | None = None) -> datasets.DatasetDict:
    """A ``DatasetDict`` with one split per group name (e.g. one per seed article, one for a corpus).

    Documents in ``gold`` take their hand-made spans instead of the labeller's (hand-labelled training text).
    """
    gold = gold or {}
    out = {}
    for name, docs in groups.items():
        rows = [r for d in docs for r in document_rows(d, gold[d.id] if d.id in gold else labeller(d.text), max_words)]
        out[split_name(name)] = datasets.Dataset.from_list(rows, features=FEATURES)
    return datasets.DatasetDict(out)


def dataset_fingerprint(ds: datasets.DatasetDict) -> str:
    """A content hash of the dataset (tokens and tags of every split), recorded with trained models."""
    h = hashlib.sha256()
    for name in sorted(ds):
        for row in ds[name]:
            h.update(json.dumps([name, row["id"], row["tokens"], row["ner_tags"]]).encode())
    return h.hexdigest()[:16]


def save_dataset(ds: datasets.DatasetDict, out_dir: str | Path) -> Path:
    """Write the ``DatasetDict`` (``dataset/``) and a JSONL copy with a ``split`` field, both atomically."""
    out_dir = Path(out_dir)
    datasets.disable_progress_bars()
    with atomic_dir(out_dir / DATASET_DIR) as tmp:
        ds.save_to_disk(str(tmp))
        (tmp / "labels.json").write_text(json.dumps(list(LABELS)) + "\n")
    rows = ({"split": name, **row, "ner_tags": [LABELS[t] for t in row["ner_tags"]]}
            for name in ds for row in ds[name])
    atomic_write_jsonl(out_dir / JSONL_COPY, rows)
    return out_dir / DATASET_DIR


def load_dataset(path: str | Path) -> datasets.DatasetDict:
    """Load a saved dataset and check that its label list is this package's."""
    path = Path(path)
    if (path / DATASET_DIR).is_dir():
        path = path / DATASET_DIR
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no dataset folder (run `trade-events label` first)")
    ds = datasets.load_from_disk(str(path))
    if not isinstance(ds, datasets.DatasetDict):
        ds = datasets.DatasetDict({"train": ds})
    for name, split in ds.items():
        names = split.features["ner_tags"].feature.names
        if list(names) != list(LABELS):
            raise ValueError(f"{path} split {name}: label list {names} differs from {list(LABELS)}")
    return ds
