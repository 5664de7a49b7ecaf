"""scripts/neo4j-local: a real Neo4j 5.26 Community server, loopback only, with a stored password.

These tests run against the shared server the script manages (they never stop it): the
"not running" paths of `status` are checked on a separate, empty PLANGRAPH_NEO4J_HOME, and a
slow start on a throw-away server of its own (an empty home sharing the jars, free ports).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import stat
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from plangraph import local_neo4j as neo4j_support

pytestmark = pytest.mark.neo4j

LOOPBACK_V4 = "0100007F"  # 127.0.0.1 as /proc/net/tcp prints it (little-endian hex)
LOOPBACK_V6 = {
    "0000000000000000FFFF00000100007F",  # ::ffff:127.0.0.1 (Java binds IPv4 via a v6 socket)
    "00000000000000000000000001000000",  # ::1
}


@pytest.fixture(scope="module")
def local_neo4j(neo4j_settings) -> dict[str, str]:
    """The script's server, started if needed (through the session fixture, which stops it at
    the end if it started it); its env settings."""
    return neo4j_settings


def _port(url: str) -> int:
    match = re.search(r":(\d+)/?$", url)
    assert match, url
    return int(match.group(1))


def _read_conf() -> dict[str, str]:
    conf = neo4j_support.neo4j_home() / "conf" / "neo4j.conf"
    settings = {}
    for line in conf.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


def _listening_addresses(port: int) -> list[str]:
    """Local addresses of LISTEN sockets on `port`, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                found.append(address)
    return found


def test_cypher_roundtrip_with_official_driver(local_neo4j):
    from neo4j import GraphDatabase

    marker = f"neo4j-local-test-{uuid.uuid4()}"
    auth = (local_neo4j["NEO4J_USER"], local_neo4j["NEO4J_PASSWORD"])
    with GraphDatabase.driver(local_neo4j["NEO4J_URI"], auth=auth) as driver:
        driver.verify_connectivity()
        try:
            records, _, _ = driver.execute_query(
                "CREATE (n:NeoLocalProbe {marker: $marker, answer: 42}) RETURN n.answer AS answer",
                marker=marker,
            )
            assert [r["answer"] for r in records] == [42]
            records, _, _ = driver.execute_query(
                "MATCH (n:NeoLocalProbe {marker: $marker}) "
                "RETURN n.marker AS marker, n.answer AS answer",
                marker=marker,
            )
            assert [(r["marker"], r["answer"]) for r in records] == [(marker, 42)]
        finally:
            driver.execute_query(
                "MATCH (n:NeoLocalProbe {marker: $marker}) DELETE n", marker=marker
            )
        records, _, _ = driver.execute_query(
            "MATCH (n:NeoLocalProbe {marker: $marker}) RETURN count(n) AS c", marker=marker
        )
        assert records[0]["c"] == 0


