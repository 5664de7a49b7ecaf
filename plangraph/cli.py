"""The `plangraph` command line.

This is the composition root: it wires ingest (reading, parsing, building), queries (stores and
views) and api (the HTTP service) together, so those layers never import each other upwards.
Heavy imports (jieba, networkx, the Neo4j driver, FastAPI) happen inside commands to keep
`plangraph --help` instant.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from plangraph import __version__
from schema.paths import DEFAULT_DECISIONS, DEFAULT_PLANS_DIR

app = typer.Typer(
    name="plangraph",
    help="Turn Chinese government action plans into a knowledge graph, and query it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

# Exit code for "the input is wrong": distinct from 1 (a bug or an outage) so scripts can tell.
EXIT_BAD_INPUT = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class StoreKind(StrEnum):
    embedded = "embedded"
    neo4j = "neo4j"


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"plangraph {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Turn Chinese government action plans into a knowledge graph, and query it."""


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print one clear error line and give the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", highlight=False)


def print_json(data: Any) -> None:
    # ensure_ascii=False: analysts read the Chinese, not \\uXXXX escapes.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def emit_rows(rows: list[dict[str, Any]], fmt: OutputFormat, title: str | None = None) -> None:
    """Rows as a terminal table, a JSON list of objects, or CSV with a header."""
    from queries.tabular import cell_text, columns_of, rows_to_csv

    if fmt is OutputFormat.json:
        print_json(rows)
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(rows_to_csv(rows))
        return
    table = Table(title=title, show_lines=False)
    columns = columns_of(rows)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(cell_text(row.get(key)) for key in columns))
    console.print(table)
    err_console.print(f"{len(rows)} row(s)", style="dim")


def _load_plan_or_exit(path: Path):
    from ingest.errors import PlanError
    from ingest.pipeline import load_plan

    try:
        plan = load_plan(path)
    except PlanError as error:
        raise fail(error.describe()) from None
    for message in plan.warnings:
        warn(message)
    return plan


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A plan as a text file (UTF-8 or GB18030).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Read one plan and show its structure: goals, action groups, tasks, bureaus, measures."""
    plan = _load_plan_or_exit(file)
    if as_json:
        print_json(plan.to_dict())
        return
    from ingest.render import plan_tree

    console.print(plan_tree(plan))


def _progress_bar() -> tuple[Any, Callable[[str, int, int], None]]:
    """A rich progress bar and the callback the builders report to: (stage, done, total)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return progress, report


def _plan_files(items: Iterable[Path]) -> list[Path]:
    from ingest.build import expand_paths

    missing = [str(item) for item in items if not item.exists()]
    if missing:
        raise fail(f"{', '.join(missing)}: no such file or directory")
    paths = expand_paths(items)
    if not paths:
        raise fail("no plan files found (a folder contributes its *.txt files)")
    return paths


def _decisions(path: Path | None) -> tuple[Any, ...]:
    """The analysts' decisions, read once. The project's file may be absent; a named one not."""
    from ingest.build import read_decisions
    from ingest.errors import PlanError

    try:
        return read_decisions(None if path == DEFAULT_DECISIONS else path)
    except PlanError as error:
        raise fail(error.describe()) from None


def _report_problems(problems: Iterable[Any]) -> None:
    """Decisions not applied as written: `build` and `align` print the very same lines."""
    for problem in problems:
        warn(str(problem))


def _build(files: list[Path], decisions: Path | None):
    from ingest.build import build_graph
    from ingest.errors import PlanError

    loaded = _decisions(decisions)
    progress, report = _progress_bar()
    try:
        with progress:
            result = build_graph(_plan_files(files), progress=report, decisions=loaded)
    except PlanError as error:
        raise fail(error.describe()) from None
    for message in result.warnings:
        warn(message)
    _report_problems(result.problems)
    return result


