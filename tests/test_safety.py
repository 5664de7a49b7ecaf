"""Safety: nothing a user types becomes Cypher, and secrets stay out of logs and the repository.

1. **Static, Python.** Every Cypher text built at run time (f-string, str.format, %, +) may only
   splice in *vetted* values: module constants, schema constants (gm.LABELS, …), the loader's
   label/type checkers, loop variables over schema constants, or parameters whose every caller
   in the module passes such a value. Every `.run(...)` gets a constant, a vetted build, or a
   parameter of a small reviewed set of pass-through functions.
2. **Static, views.** The queries/*.cypher files never call dynamic-Cypher procedures, never
   concatenate a `$parameter` into a string, and the one that builds a full-text (Lucene) query
   from user words quotes each word after removing `"` and `\\`.
3. **Dynamic.** Every view, and the store's node/search lookups, run with hostile values on a
   recording fake driver: the hostile text reaches Neo4j only as a parameter, never inside a
   query. The loader does the same with hostile node names. With a real Neo4j, every view runs
   with hostile values without a server error.
4. **Secrets.** The local server's password is in no commit of the history (the working tree is
   checked by tests/plangraph/test_neo4j_local.py), and neither the CLI loader's output nor its
   logs show it -- on success or when the server refuses the login. The loader takes no
   password on its command line (it reads --password-file, NEO4J_PASSWORD or a hidden prompt),
   and no process's /proc/<pid>/cmdline shows the password while it loads.

Loopback-only listening is checked by tests/plangraph/test_neo4j_local.py.
"""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGES = ("api", "ingest", "queries", "schema", "plangraph", "benchmarks")
CYPHER_WORDS = re.compile(
    r"\b(MATCH|MERGE|CREATE|RETURN|UNWIND|DETACH DELETE|REMOVE|CALL|WHERE|SET)\b"
)
# Functions that check a label, relationship type, property name or column type against the
# schema before it is spliced (the Neo4j loader's and the embedded database writer's).
VETTING_CALLS = {"_check_label", "_check_type", "_identifier", "_column_type"}
# Functions that return the statements of a project .cypher file (schema/constraints.cypher).
FILE_LOADERS = {"schema_statements"}
# Functions that build Cypher *text for people* (the Browser guide) from a view file's own body,
# result columns and $parameter names -- never from request data -- and never run it. Their
# callers must hand them a registry view's text (checked below).
REVIEWED_BUILDERS = {("api/guide.py", "drawable_query")}
# Schema modules whose UPPER_CASE attributes are fixed vocabularies.
SCHEMA_MODULE_ALIASES = {"gm", "graph_model"}
# `.run(query, …)` inside these functions gets the query from its caller; each entry says why
# that is safe, and test_pass_through_callers_pass_vetted_queries checks the callers.
PASS_THROUGH = {
    ("ingest/neo4j_load.py", "_write"): "query is one of the loader's vetted statements",
    ("queries/neo4j_store.py", "work"): "query is _run's, which BaseStore gives, see below",
}
# Every query a store runs comes through BaseStore._run: its callers are checked below.
READ_CALLERS = ("queries/store.py", "_run")
# BaseStore methods that hand their caller's query to _run (callers checked below).
STORE_PASS_THROUGH = {"_rows_per_graph"}
HOSTILE = "x'}) DETACH DELETE n //\" OR 1=1 \\ name:* AND ~ ]"


