"""The Neo4j loader: idempotent, and all-or-nothing when a load fails half-way."""

from __future__ import annotations

import copy

import pytest

from ingest.build import build_graph
from ingest.neo4j_load import (
    LOCK_STALE_SECONDS,
    STAGE,
    LoadBusy,
    LoadError,
    LoadOutcomeUnknown,
    graph_counts,
    live_stamp,
    live_stamp_version,
    load,
    load_naive,
    lock_holder,
    schema_statements,
)
from schema import graph_model as gm
from schema.graph_stamp import graph_counts_of
from tests.conftest import PLANS_DIR
from tests.ingest.tcp_proxy import driver_through, proxy_to

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def bundled():
    return build_graph([PLANS_DIR]).graph


def _changed(graph):
    """A different graph to load over the bundled one: renamed tasks and one extra node."""
    other = copy.deepcopy(graph)
    for _node_id, attrs in other.nodes(data=True):
        if attrs["label"] == gm.TASK:
            attrs["name"] = "changed " + attrs["name"]
    other.add_node("region/测试镇", id="region/测试镇", name="测试镇", label=gm.REGION)
    return other


def _leftovers(driver) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE n:_Stage OR n:_Retired RETURN count(n) AS c"
    )
    return records[0]["c"]


def _task_name(driver, task_id):
    records, _, _ = driver.execute_query(
        "MATCH (t:Task {id: $id}) RETURN t.name AS name", id=task_id
    )
    return [r["name"] for r in records]


def test_the_schema_file_is_idempotent_and_has_a_cjk_full_text_index(neo4j_driver):
    statements = schema_statements()
    assert all("IF NOT EXISTS" in s for s in statements)
    assert any("FULLTEXT" in s and "'cjk'" in s for s in statements)
    records, _, _ = neo4j_driver.execute_query(
        "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer "
        "RETURN collect(analyzer) AS a"
    )
    assert "cjk" in records[0]["a"]


def test_loading_twice_gives_the_same_counts(neo4j_driver, bundled):
    first = load(bundled, neo4j_driver, batch_size=100)
    counts = graph_counts(neo4j_driver)
    assert counts == graph_counts_of(bundled)
    assert (first.nodes, first.relationships) == (
        bundled.number_of_nodes(),
        bundled.number_of_edges(),
    )
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == counts
    assert _leftovers(neo4j_driver) == 0
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS label"
    )
    assert set(gm.LABELS) <= {r["label"] for r in records}


def test_a_new_graph_replaces_the_old_one(neo4j_driver, bundled):
    other = _changed(bundled)
    load(other, neo4j_driver)
    assert graph_counts(neo4j_driver) == graph_counts_of(other)
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == graph_counts_of(bundled)


