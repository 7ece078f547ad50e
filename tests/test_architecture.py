"""The house rules of cgplan's code: no import cycle anywhere, no private name borrowed from another module.

The layers themselves (each stage imports only the stages below it) are checked
by import-linter (``lint-imports``, configured in pyproject.toml); these tests
look at every import statement, those written inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cgplan"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, list[str], int]]:
    """``(imported module, names taken from it, line)`` for every import of a cgplan module in a file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.split(".")[0] == "cgplan"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "cgplan":
                continue
            plain = []
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.append((f"{target}.{alias.name}", [], node.lineno))
                else:
                    plain.append(alias.name)
            if plain:
                found.append((target, plain, node.lineno))
    return found


def import_graph() -> dict[str, set[str]]:
    known = set(modules())
    return {
        name: {target for target, _, _ in imports_of(name, path, known) if target in known and target != name}
        for name, path in modules().items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_even_through_imports_inside_functions() -> None:
    graph = import_graph()
    assert len(graph) > 40, "every module is read"
    assert cycles(graph) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    known = set(modules())
    borrowed = []
    for name, path in modules().items():
        for target, names, line in imports_of(name, path, known):
            borrowed += [
                f"{path.relative_to(PACKAGE.parent)}:{line} takes {target}.{n}"
                for n in names
                if n.startswith("_") and n != "__version__"
            ]
    assert borrowed == []
