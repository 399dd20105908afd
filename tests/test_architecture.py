"""The data flows one way: every import (lazy ones inside functions included) goes down the layers below,
and no two components import each other. The check reads the source with ``ast``, so it sees the
subpackages that live in the root folders (``model/``, ``data/``…) as the installed package has them."""
from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

#: Top to bottom; a module may import its own layer and the layers below it. A component is a subpackage
#: (``trade_events.model``) or a module of the core package (``trade_events.cli``).
LAYERS: list[tuple[str, ...]] = [
    ("trade_events", "trade_events.__main__", "trade_events.cli"),  # the public API and the commands
    ("trade_events.evaluate",),                                    # the evaluate step, scores, tables, benchmark
    ("trade_events.extraction",),  # the predict/assemble loop, engines, part store, exports
    ("trade_events.training",),
    ("trade_events.model",),
    ("trade_events.data",),
    ("trade_events.events",),                                      # records: assembly, normalization, merge
    ("trade_events.spans", "trade_events.text", "trade_events.io", "trade_events.gazetteer", "trade_events.step",
     "trade_events._version", "trade_events.seeds"),
]
PACKAGES = ("trade_events", "trade_events.model", "trade_events.data", "trade_events.training", "trade_events.evaluate")


def component(module: str) -> str:
    """``trade_events.model.extractor`` → ``trade_events.model``; the package itself stays itself."""
    return ".".join(module.split(".")[:2])


def layer_of(module: str) -> int:
    comp = component(module)
    for i, members in enumerate(LAYERS):
        if comp in members:
            return i
    raise AssertionError(f"{module}: in no layer of tests/test_architecture.py (add its component to LAYERS)")


def package_modules() -> dict[str, Path]:
    """Every module of the installed package and its source file."""
    out: dict[str, Path] = {}

    def walk(name: str) -> None:
        pkg = importlib.import_module(name)
        out[name] = Path(pkg.__file__)
        for info in pkgutil.iter_modules(pkg.__path__):
            full = f"{name}.{info.name}"
            if info.ispkg:
                walk(full)
            else:
                out[full] = Path(importlib.util.find_spec(full).origin)

    for name in PACKAGES:
        walk(name)
    return out


def imports_of(module: str, source: str, known: set[str], is_pkg: bool = False) -> set[str]:
    """The package's modules that ``source`` imports anywhere (module level, functions, TYPE_CHECKING)."""
    here = module if is_pkg else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "trade_events"}
        elif isinstance(node, ast.ImportFrom):
            base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
            target = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
            if target.split(".")[0] != "trade_events":
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known}
    return found


def import_graph() -> dict[str, set[str]]:
    mods = package_modules()
    return {m: imports_of(m, p.read_text(encoding="utf-8"), set(mods), p.name == "__init__.py") for m, p in mods.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} imports {b} (layer {layer_of(b)} above {layer_of(a)})"
                  for a, targets in graph.items() for b in targets if layer_of(b) < layer_of(a))


def component_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles between components (within one component modules may import each other)."""
    edges: dict[str, set[str]] = {}
    for a, targets in graph.items():
        for b in targets:
            if component(a) != component(b):
                edges.setdefault(component(a), set()).add(component(b))
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return cycles


def test_imports_go_one_way_down_the_layers():
    graph = import_graph()
    assert len(graph) > 50  # the mapped subpackages were found
    assert upward_imports(graph) == []
    assert component_cycles(graph) == []


def test_the_check_fails_on_a_planted_cycle_and_an_upward_import():
    graph = import_graph()
    planted = {**graph, "trade_events.events.merge": graph["trade_events.events.merge"] | {"trade_events.model.extractor"}}
    assert any("trade_events.events.merge imports trade_events.model.extractor" in v for v in upward_imports(planted))
    assert any({"trade_events.events", "trade_events.model"} <= set(c) for c in component_cycles(planted))
    cycle = {"trade_events.data.a": {"trade_events.model.b"}, "trade_events.model.b": {"trade_events.data.a"},
             "trade_events.model.c": {"trade_events.model.b"}}  # within one component: allowed
    assert component_cycles(cycle) == [["trade_events.data", "trade_events.model", "trade_events.data"]]


def test_rules_extraction_imports_no_ml_library():
    import subprocess
    import sys

    code = ("import sys\nfrom typer.testing import CliRunner\nfrom trade_events.cli import app\n"
            "r = CliRunner().invoke(app, ['extract', '--rules', '--seeds', '--no-summary'])\n"
            "assert r.exit_code == 0, r.output\nprint(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["trade_events.events.merge"])
def test_known_modules_are_in_the_graph(name):
    assert name in import_graph()