def python_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((PROJECT_ROOT / package).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


class Module:
    """One parsed module with what the vetting rules need to know about it."""

    def __init__(self, path: Path):
        self.path = path
        self.name = _rel(path)
        self.tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.constants: set[str] = set()
        for stmt in self.tree.body:
            targets = []
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            for target in targets:
                if isinstance(target, ast.Name) and self._module_level_safe(value):
                    self.constants.add(target.id)
        self.functions = {
            node.name: node
            for node in ast.walk(self.tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }

    def _module_level_safe(self, value: ast.AST) -> bool:
        # Module constants are literals or texts built only from other constants.
        if isinstance(value, ast.Constant):
            return True
        if isinstance(value, ast.JoinedStr):
            return all(self.vetted(part.value, value) for part in _formatted(value))
        return False

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def loop_bindings(self, node: ast.AST) -> dict[str, ast.AST]:
        """Names bound by enclosing for-loops and comprehensions, with what they iterate."""
        bound: dict[str, ast.AST] = {}
        current = node
        while current in self.parents:
            current = self.parents[current]
            loops: list[tuple[ast.AST, ast.AST]] = []
            if isinstance(current, ast.For):
                loops.append((current.target, current.iter))
            if isinstance(current, ast.comprehension):
                loops.append((current.target, current.iter))
            if isinstance(current, ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp):
                loops.extend((gen.target, gen.iter) for gen in current.generators)
            for target, iterable in loops:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound.setdefault(name.id, iterable)
        return bound

    def vetted(self, expr: ast.AST, context: ast.AST, depth: int = 0) -> bool:
        if depth > 6:
            return False
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.Attribute):
            # gm.LABELS, gm.INDICATOR: fixed schema vocabulary.
            return (
                isinstance(expr.value, ast.Name)
                and expr.value.id in SCHEMA_MODULE_ALIASES
                and expr.attr.isupper()
            )
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Name) and func.id in VETTING_CALLS | FILE_LOADERS:
                return True
            # " OR ".join(<generator of vetted parts>)
            if isinstance(func, ast.Attribute) and func.attr == "join":
                return isinstance(func.value, ast.Constant) and all(
                    self.vetted(arg, arg, depth + 1) for arg in expr.args
                )
            return False
        if isinstance(expr, ast.GeneratorExp | ast.ListComp):
            # Each element passes a checking call: where the items come from does not matter.
            if _checked_only(expr.elt):
                return True
            iters_ok = all(self.vetted(g.iter, g.iter, depth + 1) for g in expr.generators)
            return iters_ok and self.vetted(expr.elt, expr.elt, depth + 1)
        if isinstance(expr, ast.JoinedStr):
            return all(self.vetted(p.value, p, depth + 1) for p in _formatted(expr))
        if isinstance(expr, ast.Name):
            if expr.id in self.constants:
                return True
            loops = self.loop_bindings(context)
            if expr.id in loops:
                return self.vetted(loops[expr.id], loops[expr.id], depth + 1)
            function = self.enclosing_function(context)
            if function is not None and expr.id in _params(function):
                return self.callers_vet(function, expr.id, depth + 1)
            if function is not None:
                # A local assigned (only) vetted values.
                values = [
                    node.value
                    for node in ast.walk(function)
                    if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
                ]
                return bool(values) and all(self.vetted(v, v, depth + 1) for v in values)
            return False
        return False

    def callers_vet(self, function: ast.FunctionDef, param: str, depth: int) -> bool:
        """Every call of `function` in this module passes a vetted value for `param`."""
        names = _params(function)
        position = names.index(param)
        calls = [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            == function.name
        ]
        if not calls:
            return False
        for call in calls:
            value = next((k.value for k in call.keywords if k.arg == param), None)
            if value is None and position < len(call.args):
                value = call.args[position]
            if value is None or not self.vetted(value, call, depth):
                return False
        return True


def _params(function: ast.FunctionDef) -> list[str]:
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _formatted(node: ast.JoinedStr) -> list[ast.FormattedValue]:
    return [part for part in node.values if isinstance(part, ast.FormattedValue)]