@app.command()
def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan files or folders (default: the bundled data/plans/)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the graph snapshot (JSON) here.")
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option(help="Analysts' alignment decisions (TSV).")
    ] = DEFAULT_DECISIONS,
) -> None:
    """Parse, extract, align and build the graph; optionally save a snapshot."""
    from schema.graph_model import save_snapshot

    result = _build(files or [DEFAULT_PLANS_DIR], decisions)
    graph = result.graph
    console.print(
        f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships "
        f"from {len(result.plans)} plan(s)"
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        save_snapshot(graph, out)
        console.print(f"snapshot written to {out}")


@app.command()
def serve(
    store: Annotated[StoreKind, typer.Option(help="Where the graph lives.")] = StoreKind.embedded,
    snapshot: Annotated[
        Path | None, typer.Option(help="Embedded store: load this snapshot instead of building.")
    ] = None,
    plans: Annotated[
        Path, typer.Option(help="Embedded store without a snapshot: build from these plans.")
    ] = DEFAULT_PLANS_DIR,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
) -> None:
    """Serve the HTTP API (docs at /docs) on the embedded store or Neo4j."""
    import uvicorn

    from api.app import create_app

    app_ = create_app(_store_factory(store, snapshot, plans), store_kind=store.value)
    console.print(f"plangraph API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run(app_, host=host, port=port, log_level="info")


def _store_factory(kind: StoreKind, snapshot: Path | None, plans: Path):
    """A zero-argument callable that opens the store; the API calls it once at start-up."""
    if kind is StoreKind.neo4j:
        from queries.neo4j_store import Neo4jStore

        settings = _neo4j_settings(None, None, None)
        return lambda: Neo4jStore.connect(**settings)

    from queries.embedded_store import EmbeddedStore

    if snapshot is not None:
        if not snapshot.exists():
            raise fail(f"{snapshot}: snapshot not found (run `plangraph build --out {snapshot}`)")
        return lambda: EmbeddedStore.from_snapshot(snapshot)
    # Built here, before the server starts, so a bad plan is a clean CLI error, not a failed
    # lifespan inside uvicorn.
    graph = _build([plans], DEFAULT_DECISIONS).graph
    return lambda: EmbeddedStore(graph)


def _neo4j_settings(uri: str | None, user: str | None, password: str | None) -> dict[str, str]:
    """Connection settings from options, then the environment; never from code."""
    settings = {
        "uri": uri or os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        "user": user or os.environ.get("NEO4J_USER", "neo4j"),
        "password": password or os.environ.get("NEO4J_PASSWORD", ""),
    }
    if not settings["password"]:
        raise fail(
            "no Neo4j password: pass --password or set NEO4J_PASSWORD "
            '(for the local server: eval "$(scripts/neo4j-local env)")'
        )
    return settings


def _graph_from(snapshot: Path | None, plans: Path | None):
    """The graph from a snapshot if given, else built from plans (default: data/plans/)."""
    if snapshot is not None:
        from schema.graph_model import SnapshotError, load_snapshot

        try:
            return load_snapshot(snapshot)
        except (OSError, SnapshotError) as error:
            raise fail(f"{snapshot}: cannot read snapshot: {error}") from None
    return _build([plans or DEFAULT_PLANS_DIR], DEFAULT_DECISIONS).graph


@app.command()
def align(
    child: Annotated[Path, typer.Argument(help="The district (child) plan.")],
    parent: Annotated[Path, typer.Argument(help="The city (parent) plan it implements.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    review: Annotated[
        bool, typer.Option("--review", help="List only the links worth a human look.")
    ] = False,
    decisions: Annotated[
        Path | None, typer.Option(help="Analysts' decisions to apply (TSV).")
    ] = DEFAULT_DECISIONS,
) -> None:
    """Which parent task does each child task implement? Tasks, groups, goals, measures, targets."""
    from ingest.alignment import Curation, alignment_table, review_table
    from ingest.alignment import align as align_plans

    child_plan, parent_plan = _load_plan_or_exit(child), _load_plan_or_exit(parent)
    curation = Curation(_decisions(decisions), [child_plan, parent_plan])
    result = curation.apply(align_plans(child_plan, parent_plan))
    _report_problems(curation.problems())
    if as_json:
        data = result.to_dict()
        print_json(data["review"] if review else data)
    elif review:
        console.print(review_table(result))
    else:
        console.print(alignment_table(result))


@app.command(name="eval")
def evaluate() -> None:
    """Alignment quality against the hand labels, beside the plain TF-IDF baseline."""
    from ingest.evaluation import evaluate_labelled_pairs, figures_table

    console.print(figures_table(evaluate_labelled_pairs()))


@app.command()
def views(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """List the named views with their parameters."""
    from queries.registry import list_views

    rows = [
        {
            "view": view["name"],
            "title": view["title"],
            "parameters": [p["name"] + ("" if p["required"] else "?") for p in view["params"]],
        }
        for view in list_views()
    ]
    emit_rows(rows, fmt, title="views")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param {pair!r}: expected key=value")
        params[key.strip()] = value
    return params


@app.command()
def view(
    name: Annotated[str, typer.Argument(help="A view name (see `plangraph views`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")
    ] = None,
    store: Annotated[StoreKind, typer.Option(help="Where the graph lives.")] = StoreKind.embedded,
    snapshot: Annotated[Path | None, typer.Option(help="Embedded store: a snapshot.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Run one named view on the embedded store or Neo4j."""
    from queries.errors import StoreUnavailable, UnknownView, ViewParameterError

    params = _parse_params(param or [])
    opened = _store_factory(store, snapshot, DEFAULT_PLANS_DIR)()
    try:
        rows = opened.run_view(name, params)
    except (UnknownView, ViewParameterError) as error:
        raise fail(str(error)) from None
    except StoreUnavailable as error:
        raise fail(f"Neo4j unavailable: {error}", code=1) from None
    finally:
        opened.close()
    emit_rows(rows, fmt, title=name)


@app.command(name="load-neo4j")
def load_neo4j(
    snapshot: Annotated[
        Path | None, typer.Option(help="Load this snapshot (default: build from data/plans/).")
    ] = None,
    uri: Annotated[str | None, typer.Option(help="Bolt URI (env NEO4J_URI).")] = None,
    user: Annotated[str | None, typer.Option(help="User (env NEO4J_USER).")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (env NEO4J_PASSWORD).", show_default=False)
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND batch.")] = 1000,
) -> None:
    """Replace the graph in Neo4j with this one: constraints first, batched, all or nothing."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from ingest.neo4j_load import LoadError, apply_schema, load

    graph = _graph_from(snapshot, None)
    settings = _neo4j_settings(uri, user, password)
    driver = GraphDatabase.driver(settings["uri"], auth=(settings["user"], settings["password"]))
    progress, report = _progress_bar()
    try:
        apply_schema(driver)
        with progress:
            result = load(graph, driver, batch_size=batch_size, progress=report)
    except (LoadError, ServiceUnavailable, AuthError) as error:
        raise fail(f"load into {settings['uri']} failed, previous graph kept: {error}", 1) from None
    finally:
        driver.close()
    console.print(
        f"loaded {result.nodes} nodes and {result.relationships} relationships into "
        f"{settings['uri']} in {result.seconds:.1f} s ({result.transactions} transactions)"
    )
    console.print(
        "Neo4j Browser: apply the style with "
        "[bold]:style http://127.0.0.1:8000/browser/style.grass[/] and open the guide with "
        "[bold]:play http://127.0.0.1:8000/guide[/] (while `plangraph serve` runs)."
    )


class ExportFormat(StrEnum):
    graphml = "graphml"
    json = "json"
    neo4j_csv = "neo4j-csv"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("export"),
    snapshot: Annotated[
        Path | None, typer.Option(help="Export this snapshot (default: build from data/plans/).")
    ] = None,
) -> None:
    """Export the graph: GraphML (Gephi), node-link JSON, or the neo4j-admin import CSV set."""
    from ingest.export import export as export_graph

    for path in export_graph(_graph_from(snapshot, None), fmt.value, out):
        console.print(f"wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
