"""``TradeEventExtractor``: the fine-tuned token classifier behind the Python API.

It windows long texts (never truncates), predicts a label per word, and returns character-offset
spans whose edges always fall on word edges.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from trade_events.data.dataset import tags_to_spans
from trade_events.data.documents import check_text
from trade_events.data.words import Word, split_words
from trade_events.io import atomic_dir
from trade_events.model.arbitration import RULE_TYPES, arbitrate
from trade_events.model.decode import sentence_start_words, viterbi
from trade_events.model.event_heads import EVENTS_DIR, EventHeads, default_feature_layers, predict_measures
from trade_events.model.files import METADATA, MODEL_PACKAGE, ModelLoadError, check_label_map, check_model_folder, hash_file
from trade_events.model.windows import (Window, encode_windows, length_sorted_window_batches, merge_window_scores,
                                         pad_batch)
from trade_events.spans import LABELS, Span

if TYPE_CHECKING:
    from trade_events.data.documents import Document
    from trade_events.events.records import TradeEvent
    from trade_events.model.info import ModelInfo

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class TradeEventExtractor:
    """Span extraction (and, through ``extract``, event records) with a fine-tuned transformer."""

    def __init__(self, model, tokenizer, max_length: int = 128, stride: int = 32, batch_size: int = 32,
                 metadata: dict | None = None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size
        self.metadata = metadata or {}
        self.source: Path | None = None  # the folder it was loaded from, when it was
        self._info = None
        self.id2label = [model.config.id2label[i] for i in range(model.config.num_labels)]
        self.event_heads = None  # the learned event extractor (``events/``), when the folder has one
        #: Span types taken from the rules instead of the tagger (``model.arbitration``); () keeps all.
        self.rule_types: tuple[str, ...] = RULE_TYPES

    # ------------------------------------------------------------------ loading and saving
    @classmethod
    def from_pretrained(cls, name_or_path: str | os.PathLike, int8: bool = False, **kwargs) -> "TradeEventExtractor":
        """Load a trained folder, or an installed model package by name (``trade-events-model``); with
        ``int8``, its ONNX Runtime int8 form (``Int8TradeEventExtractor``, ``pip install "trade-events[int8]"``)."""
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        if int8:
            from trade_events.model.onnx_int8 import Int8TradeEventExtractor
            return Int8TradeEventExtractor.from_pretrained(name_or_path, **kwargs)
        path = resolve_model_path(name_or_path)
        config = check_model_folder(path)
        meta = read_metadata(path)
        check_label_map(path, config, meta)
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path), trust_remote_code=False)
            model = AutoModelForTokenClassification.from_pretrained(
                str(path), use_safetensors=True, trust_remote_code=False)
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelLoadError(f"{path}: could not load the model ({exc})") from exc
        inference = meta.get("inference", {})
        kwargs = {"max_length": inference.get("max_length", 128), "stride": inference.get("stride", 32)} | kwargs
        ext = cls(model, tokenizer, metadata=meta, **kwargs)
        ext.source = path
        if (path / EVENTS_DIR).is_dir():
            try:
                ext.event_heads = EventHeads.load(path / EVENTS_DIR)
            except ValueError as exc:
                raise ModelLoadError(str(exc)) from exc
        return ext

    def save_pretrained(self, path: str | os.PathLike, metadata: dict | None = None,
                        extra_files: dict[str, str] | None = None) -> Path:
        """Write weights (safetensors), config with ``id2label``, tokenizer and metadata, atomically."""
        meta = {**self.metadata, **(metadata or {}), "id2label": list(self.id2label),
                "inference": {"max_length": self.max_length, "stride": self.stride}}
        with atomic_dir(path) as tmp:
            self.model.save_pretrained(str(tmp), safe_serialization=True)
            self.tokenizer.save_pretrained(str(tmp))
            (tmp / METADATA).write_text(json.dumps(meta, indent=2, default=str) + "\n")
            if self.event_heads is not None:
                self.event_heads.save(tmp / EVENTS_DIR)
            for name, content in (extra_files or {}).items():
                (tmp / name).write_text(content, encoding="utf-8")
        self.metadata = meta
        return Path(path)

    def extract(self, text: str, doc_date: "str | dt.date | None" = None, doc_id: str = "") -> "list[TradeEvent]":
        """Event records (EVENTS.md) for one text; ``doc_date`` anchors relative dates such as ``last week``."""
        from trade_events.data.documents import Document, parse_date

        check_text(text)
        events = self.extract_batch([Document(doc_id or "text", text, parse_date(doc_date))])[0]
        for e in events:
            e.doc_id = doc_id
        return events

    def extract_batch(self, docs: "Sequence[Document]", spans: "Sequence[list[Span]] | None" = None,
                      with_rules: bool | None = None) -> "list[list[TradeEvent]]":
        """Event records for many documents, their windows batched together.

        With learned event heads in the model folder they build the records; without, the rules assembler
        does. ``spans`` (one list per document) replaces the model's own spans, e.g. gold spans in evaluation;
        ``with_rules`` as in ``learned_events``."""
        from trade_events.events.assemble import assemble_events

        if spans is None and with_rules is None:
            return [events for _, events in self.spans_and_events(docs)]
        texts = [d.text for d in docs]
        if self.event_heads is None:
            found = spans if spans is not None else self.predict_spans_batch(texts)
            return [assemble_events(d.id, d.text, s, d.date) for d, s in zip(docs, found)]
        own, words, feats = self.predict_spans_and_features(texts)
        found = spans if spans is not None else own
        return [self.learned_events(d, w, f, s, with_rules) for d, w, f, s in zip(docs, words, feats, found)]

    def spans_and_events(self, docs: "Sequence[Document]") -> "list[tuple[list[Span], list[TradeEvent]]]":
        """Each document's spans and event records from one forward pass: the learned event heads build
        the records when the model folder has them, the rules assembler otherwise. What every extraction
        path (``trade_events.extraction.loop``) calls."""
        from trade_events.events.assemble import assemble_events

        texts = [d.text for d in docs]
        if self.event_heads is None:
            found = self.predict_spans_batch(texts)
            return [(s, assemble_events(d.id, d.text, s, d.date)) for d, s in zip(docs, found)]
        own, words, feats = self.predict_spans_and_features(texts)
        return [(s, self.learned_events(d, w, f, s)) for d, w, f, s in zip(docs, words, feats, own)]

    def event_variants(self, docs: "Sequence[Document]", gold_spans: dict[str, list[Span]]
                       ) -> dict[str, dict[str, list]]:
        """For evaluation, from one forward pass: per document id, the model's ``spans`` and the records of
        the shipped path (``shipped``), of the same on ``gold_spans`` (``gold_spans``) and of the heads
        without the rules' backstop (``heads_alone``)."""
        own, words, feats = self.predict_spans_and_features([d.text for d in docs])
        out: dict[str, dict[str, list]] = {"spans": {}, "shipped": {}, "gold_spans": {}, "heads_alone": {}}
        for d, w, f, s in zip(docs, words, feats, own):
            out["spans"][d.id] = s
            out["shipped"][d.id] = self.learned_events(d, w, f, s)
            out["gold_spans"][d.id] = self.learned_events(d, w, f, gold_spans[d.id])
            out["heads_alone"][d.id] = self.learned_events(d, w, f, s, with_rules=False)
        return out

    def learned_events(self, doc: "Document", words: list[Word], feats: np.ndarray, spans: list[Span],
                       with_rules: bool | None = None) -> "list[TradeEvent]":
        """One document's records from the event heads, given its words, word features and spans;
        ``with_rules`` overrides the heads' config (False: the heads' records alone, for evaluation)."""
        from trade_events.events.learned import records_from_predictions

        config = self.event_heads.config
        rules: list[TradeEvent] = []
        preds = predict_measures(self.event_heads, doc.text, words, feats, spans, rule_events=rules, doc_id=doc.id,
                                 doc_date=doc.date)
        backstop = config.with_rules if with_rules is None else with_rules
        return records_from_predictions(doc.id, doc.text, preds, doc.date, config.record_threshold, spans,
                                        rules if backstop else ())

    def model_info(self) -> "ModelInfo":
        """Name, version and weights hash, stamped on every exported row (and part of each event id)."""
        if self._info is None:
            from trade_events.model.info import ModelInfo

            digest = hashlib.sha256()
            weights = self.source / "model.safetensors" if self.source else None
            if weights is not None and weights.is_file():
                hash_file(weights, digest)
            else:  # built in memory: hash the tensors themselves
                for name, tensor in sorted(self.model.state_dict().items()):
                    digest.update(name.encode())
                    digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
            name = self.metadata.get("name") or (self.source.name if self.source else "trade-events-model")
            version = str(self.metadata.get("versions", {}).get("trade_events", "unversioned"))
            self._info = ModelInfo(name, version, digest.hexdigest()[:16])
        return self._info

    # ------------------------------------------------------------------ prediction
    def predict_spans(self, text: str) -> list[Span]:
        """Spans (label, start, end, text, score) with character offsets into ``text``."""
        return self.predict_spans_batch([text])[0]

    def predict_spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans for many texts; windows of all texts are batched together, shortest first."""
        return self._tag(texts, None)[0]

    def predict_spans_and_features(self, texts: Sequence[str]
                                   ) -> tuple[list[list[Span]], list[list[Word]], list[np.ndarray]]:
        """Spans, words and per-word encoder features (the event heads' input) from one forward pass."""
        feats: list[np.ndarray] = []
        spans, words = self._tag(texts, feats)
        return spans, words, feats

    def _tag(self, texts: Sequence[str], features: list[np.ndarray] | None
             ) -> tuple[list[list[Span]], list[list[Word]]]:
        """Spans and words of checked texts; per-word features appended to ``features`` when it is a list."""
        for i, t in enumerate(texts):
            check_text(t, where=f"text {i}")
        words = [split_words(t) for t in texts]
        tagged = self.predict_word_tags([[w.text for w in ws] for ws in words],
                                        [sentence_start_words(t, ws) for t, ws in zip(texts, words)], features)
        return ([arbitrate(text, tags_to_spans(text, ws, tags, scores), self.rule_types)
                 for text, ws, (tags, scores) in zip(texts, words, tagged)], words)

    def predict_word_tags(self, word_lists: Sequence[list[str]], sentence_starts: Sequence[set[int]] | None = None,
                          features: list[np.ndarray] | None = None) -> list[tuple[list[str], list[float]]]:
        """IOB2 tags and their probabilities for pre-split words (one list per text), windows batched.

        ``sentence_starts`` (per text, the indices of words that begin a sentence) keeps spans inside
        sentences (``... with the U.S.`` / ``Baldrige said`` are two spans)."""
        windows: list[Window] = []
        for i, ws in enumerate(word_lists):
            windows += encode_windows(self.tokenizer, ws, self.max_length, self.stride, i)
        feats = [] if features is not None else None
        probs = self.window_probabilities(windows, feats)
        by_text: list[list[int]] = [[] for _ in word_lists]
        for k, w in enumerate(windows):
            by_text[w.text_index].append(k)
        out = []
        for i, ws in enumerate(word_lists):
            idx = by_text[i]
            merged = merge_window_scores([windows[k] for k in idx], [probs[k] for k in idx], len(ws), len(LABELS))
            out.append(self.decode(merged, sentence_starts[i] if sentence_starts else None))
            if features is not None:
                features.append(merge_window_scores([windows[k] for k in idx], [feats[k] for k in idx], len(ws),
                                                    feats[0].shape[1] if feats else 0))
        return out

    @property
    def feature_layers(self) -> tuple[int, ...]:
        """The encoder layers whose hidden states, concatenated, are the event heads' word features."""
        if self.event_heads is not None:
            return self.event_heads.config.feature_layers
        return default_feature_layers(self.model)

    @torch.inference_mode()
    def window_probabilities(self, windows: list[Window], features: list[np.ndarray] | None = None
                             ) -> list[np.ndarray]:
        """Softmax label probabilities per token of each window (batched by similar length); with a
        ``features`` list, each window's token features are appended to it in window order."""
        out: list[np.ndarray | None] = [None] * len(windows)
        feats: list[np.ndarray | None] = [None] * len(windows)
        pad = self.tokenizer.pad_token_id or 0
        for batch in length_sorted_window_batches(windows, self.batch_size):
            ids, mask = pad_batch([windows[k] for k in batch], pad)
            res = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=features is not None)
            probs = torch.softmax(res.logits.float(), dim=-1).numpy()
            hidden = (torch.cat([res.hidden_states[i] for i in self.feature_layers], -1).float().numpy()
                      if features is not None else None)
            for r, k in enumerate(batch):
                n = len(windows[k].input_ids)
                out[k] = self._to_package_labels(probs[r, :n])
                if hidden is not None:
                    feats[k] = hidden[r, :n]
        if features is not None:
            features.extend(feats)  # type: ignore[arg-type]
        return out  # type: ignore[return-value]

    @torch.inference_mode()
    def raw_forward(self, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        """The bare forward pass over pre-built batches (the benchmark's ceiling)."""
        for ids, mask in batches:
            self.model(input_ids=ids, attention_mask=mask)

    def _to_package_labels(self, probs: np.ndarray) -> np.ndarray:
        """Reorder the model's label columns into this package's ``LABELS`` order."""
        if self.id2label == list(LABELS):
            return probs
        out = np.zeros((probs.shape[0], len(LABELS)), dtype=probs.dtype)
        for j, label in enumerate(self.id2label):
            out[:, LABELS.index(label)] = probs[:, j]
        return out

    decode = staticmethod(viterbi)  # kept on the class: the decoding lives in model/decode.py

def resolve_model_path(name_or_path: str | os.PathLike) -> Path:
    """A folder path as given, or the folder inside an installed model package (``trade-events-model``)."""
    path = Path(name_or_path)
    if path.exists():
        return path
    module = str(name_or_path).replace("-", "_")
    if module == MODEL_PACKAGE or module.startswith(MODEL_PACKAGE):
        try:
            pkg = importlib.import_module(module)
        except ImportError as exc:
            raise ModelLoadError(f"{name_or_path}: no such folder, and the model package {module} is not "
                                 "installed (pip install trade_events_model-*.whl)") from exc
        return Path(pkg.model_path())
    return path  # check_model_folder reports it missing


def read_metadata(path: Path) -> dict:
    meta_file = path / METADATA
    if not meta_file.is_file():
        return {}
    try:
        return json.loads(meta_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelLoadError(f"{meta_file}: corrupted metadata ({exc})") from exc

