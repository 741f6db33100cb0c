"""The package's shape: imports go one way along the pipeline, never in a circle, and the
version store never depends on rendering. Read from the source with ``ast``: imports inside
functions count too (they run, later); those under ``if TYPE_CHECKING:`` do not."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "fsdocs"
RENDERING = ("fsdocs.production", "fsdocs.pdf", "fsdocs.docx", "fsdocs.wording.jinja", "weasyprint")
# The stages in pipeline order: a module may import its own stage and the ones before it.
FLOORS = (
    ("fsdocs.errors", "fsdocs.french"),
    ("fsdocs.files",),
    ("fsdocs.project",),
    ("fsdocs.rules", "fsdocs.wording"),
    ("fsdocs.pdf", "fsdocs.docx"),
    ("fsdocs.production",),
    ("fsdocs.versions",),
    ("fsdocs.changes",),
    ("fsdocs.bundle",),
    ("fsdocs.importing",),
    ("fsdocs.web",),
    ("fsdocs.cli", "fsdocs.__main__"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The modules ``path`` imports (fsdocs modules resolved to the module, not the name)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(path, modules) & modules for name, path in paths.items()} | {
        f"{name}!external": imports_of(path, modules) - modules for name, path in paths.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in edges:
        if node not in index:
            connect(node)
    return found


def floor(module: str) -> int:
    if module == "fsdocs":  # the package itself: its version only
        return 0
    for number, stages in enumerate(FLOORS):
        if any(module == s or module.startswith(s + ".") for s in stages):
            return number
    raise AssertionError(f"{module} : étage inconnu, à ajouter à FLOORS")


def test_no_import_cycle() -> None:
    edges = {k: v for k, v in graph().items() if not k.endswith("!external")}
    assert cycles(edges) == []


def test_imports_go_down_the_pipeline() -> None:
    edges = {k: v for k, v in graph().items() if not k.endswith("!external")}
    upward = [
        f"{source} → {target}"
        for source, targets in edges.items()
        for target in targets
        if floor(target) > floor(source)
    ]
    assert upward == []


def reachable(every: dict[str, set[str]], start: str) -> set[str]:
    """Every module importing ``start`` may run: its imports, theirs, and so on."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += every.get(module, set()) | every.get(f"{module}!external", set())
    return seen - {start}


def test_the_version_store_never_imports_rendering() -> None:
    """Not even through another module: storage knows files and hashes only."""
    every = graph()
    found = {
        f"{source} → {target}"
        for source in every
        if source.startswith("fsdocs.versions") and not source.endswith("!external")
        for target in reachable(every, source)
        if any(target == r or target.startswith(r + ".") for r in RENDERING)
    }
    assert sorted(found) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions() -> None:
    every = graph()
    assert "fsdocs.wording.jinja" in reachable(every, "fsdocs.production.build")
    # The CLI imports its commands' libraries inside the commands, for a fast --help.
    assert "fsdocs.production.build" in reachable(every, "fsdocs.cli.documents")
