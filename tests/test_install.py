"""The package installs as one import package, ``trade_events``, with no top-level model/data/training/evaluate."""
import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_layout_and_import(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("trade_events-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"trade_events", next(t for t in tops if t.endswith(".dist-info"))}
    for needed in ("trade_events/model/extractor.py", "trade_events/data/labelling/actors.py",
                   "trade_events/evaluate/spans.py", "trade_events/training/train.py",
                   "trade_events/seeds/metadata.json", "trade_events/data/gold/seeds.spans.jsonl"):
        assert needed in names, needed
    assert sum(n.startswith("trade_events/seeds/") and n.endswith(".txt") for n in names) == 5

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    assert not {"model", "data", "training", "evaluate"} & {p.name for p in target.iterdir()}
    code = ("import sys; sys.path.insert(0, %r); import trade_events, trade_events.data.documents as d; "
            "assert trade_events.__file__.startswith(%r), trade_events.__file__; "
            "print(len(d.load_seeds()))") % (str(target), str(target))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "5"
