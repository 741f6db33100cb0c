"""The package's import graph: no cycle between modules, and the version store never reaches
for rendering.

Every ``import`` of every module of ``fsdocs`` counts — at module level and inside functions
(a lazy import is still a dependency) — except those under ``if TYPE_CHECKING:``, which only
the type checker runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "fsdocs"
# Storage depends on files and hashes, never on rendering.
RENDERING = ("fsdocs.production", "fsdocs.pdf", "fsdocs.docx", "fsdocs.wording.jinja", "weasyprint")
# Cycles another change is removing (each as its modules, sorted).
KNOWN_CYCLES = {
    ("fsdocs.wording.annexes", "fsdocs.wording.parts"),  # removed by the registry change
}


def module_names() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(source: str, modules: set[str]) -> set[str]:
    """The modules ``source`` imports (those of ``modules`` when a name is one of them)."""
    names: set[str] = set()
    skipped: set[int] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if full in modules else node.module)
    return names


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imported(path.read_text("utf-8"), set(modules)) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one module (or importing itself),
    each as its modules in the order of one cycle through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges[node]:
                found.append(_cycle(sorted(component), edges))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _cycle(component: list[str], edges: dict[str, set[str]]) -> tuple[str, ...]:
    """One path from the component's first module back to itself, inside the component."""
    start = component[0]
    paths = {start: (start,)}
    todo = [start]
    while todo:
        node = todo.pop(0)
        for target in sorted(edges[node]):
            if target == start:
                return paths[node]
            if target in component and target not in paths:
                paths[target] = (*paths[node], target)
                todo.append(target)
    return tuple(component)  # pragma: no cover - a component always closes


def test_no_module_imports_itself_back() -> None:
    found = {tuple(sorted(c)): c for c in cycles(graph())}
    new = {" → ".join((*c, c[0])) for key, c in found.items() if key not in KNOWN_CYCLES}
    assert not new, "cycles d’imports :\n" + "\n".join(sorted(new))


def test_the_version_store_never_imports_rendering() -> None:
    offending = sorted(
        f"{module} importe {target}"
        for module, targets in graph().items()
        if module == "fsdocs.versions" or module.startswith("fsdocs.versions.")
        for target in targets
        if any(target == r or target.startswith(r + ".") for r in RENDERING)
    )
    assert offending == []


def test_lazy_imports_count_and_type_checking_ones_do_not() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import fsdocs.files.write\n"
        "if TYPE_CHECKING:\n"
        "    from fsdocs.production.build import Renderer\n"
        "def later():\n"
        "    from fsdocs.pdf import weasy\n"
        "    import weasyprint\n"
    )
    modules = {"fsdocs.pdf", "fsdocs.pdf.weasy", "fsdocs.files.write"}
    assert imported(source, modules) == {
        "typing",
        "fsdocs.files.write",
        "fsdocs.pdf.weasy",
        "weasyprint",
    }


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [("a", "b", "c")]),
        ({"a": {"a"}}, [("a",)]),
        ({"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}}, [("c", "d"), ("a", "b")]),
    ],
)
def test_cycles_are_found(edges: dict[str, set[str]], expected: list[tuple[str, ...]]) -> None:
    assert cycles(edges) == expected
