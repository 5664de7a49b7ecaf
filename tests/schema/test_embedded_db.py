"""The embedded database file: what build writes, serve opens, and what it refuses."""

from __future__ import annotations

import os

import ladybug
import networkx as nx
import pytest

from schema import embedded_db
from schema import graph_model as gm


@pytest.fixture(scope="module")
def graph(bundled_graph) -> nx.MultiDiGraph:
    return bundled_graph


def test_a_written_database_reads_back_as_the_same_graph(graph, tmp_path):
    path = embedded_db.write_database(graph, tmp_path / "g.lbdb")
    back = embedded_db.read_graph(path)
    assert gm.snapshot_data(back) == gm.snapshot_data(graph)
    assert back.graph == graph.graph


def test_writing_reports_progress_and_leaves_no_temporary(graph, tmp_path):
    seen: list[tuple[str, int, int]] = []
    embedded_db.write_database(graph, tmp_path / "g.lbdb", lambda *step: seen.append(step))
    assert seen and seen[-1][1] == seen[-1][2] == graph.number_of_nodes() + graph.number_of_edges()
    assert [p.name for p in tmp_path.iterdir()] == ["g.lbdb"]


def test_a_rewrite_replaces_the_file_a_reader_has_open(graph, tmp_path):
    path = embedded_db.write_database(graph, tmp_path / "g.lbdb")
    reader = embedded_db.open_database(path)
    try:
        small = nx.MultiDiGraph(plans=[])
        small.add_node("p", id="p", name="只有一个", label=gm.PLAN)
        embedded_db.write_database(small, path)
        # The open reader still answers from the file it opened; a new one sees the new graph.
        old = ladybug.Connection(reader).execute("MATCH (p:Plan) RETURN count(p)")
        assert old.get_all()[0][0] == 2  # type: ignore[union-attr]
    finally:
        reader.close()
    assert embedded_db.read_graph(path).number_of_nodes() == 1


def test_opening_is_read_only(graph, tmp_path):
    path = embedded_db.write_database(graph, tmp_path / "g.lbdb")
    before = (path.stat().st_size, path.stat().st_mtime_ns)
    db = embedded_db.open_database(path)
    try:
        with pytest.raises(RuntimeError, match="read-only"):
            ladybug.Connection(db).execute("CREATE (:Plan {id: 'x', name: 'x'})")
    finally:
        db.close()
    assert (path.stat().st_size, path.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.write_text('{"format": "plangraph-snapshot"}'), "not an embedded plangraph"),
        (lambda p: p.write_bytes(os.urandom(8192)), "not an embedded plangraph"),
        (lambda p: p.write_bytes(b""), "not an embedded plangraph"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "no such database"),
    ],
    ids=["json", "random", "empty", "directory", "missing"],
)
def test_a_foreign_damaged_or_missing_file_is_refused_in_one_line(tmp_path, make, says):
    path = tmp_path / "g.lbdb"
    make(path)
    with pytest.raises(embedded_db.EmbeddedDatabaseError) as error:
        embedded_db.open_database(path)
    assert says in str(error.value) and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_a_ladybug_database_plangraph_did_not_write_is_refused(tmp_path):
    path = tmp_path / "other.lbdb"
    db = ladybug.Database(str(path))
    ladybug.Connection(db).execute("CREATE NODE TABLE Thing(id STRING PRIMARY KEY)")
    db.close()
    with pytest.raises(embedded_db.EmbeddedDatabaseError, match="not one plangraph wrote"):
        embedded_db.open_database(path)


def test_a_database_of_another_format_version_asks_for_a_rebuild(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(embedded_db, "VERSION", "0")
    path = embedded_db.write_database(graph, tmp_path / "old.lbdb")
    monkeypatch.undo()
    with pytest.raises(embedded_db.EmbeddedDatabaseError, match="rebuild it"):
        embedded_db.open_database(path)


def test_every_model_property_has_a_column_and_names_are_checked():
    for statement in embedded_db.ddl():
        assert statement.startswith(("CREATE NODE TABLE", "CREATE REL TABLE"))
    for label in gm.LABELS:
        assert set(gm.NODE_PROPERTIES[label]) <= set(embedded_db.node_columns(label))
    with pytest.raises(embedded_db.EmbeddedDatabaseError):
        embedded_db._identifier("name}) DETACH DELETE n //")


def test_a_column_no_node_sets_stays_null(tmp_path):
    # LadybugDB cannot type a parameter column that is null in every row; the writer leaves
    # such columns out rather than failing.
    g = nx.MultiDiGraph()
    g.add_node("a", id="a", name="甲", label=gm.TASK)
    g.add_node("b", id="b", name="乙", label=gm.TASK)
    g.add_edge("a", "b", key=gm.ALIGNS_WITH, type=gm.ALIGNS_WITH, score=0.5)
    back = embedded_db.read_graph(embedded_db.write_database(g, tmp_path / "g.lbdb"))
    assert back.edges["a", "b", gm.ALIGNS_WITH] == {"type": gm.ALIGNS_WITH, "score": 0.5}
