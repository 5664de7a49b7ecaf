"""The `plangraph` command line.

This is the composition root: it wires ingest (reading, parsing, building), queries (stores and
views) and api (the HTTP service) together, so those layers never import each other upwards.
Heavy imports (jieba, networkx, the Neo4j driver, FastAPI) happen inside commands to keep
`plangraph --help` instant.
"""

from __future__ import annotations

import csv
import io
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
from plangraph.paths import DEFAULT_DECISIONS, DEFAULT_PLANS_DIR

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
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(row.get(key)) for key in columns})
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key in columns))
    console.print(table)
    err_console.print(f"{len(rows)} row(s)", style="dim")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(_cell(item) for item in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


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


def _plan_files(files: Iterable[Path]) -> list[Path]:
    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            paths.extend(sorted(p for p in item.iterdir() if p.suffix == ".txt"))
        elif item.exists():
            paths.append(item)
        else:
            raise fail(f"{item}: no such file or directory")
    if not paths:
        raise fail("no plan files (*.txt) found")
    return paths


def _build(files: list[Path], decisions: Path | None):
    from ingest.build import build_graph
    from ingest.errors import PlanError

    progress, report = _progress_bar()
    try:
        with progress:
            result = build_graph(_plan_files(files), progress=report, decisions_path=decisions)
    except PlanError as error:
        raise fail(error.describe()) from None
    for message in result.warnings:
        warn(message)
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
    from schema.snapshot import save_snapshot

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

    app_ = create_app(_store_factory(store, snapshot, plans))
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
    return lambda: EmbeddedStore(_build([plans], DEFAULT_DECISIONS).graph)


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