def _constant_text(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value for p in node.values if isinstance(p, ast.Constant))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def dynamic_cypher(module: Module) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    """(node, spliced expressions) for every run-time built text that reads like Cypher."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.JoinedStr) and CYPHER_WORDS.search(_constant_text(node)):
            yield node, [p.value for p in _formatted(node)]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and CYPHER_WORDS.search(_constant_text(node.func.value))
        ):
            yield node, [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            sides = (node.left, node.right)
            if any(CYPHER_WORDS.search(_constant_text(side)) for side in sides):
                others = [s for s in sides if not isinstance(s, ast.Constant)]
                if isinstance(node.op, ast.Mod) and isinstance(node.right, ast.Tuple):
                    others = list(node.right.elts)
                yield node, others


MODULES = [Module(path) for path in python_files()]


def test_the_scan_sees_the_cypher_code():
    # Guards the scanner itself: the two writers build and run Cypher.
    names = {m.name for m in MODULES}
    assert {"ingest/neo4j_load.py", "schema/embedded_db.py"} <= names
    built = {m.name for m in MODULES for _ in dynamic_cypher(m)}
    assert "ingest/neo4j_load.py" in built and "schema/embedded_db.py" in built


def test_scanner_flags_user_input_formatted_into_cypher():
    source = (
        "STAGE = '_Stage'\n"
        "def ok(tx):\n    tx.run(f'MATCH (n:{STAGE}) RETURN n')\n"
        "def bad(tx, name):\n    tx.run(f\"MATCH (n) WHERE n.name = '{name}' RETURN n\")\n"
        "def caller(tx, request):\n    bad(tx, request.query_params['q'])\n"
        "def worse(tx, q):\n    tx.run('MATCH (n) WHERE n.name = ' + q)\n"
        "def fmt(tx, q):\n    tx.run('MATCH (n {{id: {}}}) RETURN n'.format(q))\n"
    )
    module = Module.__new__(Module)
    path = PROJECT_ROOT / "tests" / "_scanner_probe.py"
    module.path, module.name = path, "probe"
    module.tree = ast.parse(source)
    module.parents = {c: n for n in ast.walk(module.tree) for c in ast.iter_child_nodes(n)}
    module.constants = {"STAGE"}
    unsafe = [
        module.enclosing_function(node).name
        for node, parts in dynamic_cypher(module)
        if not all(module.vetted(part, node) for part in parts)
    ]
    assert sorted(unsafe) == ["bad", "fmt", "worse"]


def test_no_cypher_is_built_from_unvetted_values():
    problems = []
    for module in MODULES:
        for node, parts in dynamic_cypher(module):
            function = module.enclosing_function(node)
            if function is not None and (module.name, function.name) in REVIEWED_BUILDERS:
                continue
            for part in parts:
                if not module.vetted(part, node):
                    problems.append(f"{module.name}:{node.lineno}: {ast.unparse(part)}")
    assert not problems, "Cypher built from values that are not schema constants:\n" + "\n".join(
        problems
    )


def _run_calls(module: Module) -> Iterator[ast.Call]:
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"session", "tx", "transaction"}
        ):
            yield node


def test_every_run_gets_a_constant_or_vetted_query():
    problems = []
    seen = 0
    for module in MODULES:
        for call in _run_calls(module):
            seen += 1
            query = call.args[0] if call.args else None
            if query is None:
                problems.append(f"{module.name}:{call.lineno}: run() without a query")
                continue
            if module.vetted(query, call):
                continue
            function = module.enclosing_function(call)
            key = (module.name, function.name if function else "")
            if isinstance(query, ast.Name) and key in PASS_THROUGH:
                continue
            problems.append(f"{module.name}:{call.lineno}: run({ast.unparse(query)})")
    assert seen >= 5, "the scan found too few run() calls: is it still looking in the right place?"
    assert not problems, "run() with a query that is not vetted:\n" + "\n".join(problems)


def test_reviewed_builders_only_get_registry_view_text():
    from ingest import neo4j_load

    assert neo4j_load.CONSTRAINTS_FILE.resolve().is_relative_to(PROJECT_ROOT / "schema")
    for module_name, builder in REVIEWED_BUILDERS:
        module = next(m for m in MODULES if m.name == module_name)
        calls = [
            node
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == builder
        ]
        assert calls, f"{builder} is no longer called; drop it from REVIEWED_BUILDERS"
        for call in calls:
            caller = module.enclosing_function(call)
            # The text comes from the view object (.cypher, or .text(engine): a
            # queries/*.cypher file either way).
            source = ast.unparse(caller) if caller is not None else ""
            assert ".cypher" in source or ".text(" in source, ast.unparse(call)
        others = [m.name for m in MODULES if m.name != module_name and builder in m.functions]
        assert not others


def _checked_only(expr: ast.AST) -> bool:
    """An expression made only of constants and calls to the checking functions."""

    def checked(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in VETTING_CALLS
        )

    if checked(expr):
        return True
    if isinstance(expr, ast.JoinedStr):
        return all(checked(part.value) for part in _formatted(expr))
    return False


def test_pass_through_callers_pass_vetted_queries():
    store = next(m for m in MODULES if m.name == READ_CALLERS[0])
    calls = [
        node
        for node in ast.walk(store.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == READ_CALLERS[1]
    ]
    assert calls

    def lookup_constant(query: ast.AST) -> bool:
        return (
            isinstance(query, ast.Attribute)
            and isinstance(query.value, ast.Name)
            and query.value.id == "lookups"
            and query.attr.isupper()
        )

    def view_text(query: ast.AST) -> bool:  # ViewSpec.text(engine): a queries/*.cypher file
        return (
            isinstance(query, ast.Call)
            and isinstance(query.func, ast.Attribute)
            and query.func.attr == "text"
        )

    for name in STORE_PASS_THROUGH:
        callers = [
            node
            for node in ast.walk(store.tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == name
        ]
        assert callers, f"{name} is no longer called; drop it from STORE_PASS_THROUGH"
        for caller in callers:
            assert lookup_constant(caller.args[0]) or view_text(caller.args[0]), ast.unparse(caller)
    for call in calls:
        query = call.args[0]
        function = store.enclosing_function(call)
        if isinstance(query, ast.Name) and function is not None:
            assert function.name in STORE_PASS_THROUGH, ast.unparse(call)
            continue  # its callers are checked above
        # A queries.lookups constant, or ViewSpec.text(engine): a queries/*.cypher file's text.
        assert lookup_constant(query) or view_text(query), ast.unparse(query)

    loader = next(m for m in MODULES if m.name == "ingest/neo4j_load.py")
    # The loader's statements: module constants and the two vetted statement builders.
    for name in ("_MERGE_NODES", "_MERGE_ONE_NODE"):
        assert name in loader.constants
    for builder in ("_merge_rels", "_merge_one_rel"):
        returns = [n for n in ast.walk(loader.functions[builder]) if isinstance(n, ast.Return)]
        assert returns and all(loader.vetted(r.value, r) for r in returns), builder


# -- views -----------------------------------------------------------------------------------


def view_texts() -> dict[str, str]:
    return {
        p.name: p.read_text("utf-8") for p in sorted((PROJECT_ROOT / "queries").glob("*.cypher"))
    }


def _code(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def test_views_never_run_dynamic_cypher():
    for name, text in view_texts().items():
        code = _code(text)
        assert not re.search(r"apoc\.(cypher|periodic|do)\.|dbms\.|db\.create", code, re.I), name


def test_views_never_concatenate_a_parameter():
    for name, text in view_texts().items():
        code = _code(text)
        assert not re.search(r"\+\s*\$\w+|\$\w+\s*\+", code), f"{name} concatenates a parameter"


def test_full_text_queries_quote_every_user_word():
    users = {n: t for n, t in view_texts().items() if "db.index.fulltext.queryNodes" in _code(t)}
    assert users, "no view uses the full-text index any more; update this test"
    for name, text in users.items():
        code = _code(text)
        # The Lucene query is never a raw parameter ...
        assert not re.search(r"queryNodes\(\s*'[^']+'\s*,\s*\$", code), name
        # ... quotes and backslashes are removed from each word, and each word is quoted.
        assert "replace(" in code and "'\"'" in code and "'\\\\'" in code, name
        assert "'\"' + replace(replace(term.word" in code, name


# -- dynamic: a recording driver -------------------------------------------------------------


class _Recorder:
    """Enough of neo4j.Driver/Session/Transaction to run the store and the loader offline."""

    def __init__(self):
        self.queries: list[tuple[str, dict[str, Any]]] = []

    # driver
    def session(self, **_: Any) -> _Recorder:
        return self

    def close(self) -> None:
        pass

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    # session
    def execute_read(self, work, *args, **kwargs):
        return work(self, *args, **kwargs)

    execute_write = execute_read

    def begin_transaction(self) -> _Recorder:
        return self

    # transaction
    def commit(self) -> None:
        pass

    # session and transaction
    def run(self, query: str, parameters: dict | None = None, **kwargs: Any) -> _Result:
        params = {**(parameters or {}), **kwargs}
        self.queries.append((query, params))
        return _Result(query)


class _Result:
    def __init__(self, query: str):
        self.query = query

    def __iter__(self):
        return iter(())

    def consume(self) -> None:
        pass

    def single(self, strict: bool = False):
        # The loader checks written counts and that it holds its lock (no other load does);
        # answer what it expects so it runs to the end.
        return {"written": _Result.expected, "c": 1, "load": None}

    expected = 0


def _hostile_params(spec) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for p in spec.params:
        if p.type in ("string", "plan", "agency", "query"):
            params[p.name] = HOSTILE
        elif not p.required:
            continue
        elif p.type == "int":
            params[p.name] = p.minimum if p.minimum is not None else 1
        elif p.type == "float":
            params[p.name] = 1.0
        elif p.type == "bool":
            params[p.name] = True
    return params


def test_views_send_user_text_only_as_parameters():
    from queries.errors import NameNotFound
    from queries.neo4j_store import Neo4jStore
    from queries.registry import all_views

    recorder = _Recorder()
    store = Neo4jStore(recorder)  # type: ignore[arg-type]
    ran = 0
    for name, spec in all_views().items():
        # A hostile plan reference resolving to nothing is also fine.
        with contextlib.suppress(NameNotFound):
            store.run_view(name, _hostile_params(spec))
        ran += 1
    store.node(HOSTILE)
    store.search_names(HOSTILE)
    assert ran >= 5 and recorder.queries
    in_params = 0
    for query, params in recorder.queries:
        assert "DETACH DELETE n //" not in query, query
        in_params += any(HOSTILE in str(v) for v in params.values())
    assert in_params >= 3, "the hostile values never reached Neo4j as parameters"


def test_loader_sends_node_data_only_as_parameters(monkeypatch):
    import networkx as nx

    from ingest import neo4j_load

    graph = nx.MultiDiGraph()
    graph.add_node("plan/1", label="Plan", name=HOSTILE, title=HOSTILE)
    graph.add_node(HOSTILE, label="Task", name=HOSTILE)
    graph.add_edge("plan/1", HOSTILE, key="HAS_TASK", type="HAS_TASK", note=HOSTILE)
    recorder = _Recorder()
    monkeypatch.setattr(neo4j_load, "schema_statements", lambda *a: [])

    def expected_written(tx, query, params, expected):
        _Result.expected = expected
        return original_write(tx, query, params, expected)

    original_write = neo4j_load._write
    monkeypatch.setattr(neo4j_load, "_write", expected_written)
    monkeypatch.setattr(neo4j_load, "_swap", lambda tx, *args: tx.run("SWAP"))
    for loader in (neo4j_load.load, neo4j_load.load_naive):
        recorder.queries.clear()
        loader(graph, recorder)  # type: ignore[arg-type]
        assert any(HOSTILE in _texts(params) for _, params in recorder.queries)
        for query, _ in recorder.queries:
            assert HOSTILE not in query and "DETACH DELETE n //" not in query


def _texts(value: Any) -> list[str]:
    """Every string inside nested parameter values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