def test_bad_data_half_way_leaves_the_previous_graph_intact(neo4j_driver, bundled):
    load(bundled, neo4j_driver)
    before = graph_counts(neo4j_driver)
    task = "沪府办发-2023-8/task/7"
    name_before = _task_name(neo4j_driver, task)

    broken = _changed(bundled)
    ids = sorted(broken.nodes)
    victim = ids[len(ids) * 2 // 3]  # well after the first batches have committed
    broken.nodes[victim]["nested"] = {"a map": "Neo4j cannot store"}
    committed: list[tuple[str, int]] = []
    with pytest.raises(LoadError, match="previous graph"):
        load(
            broken,
            neo4j_driver,
            batch_size=25,
            progress=lambda stage, done, total: committed.append((stage, done)),
        )
    assert ("Loading nodes", 2) in committed  # batches had been written before the failure
    assert graph_counts(neo4j_driver) == before
    assert _task_name(neo4j_driver, task) == name_before
    assert _leftovers(neo4j_driver) == 0


def test_a_connection_cut_mid_load_leaves_the_previous_graph_intact(
    neo4j_driver, neo4j_settings, bundled
):
    load(bundled, neo4j_driver)
    before = graph_counts(neo4j_driver)
    proxy = proxy_to(neo4j_settings)
    driver = driver_through(proxy, neo4j_settings, retry_seconds=1.0)

    def cut_half_way(stage, done, total):
        if stage == "Loading relationships" and done == 3:
            proxy.cut()

    try:
        with pytest.raises(LoadError, match="lost the connection"):
            load(_changed(bundled), driver, batch_size=50, progress=cut_half_way)
    finally:
        driver.close()
        proxy.close()
    assert proxy.cut_off
    assert graph_counts(neo4j_driver) == before
    # The next load clears what the cut load had staged and succeeds.
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == before
    assert _leftovers(neo4j_driver) == 0


def test_the_naive_loader_gives_the_same_graph(neo4j_driver, bundled):
    small = bundled.subgraph(
        [n for n, a in bundled.nodes(data=True) if a.get("plan_id") != "沪府办发-2023-8"]
    ).copy()
    report = load_naive(small, neo4j_driver)
    assert report.transactions == small.number_of_nodes() + small.number_of_edges() + 1
    assert graph_counts(neo4j_driver) == graph_counts_of(small)
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == graph_counts_of(bundled)


def test_unknown_labels_are_refused_before_anything_is_written(neo4j_driver, bundled):
    load(bundled, neo4j_driver)
    odd = copy.deepcopy(bundled)
    odd.add_node("x", id="x", name="x", label="Robot")
    with pytest.raises(LoadError, match="unknown label"):
        load(odd, neo4j_driver)
    assert graph_counts(neo4j_driver) == graph_counts_of(bundled)
    records, _, _ = neo4j_driver.execute_query(f"MATCH (n:{STAGE}) RETURN count(n) AS c")
    assert records[0]["c"] == 0


# -- knowing the outcome ----------------------------------------------------------------------


def test_every_load_stamps_the_graph_and_labels_tasks_by_level(neo4j_driver, bundled):
    first = load(bundled, neo4j_driver)
    stamp = live_stamp(neo4j_driver)
    assert stamp is not None and stamp.version == first.load_id
    assert stamp.counts == graph_counts_of(bundled)
    second = load(bundled, neo4j_driver)
    assert second.load_id != first.load_id
    assert live_stamp_version(neo4j_driver) == second.load_id

    expected: dict[str, int] = {}
    levels = {a["id"]: a.get("level") for _, a in bundled.nodes(data=True) if a["label"] == gm.PLAN}
    for _, attrs in bundled.nodes(data=True):
        if attrs["label"] == gm.TASK and levels.get(attrs["plan_id"]) in gm.TASK_LEVEL_LABELS:
            label = gm.TASK_LEVEL_LABELS[levels[attrs["plan_id"]]]
            expected[label] = expected.get(label, 0) + 1
    assert {"CityTask", "DistrictTask"} <= set(expected)
    for label in gm.TASK_LEVEL_LABELS.values():
        records, _, _ = neo4j_driver.execute_query(f"MATCH (t:{label}) RETURN count(t) AS c")
        assert records[0]["c"] == expected.get(label, 0), label
    # Only live tasks carry them: nothing retired or staged is drawn in Browser.
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (t) WHERE (t:CityTask OR t:DistrictTask) AND NOT t:Task RETURN count(t) AS c"
    )
    assert records[0]["c"] == 0


def test_a_reply_lost_after_the_swap_committed_is_reported_as_loaded(
    neo4j_driver, neo4j_settings, bundled
):
    """The swap commits but its answer never arrives: the loader checks the live stamp."""
    load(bundled, neo4j_driver)
    changed = _changed(bundled)
    proxy = proxy_to(neo4j_settings)
    driver = driver_through(proxy, neo4j_settings, retry_seconds=1.0)

    def lose_the_commit_reply(stage, done, total):
        if stage == "Swapping in" and done == 1:
            proxy.swallow_next_reply()  # the next request is the COMMIT

    def reconnect_later():
        proxy.swallowed.wait(30)
        proxy.reopen()

    import threading

    threading.Thread(target=reconnect_later, daemon=True).start()
    try:
        report = load(changed, driver, progress=lose_the_commit_reply, outcome_wait=30)
    finally:
        driver.close()
        proxy.close()
    assert proxy.swallowed.is_set()
    assert any("new graph is live" in note for note in report.notes)
    assert live_stamp_version(neo4j_driver) == report.load_id
    assert graph_counts(neo4j_driver) == graph_counts_of(changed)
    assert _leftovers(neo4j_driver) == 0
    assert lock_holder(neo4j_driver) is None
    load(bundled, neo4j_driver)


