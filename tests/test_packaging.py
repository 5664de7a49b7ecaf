"""The distribution is what the README promises: one package, the console script, no shadowing."""

from __future__ import annotations

import hashlib
import importlib
import subprocess
import sys
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

TOP_LEVEL = ["api", "ingest", "schema", "queries", "plangraph"]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_top_level_package_comes_from_this_project(name):
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == PROJECT_ROOT / name


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_no_other_installed_distribution_provides_the_same_top_level_name(name):
    owners = set(packages_distributions().get(name, [])) - {"plangraph"}
    assert not owners, f"{name!r} is also provided by {sorted(owners)}: imports would collide"


def test_console_script_is_declared():
    scripts = {ep.name: ep.value for ep in distribution("plangraph").entry_points}
    assert scripts.get("plangraph") == "plangraph.cli:main"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plangraph", *args], capture_output=True, text=True, timeout=60
    )


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"plangraph {distribution('plangraph').version}"


def test_help_lists_the_commands():
    from plangraph.cli import app

    result = run_cli("--help")
    assert result.returncode == 0
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert names, "no commands registered"
    for name in names:
        assert name.replace("_", "-") in result.stdout


# Recorded from ../shared/plans when the plans were bundled; they must stay unchanged.
BUNDLED_SHA256 = {
    "shanghai_2023-2025_manufacturing.txt": (
        "21440f70b87a7fb48983ac74858e001f3c462898eed21f1da5eae6bd9e59d5c7"
    ),
    "songjiang_2023-2025_manufacturing.txt": (
        "896b3faf472b437a86cd312b10f59579cb823b7591531bb1264bcb985054eab6"
    ),
}


def test_bundled_plans_are_unchanged():
    bundled = {p.name: p for p in (PROJECT_ROOT / "data" / "plans").glob("*.txt")}
    assert set(bundled) == set(BUNDLED_SHA256)
    for name, path in bundled.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == BUNDLED_SHA256[name], name