@pytest.mark.neo4j
def test_hostile_values_in_every_view_on_real_neo4j(neo4j_settings):
    from queries.errors import NameNotFound, StoreUnavailable
    from queries.neo4j_store import Neo4jStore
    from queries.registry import all_views

    store = Neo4jStore.connect(
        neo4j_settings["NEO4J_URI"], neo4j_settings["NEO4J_USER"], neo4j_settings["NEO4J_PASSWORD"]
    )
    try:
        for name, spec in all_views().items():
            try:
                rows = store.run_view(name, _hostile_params(spec))
            except NameNotFound:
                continue
            except StoreUnavailable as error:
                pytest.fail(f"{name}: {error}")
            assert isinstance(rows, list), name
        assert store.search_names(HOSTILE) == []
        assert store.node(HOSTILE) is None
    finally:
        store.close()


# -- secrets ---------------------------------------------------------------------------------


def test_password_in_no_commit_of_the_history(neo4j_settings):
    password = neo4j_settings["NEO4J_PASSWORD"]
    found = subprocess.run(
        ["git", "log", "--all", "--format=%h", f"-S{password}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "", f"the Neo4j password was committed in {found.stdout}"


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plangraph", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _cli_without_password(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """The CLI with no Neo4j password in its environment (and stdin not a terminal)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEO4J_PASSWORD", "PLANGRAPH_NEO4J_PASSWORD")
    }
    return subprocess.run(
        [sys.executable, "-m", "plangraph", *args],
        cwd=PROJECT_ROOT,
        env={**clean, **env, "PYTHONPATH": str(PROJECT_ROOT), "COLUMNS": "200"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_password_is_no_longer_a_load_neo4j_option():
    result = _cli_without_password(["load-neo4j", "--password", "not-a-secret"], {})
    assert result.returncode == 2
    assert "No such option" in result.stderr
    assert "not-a-secret" not in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "cannot read the password file"), ("", "is empty"), ("  \nsecond line\n", "is empty")],
)
def test_an_unusable_password_file_is_one_clear_error(tmp_path, content, expected):
    password_file = tmp_path / "password"
    if content is not None:
        password_file.write_text(content, encoding="utf-8")
    result = _cli_without_password(["load-neo4j", "--password-file", str(password_file)], {})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(password_file) in lines[0]
    assert "second line" not in result.stderr


