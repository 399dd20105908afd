"""Atomic writes: whole files or nothing, with the permissions a plain write would give."""
import os
import stat

import pytest

from trade_events.io import atomic_dir, atomic_write_text


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_files_and_folders_follow_the_umask(tmp_path, umask_022):
    f = atomic_write_text(tmp_path / "a.json", "{}")
    assert _mode(f) == 0o644 and f.read_text() == "{}"
    with atomic_dir(tmp_path / "d") as tmp:
        (tmp / "x").write_text("1")
    assert _mode(tmp_path / "d") == 0o755
    os.umask(0o077)
    assert _mode(atomic_write_text(tmp_path / "private.json", "{}")) == 0o600


def test_a_saved_model_is_readable_by_others(tiny_extractor, tmp_path, umask_022):
    folder = tiny_extractor.save_pretrained(tmp_path / "model")
    assert _mode(folder) == 0o755
    assert all(_mode(p) & 0o004 for p in folder.rglob("*"))


def test_a_failed_atomic_write_leaves_the_old_file(tmp_path):
    target = atomic_write_text(tmp_path / "a.txt", "old")
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "d"):
        raise RuntimeError("interrupted")
    assert target.read_text() == "old" and not (tmp_path / "d").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
