"""The package installs as one import package, ``trade_events``, with no top-level model/data/training/evaluate,
and a regular (not editable) install works from the repository root, where the working directory comes
first on ``sys.path``: the root must not hold a partial ``trade_events/`` that hides the installed one."""
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and installed (regular install) into a folder of its own."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp), str(REPO)], check=True, capture_output=True)
    wheel = next(tmp.glob("trade_events-*.whl"))
    target = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return wheel, target


def _from_root(args: list[str], target, **kw) -> subprocess.CompletedProcess:
    """Run from the repository root with the regular install ahead of the editable one on the path."""
    env = {**os.environ, "PYTHONPATH": str(target)}
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, **kw)


def test_wheel_layout_and_import(installed, tmp_path):
    wheel, target = installed
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"trade_events", next(t for t in tops if t.endswith(".dist-info"))}
    for needed in ("trade_events/model/extractor.py", "trade_events/data/labelling/actors.py",
                   "trade_events/evaluate/spans.py", "trade_events/training/train.py",
                   "trade_events/events/assemble.py", "trade_events/seeds/metadata.json",
                   "trade_events/data/gold/seeds.spans.jsonl"):
        assert needed in names, needed
    assert sum(n.startswith("trade_events/seeds/") and n.endswith(".txt") for n in names) == 5
    assert not {"model", "data", "training", "evaluate"} & {p.name for p in target.iterdir()}


def test_a_regular_install_imports_from_the_repository_root(installed):
    _, target = installed
    assert not (REPO / "trade_events").exists()  # the core package lives in src/, out of the root's reach
    code = ("import trade_events, trade_events.data.documents as d, trade_events.events.assemble; "
            "print(trade_events.__file__); print(len(d.load_seeds()))")
    run = _from_root([sys.executable, "-c", code], target)
    assert run.returncode == 0, run.stderr
    where, n = run.stdout.split()
    assert where.startswith(str(target)) and n == "5"


@pytest.mark.ray
def test_a_regular_install_runs_the_ray_engine_from_the_repository_root(installed, tmp_path):
    pytest.importorskip("ray", reason='the Ray engine needs the extra: pip install "trade-events[ray]"')
    _, target = installed
    cli = shutil.which("trade-events", path=os.path.dirname(sys.executable))
    out = tmp_path / "out"
    run = _from_root([cli, "extract", "--rules", "--seeds", "--engine", "ray", "--num-workers", "1",
                      "--format", "jsonl", "-o", str(out)], target, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads((out / "_summary.json").read_text())
    assert summary["documents"] == 5 and summary["errors"] == 0 and summary["events"] > 0