def test_no_password_and_no_terminal_says_how_to_give_one():
    result = _cli_without_password(["load-neo4j"], {})
    assert result.returncode == 2
    assert "no Neo4j password" in result.stderr
    assert "--password-file" in result.stderr and "NEO4J_PASSWORD" in result.stderr
    assert "--password " not in result.stderr  # the removed option is not suggested


@pytest.fixture(scope="module")
def small_database(tmp_path_factory) -> Path:
    """The bundled plans' graph as an embedded database, built by the CLI."""
    out = tmp_path_factory.mktemp("load") / "plangraph.lbdb"
    built = _cli(["build", "--db", str(out)], {})
    assert built.returncode == 0, built.stderr
    return out


def _every_command_line() -> Iterator[tuple[int, str]]:
    """(pid, command line) of every process this user can see -- all of them, not only ours."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                raw = handle.read()
        except OSError:  # gone, or a kernel thread we may not read
            continue
        yield int(entry.name), raw.replace(b"\0", b" ").decode(errors="replace")


@pytest.mark.neo4j
@pytest.mark.slow
def test_ps_never_shows_the_password_during_load_neo4j(neo4j_settings, small_database):
    env = {k: neo4j_settings[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
    password = env["NEO4J_PASSWORD"]
    process = subprocess.Popen(
        [sys.executable, "-m", "plangraph", "load-neo4j", "--from", str(small_database)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    scans = 0
    seen_the_loader = False
    try:
        while process.poll() is None:
            for pid, command_line in _every_command_line():
                assert password not in command_line, f"pid {pid} shows the password"
                if pid == process.pid and "load-neo4j" in command_line:
                    seen_the_loader = True
            scans += 1
            time.sleep(0.02)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err.decode(errors="replace")
    assert password.encode() not in out + err
    # Not vacuous: the loader was running, and seen, while every command line was read.
    assert seen_the_loader and scans >= 3, f"{scans} scans, loader seen: {seen_the_loader}"


@pytest.mark.neo4j
@pytest.mark.slow
def test_load_neo4j_asks_for_the_password_on_a_terminal(neo4j_settings, small_database):
    """No password anywhere, stdin a terminal: a hidden prompt, and the typed password works."""
    password = neo4j_settings["NEO4J_PASSWORD"]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEO4J_PASSWORD", "PLANGRAPH_NEO4J_PASSWORD")
    }
    env.update(
        NEO4J_URI=neo4j_settings["NEO4J_URI"],
        NEO4J_USER=neo4j_settings["NEO4J_USER"],
        PYTHONPATH=str(PROJECT_ROOT),
        COLUMNS="200",
    )
    args = [sys.executable, "-m", "plangraph", "load-neo4j", "--from", str(small_database)]
    pid, terminal = pty.fork()  # the child's controlling terminal is this pseudo-terminal
    if pid == 0:  # pragma: no cover - the child: never returns into pytest
        try:
            os.chdir(PROJECT_ROOT)
            os.execve(sys.executable, args, env)
        finally:
            os._exit(127)
    output = b""
    answered = closed = False
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                closed = True
                break
            output += chunk
            # getpass turns echo off (flushing pending input), then writes its " ": answer
            # only after it, or the line discipline would echo the password, then drop it.
            if not answered and b"password" in output.lower() and output.endswith(b": "):
                os.write(terminal, password.encode() + b"\n")
                answered = True
    finally:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:  # still running: stuck (at the prompt?) unless it is closing
            if not closed:
                os.kill(pid, 15)  # do not hang the test run
            _, status = os.waitpid(pid, 0)
        os.close(terminal)
    text = output.decode(errors="replace")
    shown = text.replace(password, "<the password>")  # failure messages must not leak it
    assert answered, shown
    assert password not in text, shown  # hidden input: the terminal never echoed it
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert "loaded" in text


@pytest.mark.neo4j
@pytest.mark.slow
def test_cli_loader_output_never_shows_the_password(neo4j_settings, tmp_path):
    from ingest.build import build_graph
    from schema.graph_model import save_snapshot

    snapshot = tmp_path / "graph.json"
    save_snapshot(build_graph().graph, snapshot)
    env = {k: neo4j_settings[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
    password = env["NEO4J_PASSWORD"]

    ok = _cli(["load-neo4j", "--from", str(snapshot)], env)
    assert ok.returncode == 0, ok.stderr
    assert password not in ok.stdout + ok.stderr

    # The same password from a file, with none in the environment.
    password_file = tmp_path / "password"
    password_file.write_text(password + "\n", encoding="utf-8")
    from_file = _cli_without_password(
        ["load-neo4j", "--from", str(snapshot), "--password-file", str(password_file)],
        {k: env[k] for k in ("NEO4J_URI", "NEO4J_USER")},
    )
    assert from_file.returncode == 0, from_file.stderr
    assert password not in from_file.stdout + from_file.stderr

    # A refused login prints an error: it must name neither the right nor the wrong password.
    wrong = "wrong-" + password[::-1]
    wrong_file = tmp_path / "wrong-password"
    wrong_file.write_text(wrong + "\n", encoding="utf-8")
    refused = _cli(["load-neo4j", "--from", str(snapshot), "--password-file", str(wrong_file)], env)
    assert refused.returncode != 0
    output = refused.stdout + refused.stderr
    assert password not in output and wrong not in output
    assert "fail" in output.lower() or "auth" in output.lower()


@pytest.mark.neo4j
def test_driver_and_loader_logs_never_show_the_password(neo4j_settings, caplog):
    from neo4j import GraphDatabase

    from ingest.build import build_graph
    from ingest.neo4j_load import load

    password = neo4j_settings["NEO4J_PASSWORD"]
    caplog.set_level(logging.DEBUG)  # the driver logs connection details at DEBUG
    with GraphDatabase.driver(
        neo4j_settings["NEO4J_URI"], auth=(neo4j_settings["NEO4J_USER"], password)
    ) as driver:
        load(build_graph().graph, driver)
    assert caplog.records, "nothing was logged: the check would pass vacuously"
    assert password not in caplog.text
