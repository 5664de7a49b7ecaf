"""The alignment package's shape: one way imports, no cycle, each module importable on its own."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "ingest" / "alignment"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def imports_within(module: str) -> set[str]:
    """The package's modules `module` imports, at any depth of its code (TYPE_CHECKING too)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{module}: relative import; name the module in full")
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["ingest", "alignment"] and len(parts) > 2 and parts[2] in MODULES:
                found.add(parts[2])
    return found - {module}


def test_the_package_has_the_modules_the_design_names():
    assert set(MODULES) == {
        "cascades",
        "curation",
        "features",
        "model",
        "plans",
        "scoring",
        "tables",
    }


def test_no_import_cycle_inside_the_package():
    graph = {m: imports_within(m) for m in MODULES}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in order:
            return
        assert module not in visiting, " -> ".join((*path, module))
        visiting.add(module)
        for dependency in sorted(graph[module]):
            visit(dependency, (*path, module))
        visiting.discard(module)
        order.append(module)

    for module in MODULES:
        visit(module, ())


def test_scoring_and_curation_do_not_know_each_other():
    assert "curation" not in imports_within("scoring")
    assert "scoring" not in imports_within("curation")
    assert imports_within("model") == set()


def test_the_package_reaches_no_module_that_uses_it():
    for module in MODULES:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                # the package itself would import every module: name the module instead
                assert node.module not in (
                    "ingest.alignment",
                    "ingest.build",
                    "ingest.graph",
                    "ingest.pipeline",
                ), module


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import ingest.alignment.{module}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_old_modules_are_gone():
    assert not (PROJECT_ROOT / "ingest" / "alignment.py").exists()
    assert not (PROJECT_ROOT / "ingest" / "curation.py").exists()