def test_a_line_cut_before_the_commit_is_reported_as_previous_graph_live(
    neo4j_driver, neo4j_settings, bundled
):
    first = load(bundled, neo4j_driver)
    before = graph_counts(neo4j_driver)
    proxy = proxy_to(neo4j_settings)
    driver = driver_through(proxy, neo4j_settings, retry_seconds=1.0)

    def cut_then_reopen(stage, done, total):
        if stage == "Swapping in" and done == 1:  # the swap ran, the COMMIT is not yet sent
            proxy.cut()
            proxy.reopen()  # the loader can reconnect and look

    try:
        with pytest.raises(LoadError, match="did not commit, the previous graph is live"):
            load(_changed(bundled), driver, progress=cut_then_reopen, outcome_wait=30)
    finally:
        driver.close()
        proxy.close()
    assert live_stamp_version(neo4j_driver) == first.load_id
    assert graph_counts(neo4j_driver) == before
    assert lock_holder(neo4j_driver) is None or lock_holder(neo4j_driver).abandoned()


def test_neo4j_silent_after_the_line_dropped_gives_an_unknown_outcome(
    neo4j_driver, neo4j_settings, bundled
):
    first = load(bundled, neo4j_driver)
    proxy = proxy_to(neo4j_settings)
    driver = driver_through(proxy, neo4j_settings, retry_seconds=1.0)

    def cut_for_good(stage, done, total):
        if stage == "Swapping in" and done == 1:
            proxy.cut()

    try:
        with pytest.raises(LoadOutcomeUnknown, match="neo4j-status") as raised:
            load(_changed(bundled), driver, progress=cut_for_good, outcome_wait=2)
    finally:
        driver.close()
        proxy.close()
    assert "\n" not in str(raised.value)
    # The server rolled the open transaction back; the lock the lost load held is abandoned
    # (its load ended in this process), so the next load takes it over and cleans up.
    assert live_stamp_version(neo4j_driver) == first.load_id
    report = load(bundled, neo4j_driver)
    assert any("took over the lock" in note for note in report.notes)
    assert _leftovers(neo4j_driver) == 0


# -- one load at a time -----------------------------------------------------------------------


def test_a_second_load_while_one_runs_is_refused_and_the_first_completes(neo4j_driver, bundled):
    import threading

    load(bundled, neo4j_driver)
    changed = _changed(bundled)
    parked, resume = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def park(stage, done, total):
        if stage == "Loading relationships" and done == 1 and not parked.is_set():
            parked.set()
            resume.wait(60)

    def first():
        try:
            outcome["report"] = load(changed, neo4j_driver, batch_size=100, progress=park)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=first, daemon=True)
    thread.start()
    try:
        assert parked.wait(60), "the first load never started writing"
        holder = lock_holder(neo4j_driver)
        assert holder is not None and not holder.abandoned()
        with pytest.raises(LoadBusy, match="another load is running") as raised:
            load(bundled, neo4j_driver)
        assert "\n" not in str(raised.value) and holder.load[:8] in str(raised.value)
    finally:
        resume.set()
        thread.join(120)
    assert "error" not in outcome, outcome
    assert graph_counts(neo4j_driver) == graph_counts_of(changed)
    assert lock_holder(neo4j_driver) is None
    load(bundled, neo4j_driver)


def _plant_lock(driver, *, host: str, pid: int, idle_seconds: float) -> None:
    driver.execute_query(
        "MERGE (l:_LoadLock {key: 'plangraph'}) SET l.load = 'deadbeef' + toString(rand()), "
        "l.host = $host, l.pid = $pid, l.started_at = 'earlier', "
        "l.heartbeat = timestamp() - $idle_ms",
        host=host,
        pid=pid,
        idle_ms=int(idle_seconds * 1000),
    )


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over(neo4j_driver, bundled):
    import socket

    _plant_lock(neo4j_driver, host=socket.gethostname(), pid=_dead_pid(), idle_seconds=1)
    report = load(bundled, neo4j_driver)
    assert any("took over the lock of an abandoned load deadbeef" in n for n in report.notes)
    assert lock_holder(neo4j_driver) is None


def test_a_lock_of_another_host_is_respected_until_its_heartbeat_is_stale(neo4j_driver, bundled):
    load(bundled, neo4j_driver)
    before = live_stamp_version(neo4j_driver)
    _plant_lock(neo4j_driver, host="elsewhere.example", pid=1, idle_seconds=5)
    with pytest.raises(LoadBusy, match=r"pid 1 on elsewhere\.example"):
        load(_changed(bundled), neo4j_driver)
    assert live_stamp_version(neo4j_driver) == before
    _plant_lock(neo4j_driver, host="elsewhere.example", pid=1, idle_seconds=LOCK_STALE_SECONDS + 5)
    report = load(bundled, neo4j_driver)
    assert any("took over" in note for note in report.notes)
    assert lock_holder(neo4j_driver) is None
