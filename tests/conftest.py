"""Shared fixtures: the real local Neo4j, Debian's Chromium, and the bundled plans.

Under CI (env CI set) a test that needs Neo4j or Chromium FAILS when it is missing; on a
developer's machine it skips with the reason, so the rest of the suite stays usable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLANS_DIR = PROJECT_ROOT / "data" / "plans"
CITY_PLAN = PLANS_DIR / "shanghai_2023-2025_manufacturing.txt"
DISTRICT_PLAN = PLANS_DIR / "songjiang_2023-2025_manufacturing.txt"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google, which this closed
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def plangraph(
    *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The CLI as a user runs it, wide enough that one error stays one line; `env` adds to
    (or overrides) the environment."""
    return subprocess.run(
        [sys.executable, "-m", "plangraph", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere: CI must never pass by skipping a real-part test."""
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def bundled_graph() -> nx.MultiDiGraph:
    """The graph of the bundled plans, built once per session (tests must not change it)."""
    from ingest.build import build_graph

    # The plan files only: the folder also holds a README.md.
    return build_graph(sorted(PLANS_DIR.glob("*.txt"))).graph


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[dict[str, str]]:
    """The local Neo4j's settings; the session stops the server at its end if it started it
    (a server a developer had running is left running)."""
    from plangraph import local_neo4j as neo4j_support

    started_here = False
    try:
        started_here = not neo4j_support.is_running()
        neo4j_support.ensure_neo4j_running()
        settings = neo4j_support.neo4j_settings()
    except Exception as error:  # any failure to provide the server is "unavailable"
        unavailable(f"local Neo4j could not be started: {error}")
        raise
    yield settings
    if started_here:
        neo4j_support.stop_neo4j()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(
        neo4j_settings["NEO4J_URI"],
        auth=(neo4j_settings["NEO4J_USER"], neo4j_settings["NEO4J_PASSWORD"]),
    )
    try:
        driver.verify_connectivity()
    except Exception as error:
        driver.close()
        unavailable(f"local Neo4j not reachable: {error}")
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (which cannot download a browser)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not installed (run scripts/install-chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, request) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def test_output_dir() -> Path:
    """Where tests leave artefacts a person may want to look at (screenshots)."""
    out = PROJECT_ROOT / "test-output"
    out.mkdir(exist_ok=True)
    return out
