"""Neo4j killed in the middle of a load: the loader says so, the old graph survives, a re-run works.

The server is killed with SIGKILL (no clean shutdown, no chance to finish the transaction)
while the batched loader is half-way through writing relationships, then restarted with
`scripts/neo4j-local start`, and the live graph is compared with the bundled graph loaded
before. tests/ingest/test_neo4j_load.py cuts the *connection* mid-load (the server lives on);
this is the server crashing, so what survives is what its transaction log recovers on restart.

Killing the shared development server would break whatever else is using it (another test
process, a developer's Browser), so this test runs its own throw-away instance of the same
script: its own home (the assembled jars are shared through a symlink, so nothing is
downloaded), its own free ports. It is stopped at the end; the shared server is never touched.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from ingest.build import build_from_plans, build_graph
from ingest.neo4j_load import LoadError, graph_counts, load
from schema.graph_stamp import graph_counts_of
from tests.conftest import unavailable

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

CHILDREN = 40  # about 5k nodes and 17k relationships: many batches to kill the server between
BATCH = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def own_neo4j(neo4j_settings, tmp_path_factory):
    """A private server started by scripts/neo4j-local, shared by this module's tests (each
    leaves it running); yields (support module, settings)."""
    from plangraph import local_neo4j as neo4j_support

    shared_lib = neo4j_support.neo4j_home() / "lib"  # provisioned by the neo4j_settings fixture
    if not (shared_lib / ".provisioned").exists():
        unavailable(f"the shared Neo4j is not assembled in {shared_lib}")
    home = tmp_path_factory.mktemp("neo4j-fault")
    (home / "lib").symlink_to(shared_lib.resolve(), target_is_directory=True)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLANGRAPH_NEO4J_HOME", str(home))
        env.setenv("PLANGRAPH_NEO4J_BOLT_PORT", str(_free_port()))
        env.setenv("PLANGRAPH_NEO4J_HTTP_PORT", str(_free_port()))
        env.setenv("PLANGRAPH_NEO4J_HEAP_MAX", "768m")
        env.setenv("PLANGRAPH_NEO4J_PAGECACHE", "128m")
        env.setenv("PLANGRAPH_NEO4J_STOP_TIMEOUT", "20")  # a throw-away server
        env.delenv("NEO4J_PASSWORD", raising=False)  # let the script generate its own
        try:
            settings = neo4j_support.start_neo4j()
        except Exception as error:
            unavailable(f"a private Neo4j could not be started: {error}")
        try:
            yield neo4j_support, settings
        finally:
            neo4j_support.stop_neo4j()


def _driver(settings: dict[str, str]):
    # A short retry window: a dead server should surface as an error in seconds, not minutes.
    return GraphDatabase.driver(
        settings["NEO4J_URI"],
        auth=(settings["NEO4J_USER"], settings["NEO4J_PASSWORD"]),
        max_transaction_retry_time=3.0,
        connection_timeout=3.0,
    )


def _server_pid(support) -> int:
    pid = int((support.neo4j_home() / "run" / "neo4j-local.pid").read_text().strip())
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    # Never kill anything but the private server this test started.
    assert f"--home-dir={support.neo4j_home()}" in cmdline
    return pid


def _big_graph():
    from benchmarks.corpus import generate_children
    from ingest.enrich import enrich
    from ingest.parsing import parse_file, parse_text
    from tests.conftest import CITY_PLAN

    parent = parse_file(CITY_PLAN)
    enrich(parent)
    plans = [parent]
    for child in generate_children(parent, CHILDREN, seed=7):
        plan = parse_text(child.text, source=child.doc_number)
        enrich(plan)
        plans.append(plan)
    return build_from_plans(plans).graph


def test_kill_mid_load_keeps_previous_graph_and_reload_succeeds(own_neo4j):
    support, settings = own_neo4j
    bundled = build_graph().graph
    big = _big_graph()
    assert big.number_of_edges() > 20 * BATCH

    driver = _driver(settings)
    try:
        load(bundled, driver)
        assert graph_counts(driver) == graph_counts_of(bundled)

        halfway = threading.Event()
        resume = threading.Event()
        outcome: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            # Park the loader half-way through the relationships until the server is dead.
            if stage == "Loading relationships" and done == total // 2 and not halfway.is_set():
                halfway.set()
                resume.wait(60)

        def run() -> None:
            try:
                outcome["report"] = load(big, driver, batch_size=BATCH, progress=progress)
            except BaseException as error:  # the thread must report whatever happened
                outcome["error"] = error

        loader = threading.Thread(target=run, daemon=True)
        loader.start()
        assert halfway.wait(120), "the load never reached its half-way point"
        pid = _server_pid(support)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        resume.set()
        loader.join(120)
        assert not loader.is_alive(), "the loader hung after the server died"

        error = outcome.get("error")
        assert isinstance(error, LoadError), f"expected LoadError, got {outcome!r}"
        assert "previous graph" in str(error)

        support.start_neo4j()
        # The restarted server recovered from its transaction log: the bundled graph, exactly.
        driver.close()
        driver = _driver(settings)
        assert graph_counts(driver) == graph_counts_of(bundled)

        # A re-run clears the half-written staging nodes and succeeds.
        report = load(big, driver, batch_size=1000)
        assert (report.nodes, report.relationships) == (
            big.number_of_nodes(),
            big.number_of_edges(),
        )
        assert graph_counts(driver) == graph_counts_of(big)
        with driver.session() as session:
            leftovers = session.run(
                "MATCH (n) WHERE n:_Stage OR n:_Retired RETURN count(n) AS c"
            ).single()["c"]
        assert leftovers == 0
    finally:
        driver.close()


def test_kill_right_after_the_swap_commits_reports_the_new_graph_live(own_neo4j):
    """The issue's case: the server dies the moment the swap has committed, before the loader
    hears so. The loader waits for Neo4j to come back, reads the live stamp, and reports the
    new graph live; nothing retired is left behind."""
    from ingest.neo4j_load import leftover_counts, live_stamp_version, lock_holder
    from tests.ingest.tcp_proxy import driver_through, proxy_to

    support, settings = own_neo4j
    bundled = build_graph().graph
    big = _big_graph()
    direct = _driver(settings)
    load(bundled, direct)
    direct.close()

    proxy = proxy_to(settings)
    driver = driver_through(proxy, settings, retry_seconds=3.0)

    def kill_on_commit(stage: str, done: int, total: int) -> None:
        if stage == "Swapping in" and done == 1:
            proxy.swallow_next_reply()  # the COMMIT reaches the server, its answer does not

    restarted: dict[str, object] = {}

    def kill_and_restart() -> None:
        try:
            assert proxy.swallowed.wait(300), "the swap never committed"
            pid = _server_pid(support)
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            support.start_neo4j()
            restarted["ok"] = True
        except BaseException as error:
            restarted["error"] = error
        finally:
            proxy.reopen()

    killer = threading.Thread(target=kill_and_restart, daemon=True)
    killer.start()
    try:
        report = load(big, driver, batch_size=1000, progress=kill_on_commit, outcome_wait=600)
    finally:
        killer.join(600)
        driver.close()
        proxy.close()
    assert restarted.get("ok"), restarted
    assert any("new graph is live" in note for note in report.notes), report.notes

    driver = _driver(settings)
    try:
        assert live_stamp_version(driver) == report.load_id
        assert graph_counts(driver) == graph_counts_of(big)
        assert leftover_counts(driver) == {"_Stage": 0, "_Retired": 0}
        assert lock_holder(driver) is None
    finally:
        driver.close()
