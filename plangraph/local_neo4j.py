"""The local Neo4j of ``scripts/neo4j-local``, from Python: start, stop, and read its settings.

Tests, benchmarks and developers' tools use this one reader of the script's ``env`` output.

The server lives outside the work tree (``PLANGRAPH_NEO4J_HOME``, default
``${XDG_CACHE_HOME:-~/.cache}/plangraph/neo4j``); credentials are read from
``scripts/neo4j-local env`` -- never hard-coded.

    from plangraph.local_neo4j import ensure_neo4j_running
    settings = ensure_neo4j_running()
    driver = neo4j.GraphDatabase.driver(
        settings["NEO4J_URI"], auth=(settings["NEO4J_USER"], settings["NEO4J_PASSWORD"]))
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from schema.paths import PROJECT_ROOT as REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "neo4j-local"

# `start` may have to download the server first (about a minute cold) and then waits as
# long as the server needs: its timeout scales with the machine's load and, while the server
# log moves, it waits on up to a hard cap (at most 1800 s by default; `scripts/neo4j-local
# limits` prints both). This bound is only a safety net above those.
_START_TIMEOUT = 3600
_OTHER_TIMEOUT = 300

ENV_KEYS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_HTTP_URL")


class Neo4jLocalError(RuntimeError):
    """``scripts/neo4j-local`` failed; the message carries its output."""


def run_script(
    *args: str,
    timeout: float = _OTHER_TIMEOUT,
    check: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/neo4j-local ARGS`` and return the completed process (stdout/stderr as text)."""
    proc = subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if check and proc.returncode != 0:
        raise Neo4jLocalError(
            f"scripts/neo4j-local {' '.join(args)} exited {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}--- stderr ---\n{proc.stderr}"
        )
    return proc


def neo4j_home() -> Path:
    """The cache directory the script uses (same rule as the script)."""
    explicit = os.environ.get("PLANGRAPH_NEO4J_HOME")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "plangraph" / "neo4j"


def parse_env_output(text: str) -> dict[str, str]:
    """Parse the ``NAME=value`` lines printed by ``scripts/neo4j-local env``."""
    settings: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)  # undoes the script's quoting
        if words and words[0] == "export":
            words = words[1:]
        if len(words) != 1:
            continue
        name, sep, value = words[0].partition("=")
        if sep:
            settings[name] = value
    missing = [k for k in ENV_KEYS if k not in settings]
    if missing:
        raise Neo4jLocalError(f"scripts/neo4j-local env did not print {missing}:\n{text}")
    return settings


def neo4j_settings() -> dict[str, str]:
    """NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_HTTP_URL from ``scripts/neo4j-local env``."""
    proc = run_script("env", check=True)
    return parse_env_output(proc.stdout)


def is_running() -> bool:
    return run_script("status").returncode == 0


def start_neo4j() -> dict[str, str]:
    """``scripts/neo4j-local start`` (waits for a server already starting; a no-op when it
    answers); returns the settings. A start the script gave up on is left running: the
    error says so, and a later call waits for the same server again."""
    run_script("start", timeout=_START_TIMEOUT, check=True)
    return neo4j_settings()


def ensure_neo4j_running() -> dict[str, str]:
    """Make sure the local server answers Cypher over Bolt; returns the settings.

    Raises Neo4jLocalError with the script's output (including the tail of the
    server log) when the server cannot be started.
    """
    return start_neo4j()


def stop_neo4j() -> None:
    """``scripts/neo4j-local stop`` (graceful; a no-op when not running)."""
    run_script("stop", timeout=_OTHER_TIMEOUT, check=True)
