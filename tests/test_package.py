"""Packaging: model card, folder loadable by both loaders, and an offline-installable model wheel."""
import subprocess
import sys
import zipfile

from transformers import pipeline

from trade_events.model.extractor import TradeEventExtractor
from trade_events.model.package import package_model


def test_package_folder_and_wheel(tiny_model_dir, tmp_path, seeds):
    folder, wheel = package_model(tiny_model_dir, tmp_path / "pkg", evaluation_md="| a | b |\n|---|---|")
    card = (folder / "README.md").read_text()
    for needle in ("Labels (IOB2)", "dataset fingerprint", "Versions", "Intended use and limits", "| a | b |"):
        assert needle in card
    names = zipfile.ZipFile(wheel).namelist()
    assert "trade_events_model/model/model.safetensors" in names and "trade_events_model/__init__.py" in names
    assert any(n.endswith(".dist-info/RECORD") for n in names)

    ours = TradeEventExtractor.from_pretrained(folder).predict_spans(seeds[0].text)
    assert ours == TradeEventExtractor.from_pretrained(tiny_model_dir).predict_spans(seeds[0].text)
    tagger = pipeline("token-classification", model=str(folder), aggregation_strategy="first")
    out = tagger("The U.S. cut tariffs on Chinese goods.")
    assert isinstance(out, list)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import sys; sys.path.insert(0, %r); from trade_events import TradeEventExtractor; "
            "e = TradeEventExtractor.from_pretrained('trade-events-model'); "
            "import trade_events_model; assert trade_events_model.__file__.startswith(%r); "
            "print(len(e.predict_spans('China imposed export controls.')) >= 0)") % (str(target), str(target))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"HF_HUB_OFFLINE": "1", "PATH": ""})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


def test_model_card_names_each_kind_of_training_data_once():
    from trade_events.model.package import model_card

    meta = {"recipe": "stages A → B1 → B2", "stage_a": {"splits": ["reuters_train"]},
            "train_splits": ["000_a", "001_b", "000_a", "001_b", "reuters_gold"],
            "trained_on_documents": ["000-a", "001-b", "r1", "r2"]}
    card = model_card(meta, None)
    assert "4 documents in all; recipe: stages A → B1 → B2" in card
    assert "labelling rules: reuters_train (stage A)" in card
    assert "hand-labelled Reuters training stories (per the annotation guideline): reuters_gold" in card
    assert "labelling rules: 000_a, 001_b\n" in card  # the seed splits repeated in B2 are listed once
