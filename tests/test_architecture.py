"""The package layout is the pipeline: every import points down through the stages.

Each module's imports are read with `ast` — function-level imports too, since a lazy
import is still a dependency — and resolved to brochure's own modules. A module may
import its own stage and the stages before it, never a later one, and no chain of
imports may come back to where it started.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "brochure"

# The stages in the order data flows through them. errors, paths and output serve all.
STAGES = ["errors", "paths", "output", "source", "typeset", "finish", "checks", "api",
          "batch", "web", "cli"]
RANK = {"errors": 0, "paths": 0, "output": 0, "source": 1, "typeset": 2, "finish": 3,
        "checks": 4, "api": 5, "batch": 6, "web": 7, "cli": 8}


def module_name(path: Path) -> str:
    parts = ["brochure", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
           if "_builtin" not in p.parts}


def imports_of(name: str) -> set[str]:
    """The brochure modules *name* imports, anywhere in its code."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import x` may name a module; otherwise the module itself is meant.
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in MODULES else stem
                       for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in MODULES and t != name}
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def stage_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package's own __init__


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = sorted({stage_of(m) for m in MODULES} - set(STAGES) - {None})
    assert unknown == [], f"add these to the stage order in this test: {unknown}"


def test_no_module_imports_a_later_stage() -> None:
    upward = []
    for name, targets in GRAPH.items():
        stage = stage_of(name)
        if stage is None:  # the package root re-exports the API, lazily
            continue
        for target in targets:
            other = stage_of(target)
            if other is not None and RANK[other] > RANK[stage]:
                upward.append(f"{name} imports {target} ({stage} → later stage {other})")
    assert upward == []


def test_there_are_no_import_cycles() -> None:
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in GRAPH:
        if name not in index:
            visit(name)
    assert cycles == []


def test_the_top_level_holds_only_the_shells_and_what_every_stage_uses() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top
    assert set(top) <= {"__init__.py", "api.py", "cli.py", "errors.py", "output.py",
                        "paths.py"}


@pytest.mark.parametrize("stage", ["source", "typeset", "finish", "checks", "batch", "web"])
def test_each_stage_package_opens_with_what_goes_in_and_what_comes_out(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
    assert doc and "→" in doc.splitlines()[0], f"{stage}/__init__.py: first line 'in → out'"


def test_the_layering_check_sees_function_level_imports(tmp_path: Path) -> None:
    # The check itself: a lazy import inside a function is found like any other.
    assert "brochure.api" in GRAPH["brochure.cli"]
