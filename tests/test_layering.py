"""Dependencies go one way: api -> queries -> schema <- ingest. Only the CLI sees every layer."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT_ROOT

# Which first-party packages each layer may import.
ALLOWED = {
    "schema": {"schema"},
    "ingest": {"ingest", "schema"},
    "queries": {"queries", "schema"},
    "api": {"api", "queries", "schema"},
}
FIRST_PARTY = {"api", "ingest", "schema", "queries", "plangraph"}


def imported_packages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], node.lineno


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer):
    wrong = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} imports {package}"
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py"))
        if "node_modules" not in path.parts
        for package, line in imported_packages(path)
        if package in FIRST_PARTY and package not in ALLOWED[layer]
    ]
    assert not wrong, "\n".join(wrong)


def test_only_the_entry_points_import_plangraph():
    """`plangraph/` is the composition root: no layer imports it (its own modules may)."""
    wrong = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}"
        for layer in ALLOWED
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py"))
        if "node_modules" not in path.parts
        for package, line in imported_packages(path)
        if package == "plangraph"
    ]
    assert not wrong, "\n".join(wrong)


def test_queries_hold_no_python_twin_of_a_view():
    """Each view exists once, as Cypher: no module under queries/ implements a view by name."""
    from queries.registry import all_views

    names = set(all_views())
    for path in sorted((PROJECT_ROOT / "queries").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not defined & names, f"{path.name} defines {sorted(defined & names)}"
