"""Shared fixtures: the seeds, the optional corpus, and a tiny randomly initialised BERT (no download)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def seeds():
    from trade_events.data.documents import load_seeds
    return load_seeds()


@pytest.fixture(scope="session")
def corpus_available() -> bool:
    from trade_events.data.corpus import corpus_dir
    return corpus_dir() is not None


@pytest.fixture
def needs_corpus(corpus_available):
    if not corpus_available:
        pytest.skip("needs ../shared/corpus (the Reuters trade stories), which is absent here")


@pytest.fixture(scope="session")
def tiny_extractor():
    """A 1-layer, 32-wide BERT with random weights and the bundled MiniLM tokenizer: fast and offline."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification

    from trade_events.model.base import resolve_base_model
    from trade_events.model.extractor import TradeEventExtractor
    from trade_events.spans import ID2LABEL, LABEL2ID, LABELS

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(resolve_base_model(None))
    cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=37, max_position_embeddings=128, num_labels=len(LABELS),
                     id2label=ID2LABEL, label2id=LABEL2ID)
    return TradeEventExtractor(BertForTokenClassification(cfg), tok, max_length=32, stride=8)


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_extractor, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "model"
    tiny_extractor.save_pretrained(path)
    return path