def test_wrong_password_is_refused(local_neo4j):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    wrong = ("neo4j", "definitely-not-it")
    with (
        GraphDatabase.driver(local_neo4j["NEO4J_URI"], auth=wrong) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_env_output_matches_ports_and_loopback(local_neo4j):
    assert local_neo4j["NEO4J_USER"] == "neo4j"
    assert re.fullmatch(r"bolt://127\.0\.0\.1:\d+", local_neo4j["NEO4J_URI"])
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", local_neo4j["NEO4J_HTTP_URL"])
    assert len(local_neo4j["NEO4J_PASSWORD"]) >= 8
    # `env --export` is the same, sourceable with export.
    exported = neo4j_support.run_script("env", "--export", check=True).stdout
    assert all(line.startswith("export ") for line in exported.splitlines())
    assert neo4j_support.parse_env_output(exported) == local_neo4j


def test_conf_binds_loopback_only(local_neo4j):
    conf = _read_conf()
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert conf["server.bolt.listen_address"] == f"127.0.0.1:{_port(local_neo4j['NEO4J_URI'])}"
    assert conf["server.http.listen_address"] == f"127.0.0.1:{_port(local_neo4j['NEO4J_HTTP_URL'])}"
    assert conf["server.https.enabled"] == "false"
    assert conf["dbms.security.auth_enabled"] == "true"
    for key, value in conf.items():
        if key.endswith("listen_address"):
            assert value.startswith("127.0.0.1"), (key, value)
    # Browser guides come from the plangraph API.
    whitelist = conf["browser.remote_content_hostname_whitelist"].split(",")
    assert {"127.0.0.1", "localhost"} <= set(whitelist)
    assert re.fullmatch(r"play https?://[^ ]+/guide", conf["browser.post_connect_cmd"])


def test_listening_sockets_are_loopback_only(local_neo4j):
    for url in (local_neo4j["NEO4J_URI"], local_neo4j["NEO4J_HTTP_URL"]):
        addresses = _listening_addresses(_port(url))
        assert addresses, f"nothing listens for {url}"
        for address in addresses:
            assert address == LOOPBACK_V4 or address in LOOPBACK_V6, (url, address)


def test_password_file_is_private_and_not_in_the_repo(local_neo4j):
    password_file = neo4j_support.neo4j_home() / "password"
    mode = stat.S_IMODE(password_file.stat().st_mode)
    assert mode == 0o600, oct(mode)
    password = local_neo4j["NEO4J_PASSWORD"]
    assert password_file.read_text().strip() == password
    assert neo4j_support.REPO_ROOT not in password_file.resolve().parents

    grep = subprocess.run(
        ["grep", "-rlF", "--exclude-dir=.git", "-e", password, str(neo4j_support.REPO_ROOT)],
        capture_output=True,
        text=True,
    )
    assert grep.returncode == 1, f"password found in: {grep.stdout}{grep.stderr}"
    # Nor on the server's command line (visible to every user via ps).
    pid = (neo4j_support.neo4j_home() / "run" / "neo4j-local.pid").read_text().strip()
    assert password not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")


def test_second_start_is_a_noop(local_neo4j):
    pid_file = neo4j_support.neo4j_home() / "run" / "neo4j-local.pid"
    pid_before = pid_file.read_text().strip()
    proc = neo4j_support.run_script("start", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "already running" in proc.stderr
    assert pid_file.read_text().strip() == pid_before


def test_status_exit_codes(local_neo4j, tmp_path):
    running = neo4j_support.run_script("status")
    assert running.returncode == 0, running.stderr
    assert "running" in running.stderr

    # A separate, empty home: not running (3), and a stale pid file is cleaned up.
    env = {**os.environ, "PLANGRAPH_NEO4J_HOME": str(tmp_path / "other-home")}
    stopped = neo4j_support.run_script("status", env=env)
    assert stopped.returncode == 3, stopped.stderr
    assert "not running" in stopped.stderr
    run_dir = tmp_path / "other-home" / "run"
    run_dir.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (run_dir / "neo4j-local.pid").write_text(f"{dead.pid}\n")
    assert neo4j_support.run_script("status", env=env).returncode == 3
    assert not (run_dir / "neo4j-local.pid").exists()
    # `stop` when not running is fine too.
    assert neo4j_support.run_script("stop", env=env).returncode == 0


def test_browser_is_served(local_neo4j):
    url = local_neo4j["NEO4J_HTTP_URL"] + "/browser/"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert "text/html" in response.headers.get("Content-Type", "")
        body = response.read().decode("utf-8", errors="replace")
    assert "<title>Neo4j Browser</title>" in body


def test_discovery_advertises_the_configured_bolt_port(local_neo4j):
    import json

    with urllib.request.urlopen(local_neo4j["NEO4J_HTTP_URL"] + "/", timeout=10) as response:
        discovery = json.load(response)
    assert discovery["bolt_direct"] == local_neo4j["NEO4J_URI"]
    assert discovery["neo4j_edition"] == "community"
    assert discovery["neo4j_version"].startswith("5.26.")


# ---------------------------------------------------------------- a slow start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def throwaway(local_neo4j, tmp_path) -> Iterator[tuple[dict[str, str], Path]]:
    """A second, empty server home on free ports, sharing the assembled jars; stopped after
    the test whatever happened."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "lib").symlink_to((neo4j_support.neo4j_home() / "lib").resolve())
    env = {
        **os.environ,
        "PLANGRAPH_NEO4J_HOME": str(home),
        "PLANGRAPH_NEO4J_BOLT_PORT": str(_free_port()),
        "PLANGRAPH_NEO4J_HTTP_PORT": str(_free_port()),
    }
    env.pop("NEO4J_PASSWORD", None)  # the new database gets its own
    try:
        yield env, home
    finally:
        pid_file = home / "run" / "neo4j-local.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text()), signal.SIGCONT)
        neo4j_support.run_script("stop", env=env)


def _server_pid(home: Path) -> int:
    pid = int((home / "run" / "neo4j-local.pid").read_text())
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    assert "CommunityEntryPoint" in cmdline, cmdline
    return pid


def _gave_up_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "gave up" in line]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_slow_start_is_left_running_and_waited_for_again(throwaway):
    env, home = throwaway
    # A password that looks like an option and needs quoting: it must still be set and work.
    env = {**env, "NEO4J_PASSWORD": '-p"w\\ord with-dash'}
    # Timeout and hard cap far below what Neo4j needs: `start` gives up, in one line, and
    # leaves the server starting.
    quick = neo4j_support.run_script(
        "start",
        env={**env, "PLANGRAPH_NEO4J_START_TIMEOUT": "1", "PLANGRAPH_NEO4J_START_HARD_CAP": "2"},
    )
    assert quick.returncode == 1, quick.stderr
    line = _gave_up_line(quick.stderr)
    assert "hard cap 2 s" in line and "left running" in line
    pid = _server_pid(home)

    # A server whose log stops moving past the timeout: given up on, and still not killed.
    os.kill(pid, signal.SIGSTOP)
    try:
        stalled = neo4j_support.run_script(
            "start",
            env={**env, "PLANGRAPH_NEO4J_START_TIMEOUT": "1", "PLANGRAPH_NEO4J_START_STALL": "2"},
        )
    finally:
        os.kill(pid, signal.SIGCONT)
    assert stalled.returncode == 1, stalled.stderr
    assert "log silent" in _gave_up_line(stalled.stderr)
    assert "already running" in stalled.stderr
    assert _server_pid(home) == pid

    # With the machine's own limits, `start` waits for that same server until it answers.
    ready = neo4j_support.run_script("start", env=env, timeout=3600)
    assert ready.returncode == 0, ready.stderr
    assert "already running" in ready.stderr
    assert _server_pid(home) == pid
    settings = neo4j_support.parse_env_output(
        neo4j_support.run_script("env", env=env, check=True).stdout
    )
    from neo4j import GraphDatabase

    auth = (settings["NEO4J_USER"], settings["NEO4J_PASSWORD"])
    with GraphDatabase.driver(settings["NEO4J_URI"], auth=auth) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert [r["one"] for r in records] == [1]


def test_the_start_timeout_scales_with_the_load():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANGRAPH_NEO4J_START")}
    scaled = neo4j_support.run_script("limits", env=env, check=True).stdout
    match = re.search(
        r"start timeout: (\d+) s \(120 s scaled to load ([\d.]+) on (\d+) cores\)", scaled
    )
    assert match, scaled
    timeout, load, cores = int(match[1]), float(match[2]), int(match[3])
    assert timeout == min(900, int(120 * max(1.0, load / cores) + 0.999))  # seconds, rounded up
    hard_cap = int(re.search(r"hard cap: (\d+) s", scaled)[1])
    assert hard_cap == min(1800, max(600, 3 * timeout))
    # A concurrent command (a start waiting for its server) may hold the lock that long.
    assert f"wait for a concurrent command: {hard_cap + 600} s" in scaled

    explicit = neo4j_support.run_script(
        "limits", env={**env, "PLANGRAPH_NEO4J_START_TIMEOUT": "7"}, check=True
    ).stdout
    assert "start timeout: 7 s (PLANGRAPH_NEO4J_START_TIMEOUT)" in explicit
    assert "hard cap: 600 s" in explicit
    wrong = neo4j_support.run_script(
        "limits", env={**env, "PLANGRAPH_NEO4J_START_HARD_CAP": "soon"}
    )
    assert wrong.returncode != 0
    assert "PLANGRAPH_NEO4J_START_HARD_CAP='soon' is not a number of seconds" in wrong.stderr
