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
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from plangraph import __version__
from plangraph.options import DatabaseOption, SourceOption, StoreKind, StoreOption
from schema.paths import DEFAULT_DECISIONS, DEFAULT_PLANS_DIR

app = typer.Typer(
    name="plangraph",
    help="Turn Chinese government action plans into a knowledge graph, and query it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)

# Exit code for "the input is wrong": distinct from 1 (a bug or an outage) so scripts can tell.
EXIT_BAD_INPUT = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table (the terminal), json, csv or xlsx (needs --out); default: by --out's "
        "suffix, else table. CSV on stdout has no byte-order mark; a CSV file gets one so "
        "Excel reads the Chinese right.",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file (json, csv, xlsx) instead of stdout."),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        "-c",
        help="Comma-separated columns to show, in this order (any format). Default: all "
        "columns, but a terminal table shows the view's main ones that fit its width.",
    ),
]


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
    # One error is one line, whatever the terminal's width or a library's message (the Neo4j
    # driver's span lines): scripts grep it.
    message = " ".join(line.strip() for line in message.splitlines() if line.strip())
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    # ensure_ascii=False: analysts read the Chinese, not \\uXXXX escapes.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def output_format(fmt: OutputFormat | None, out: Path | None) -> OutputFormat:
    """The format asked for, else the one --out's suffix names, else a terminal table; a
    combination that cannot be written is refused (exit 2) before any work."""
    from plangraph.desk import check_output

    if out is not None:
        check_output(out, f"rows.{fmt.value if fmt and fmt is not OutputFormat.table else 'xlsx'}")
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        fmt = OutputFormat(suffix) if suffix in ("json", "csv", "xlsx") else OutputFormat.table
    if fmt is OutputFormat.xlsx and out is None:
        raise fail("--format xlsx needs --out FILE.xlsx (a workbook is not terminal text)")
    if fmt is OutputFormat.table and out is not None:
        raise fail(f"--out {out}: name a .json, .csv or .xlsx file, or give --format")
    return fmt


def chosen_columns(rows: list[dict[str, Any]], columns: str | None) -> list[str] | None:
    """The columns --columns names, checked against the rows' (exit 2 naming them)."""
    if columns is None:
        return None
    from queries.tabular import columns_of

    wanted = [c.strip() for c in columns.split(",") if c.strip()]
    known = columns_of(rows)
    unknown = [c for c in wanted if c not in known]
    if not wanted or (rows and unknown):
        raise fail(
            f"--columns: {'no column named' if wanted else 'name at least one column'}"
            f"{' ' + ', '.join(unknown) if unknown else ''} (the columns: {', '.join(known)})"
        )
    return wanted


def emit_rows(
    rows: list[dict[str, Any]],
    fmt: OutputFormat | None,
    title: str | None = None,
    *,
    out: Path | None = None,
    columns: list[str] | None = None,
    preferred: tuple[str, ...] = (),
) -> None:
    """Rows as a terminal table, a JSON list of objects, CSV with a header, or an Excel
    sheet; to stdout or, with `out`, to a file written whole. JSON, CSV and Excel carry every
    column unless `columns` names some; the terminal table shows the `preferred` columns (or
    all) that fit the terminal's width and says how many it hid."""
    from queries.tabular import (
        brief_text,
        column_widths,
        columns_of,
        csv_file_bytes,
        fit_columns,
        rows_to_csv,
    )

    fmt = output_format(fmt, out)
    every = columns_of(rows)
    if fmt is not OutputFormat.table:
        picked = columns if columns is not None else every
        if fmt is OutputFormat.json:
            shown = rows if columns is None else [{k: row.get(k) for k in picked} for row in rows]
            text = json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
            if out is None:
                sys.stdout.write(text)
                return
            data = text.encode("utf-8")
        elif fmt is OutputFormat.csv:
            if out is None:
                sys.stdout.write(rows_to_csv(rows, picked))
                return
            data = csv_file_bytes(rows, picked)
        else:
            from queries.workbook import rows_workbook

            data = rows_workbook(rows, title=title or "rows", columns=picked)
        from plangraph.desk import save

        assert out is not None  # output_format refused xlsx without a file

        save(out, data)
        return
    shown_columns = columns or fit_columns(rows, list(preferred) or every, console.width)
    table = Table(title=title, show_lines=False)
    widths = column_widths(rows, shown_columns, console.width)
    for column in shown_columns:
        table.add_column(column, overflow="fold", width=widths[column])
    for row in rows:
        table.add_row(*(brief_text(row.get(key)) for key in shown_columns))
    console.print(table)
    hidden = [c for c in every if c not in shown_columns]
    note = f"{len(rows)} row(s)"
    if hidden:
        note += (
            f"; {len(hidden)} of {len(every)} columns hidden ({', '.join(hidden)}): "
            "--columns to choose, --format json/csv/xlsx for all"
        )
    err_console.print(note, style="dim", highlight=False, soft_wrap=True)


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
    file: Annotated[
        Path,
        typer.Argument(help="A plan: text in any Chinese encoding, HTML, .docx or PDF with text."),
    ],
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


def _output_file(path: Path) -> Path:
    """A file path the command will write, checked before any work: not a folder, under
    folders (not files), in a place this user may write. One line and exit 2 otherwise."""
    if path.is_dir():
        raise fail(f"{path}: is a folder; give a file name such as {path / 'plangraph.lbdb'}")
    _check_writable_under(path, path.parent)
    return path


def _output_folder(path: Path) -> Path:
    """A folder the command will write files into (created if missing), checked the same way."""
    if path.exists() and not path.is_dir():
        raise fail(f"{path}: is a file; --out takes a folder")
    _check_writable_under(path, path)
    return path


def _check_writable_under(path: Path, folder: Path) -> None:
    """`folder` (or the nearest existing folder above it, where `path` will be created) is a
    folder this user may write in."""
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        raise fail(f"{path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise fail(f"{path}: cannot write in {folder}")


def _decisions(path: Path | None) -> tuple[Any, ...]:
    """The analysts' decisions, read once. The project's file may be absent; a named one not."""
    from ingest.build import read_decisions
    from ingest.errors import PlanError

    if path is not None and path != DEFAULT_DECISIONS and path.is_dir():
        raise fail(f"{path}: is a folder, not a decisions file (TSV)")
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


def _settings(**overrides: Any):
    """The settings from the environment, with the options the user gave on top."""
    from queries.settings import Settings

    return Settings(**{k: v for k, v in overrides.items() if v is not None})


@app.command()
def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan files or folders (default: the bundled data/plans/)."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", "-o", help="Write the embedded database here (env PLANGRAPH_DATABASE)."
        ),
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option(help="Analysts' alignment decisions (TSV).")
    ] = DEFAULT_DECISIONS,
) -> None:
    """Parse, extract, align and build the graph into the embedded database."""
    from schema.embedded_db import EmbeddedDatabaseError, write_database

    target = _output_file(_settings(database=db).database)
    result = _build(files or [DEFAULT_PLANS_DIR], decisions)
    graph = result.graph
    console.print(
        f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships "
        f"from {len(result.plans)} plan(s)"
    )
    progress, report = _progress_bar()
    try:
        with progress:
            write_database(graph, target, progress=report)
    except (OSError, EmbeddedDatabaseError) as error:
        raise fail(f"{target}: cannot write the database: {error}") from None
    console.print(f"database written to {target}")


@app.command()
def serve(
    store: StoreOption = None,
    db: DatabaseOption = None,
    plans: Annotated[
        Path | None,
        typer.Option(help="Embedded store: build from these plans in memory instead."),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    allow_curation: Annotated[
        bool,
        typer.Option(
            help="Let the explore page confirm, reject and add alignment links, written to "
            "--decisions (127.0.0.1 only; a rebuild applies them)."
        ),
    ] = False,
    decisions: Annotated[
        Path,
        typer.Option(
            help="The analysts' decisions (TSV): --plans applies them, --allow-curation "
            "writes to them."
        ),
    ] = DEFAULT_DECISIONS,
    access_log: Annotated[
        bool,
        typer.Option(help="Log every request (off by default: it costs more than an answer)."),
    ] = False,
) -> None:
    """Serve the HTTP API (docs at /docs) on the embedded store or Neo4j."""
    import uvicorn

    from api.app import create_app, server_options

    curation = _curation_access(host, decisions) if allow_curation else None
    settings = _settings(store=store and store.value, database=db)
    factory = _store_factory(settings, plans, decisions)
    app_ = create_app(factory, store_kind=settings.store, curation=curation)
    if curation is not None:
        console.print(
            f"curation on: the explore page writes decisions to {decisions} "
            "(run `plangraph build` to apply them)"
        )
    console.print(f"plangraph API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run(app_, host=host, port=port, **server_options(access_log=access_log))


def _curation_access(host: str, decisions: Path):
    """The review routes' access, refused unless the server is reachable from this machine only:
    they write a file, and the token guards against other sites' pages, not other hosts."""
    from api.routers.curation import CurationAccess
    from schema.decisions import DecisionsFileError, read_decisions_file

    if host != "127.0.0.1":
        raise fail(f"--allow-curation serves on 127.0.0.1 only, not --host {host}")
    if decisions.is_dir():
        raise fail(f"{decisions}: is a folder, not a decisions file (TSV)")
    if decisions.exists():
        try:
            read_decisions_file(decisions)  # a broken file is refused now, not on a click
        except DecisionsFileError as error:
            raise fail(str(error)) from None
    elif not decisions.parent.is_dir():
        raise fail(f"{decisions}: its folder {decisions.parent} does not exist")
    return CurationAccess(decisions=decisions.resolve())


def _store_factory(
    settings: Any, plans: Path | None = None, decisions: Path | None = DEFAULT_DECISIONS
):
    """A zero-argument callable that opens the store; the API calls it once at start-up.
    With `plans`, the graph is built from them with `decisions` applied."""
    from queries.embedded_store import EmbeddedStore
    from queries.settings import SettingsError, open_store
    from schema.embedded_db import EmbeddedDatabaseError, open_database

    if settings.store == "embedded" and plans is not None:
        # Built here, before the server starts, so a bad plan is a clean CLI error.
        graph = _build([plans], decisions).graph
        return lambda: EmbeddedStore.from_graph(graph)
    try:
        if settings.store == "embedded":
            open_database(settings.database).close()  # refused now, not inside the server
        else:
            open_store(settings)
    except (EmbeddedDatabaseError, SettingsError) as error:
        raise fail(str(error)) from None
    return lambda: open_store(settings)


def _graph_inputs() -> list[Path]:
    """What a build of the bundled plans depends on: the plan files and their folder (a plan
    removed changes it), the decisions, and the builder's own code and lexicons."""
    from ingest.build import expand_paths

    code = [
        path
        for package in ("ingest", "schema")
        for path in (Path(__file__).resolve().parent.parent / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return [DEFAULT_PLANS_DIR, *expand_paths([DEFAULT_PLANS_DIR]), DEFAULT_DECISIONS, *code]


def _built_graph() -> tuple[Any, str]:
    """The graph of the bundled plans: the built embedded database when it is up to date
    (written after every input of the build, and of the same plan files), else a new build.
    Also says, in words, which it is."""
    from ingest.build import expand_paths
    from schema.embedded_db import EmbeddedDatabaseError, is_embedded_database, read_graph

    database = _settings().database
    reason = f"no built database at {database}"
    if is_embedded_database(database):
        built = database.stat().st_mtime_ns
        newer = [p for p in _graph_inputs() if p.exists() and p.stat().st_mtime_ns > built]
        reason = f"{database} is older than {newer[0]}" if newer else ""
    if not reason:
        try:
            graph = read_graph(database)
        except (OSError, EmbeddedDatabaseError) as error:
            reason = f"{database} cannot be read: {error}"
        else:
            files = {p.name for p in expand_paths([DEFAULT_PLANS_DIR])}
            planned = {
                attrs.get("source_file")
                for _, attrs in graph.nodes(data=True)
                if attrs["label"] == "Plan" and not attrs.get("stub")
            }
            if planned == files:
                return graph, f"{database} (up to date with {DEFAULT_PLANS_DIR})"
            reason = f"{database} holds other plans than {DEFAULT_PLANS_DIR}"
    return _build([DEFAULT_PLANS_DIR], DEFAULT_DECISIONS).graph, (
        f"built from {DEFAULT_PLANS_DIR} ({reason})"
    )


def _graph_from(source: Path | None):
    """The graph of an embedded database or a JSON snapshot; by default the bundled plans'
    (their built database when up to date). Says which on stderr."""
    if source is None:
        graph, described = _built_graph()
        err_console.print(f"graph: {described}", highlight=False, soft_wrap=True)
        return graph
    from schema.embedded_db import EmbeddedDatabaseError, is_embedded_database, read_graph
    from schema.graph_model import SnapshotError, load_snapshot

    try:
        graph = read_graph(source) if is_embedded_database(source) else load_snapshot(source)
    except (OSError, SnapshotError, EmbeddedDatabaseError) as error:
        # The readers' messages name the file already; say it once.
        message = str(error) if str(source) in str(error) else f"{source}: {error}"
        raise fail(f"cannot read the graph: {message}") from None
    err_console.print(f"graph: {source}", highlight=False, soft_wrap=True)
    return graph


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
    fmt: FormatOption = None,
    out: OutOption = None,
) -> None:
    """Which parent task does each child task implement? Tasks, groups, goals, measures, targets.

    CSV is one row per link at every level (and per item left without a partner); Excel adds
    sheets for the target cascades and the links worth a review."""
    from ingest.alignment import Curation, alignment_table, review_table
    from ingest.alignment import align as align_plans
    from plangraph.desk import alignment_rows, alignment_workbook, review_rows, save

    if as_json and fmt not in (None, OutputFormat.json):
        raise fail(f"--json and --format {fmt} disagree; give one")
    fmt = output_format(OutputFormat.json if as_json else fmt, out)
    child_plan, parent_plan = _load_plan_or_exit(child), _load_plan_or_exit(parent)
    curation = Curation(_decisions(decisions), [child_plan, parent_plan])
    result = curation.apply(align_plans(child_plan, parent_plan))
    _report_problems(curation.problems())
    if fmt is OutputFormat.json:
        data = result.to_dict()
        chosen = data["review"] if review else data
        if out is None:
            print_json(chosen)
        else:
            save(out, (json.dumps(chosen, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    elif fmt is OutputFormat.xlsx:
        assert out is not None  # output_format refused xlsx without a file
        save(out, alignment_workbook(result, child_plan, parent_plan))
    elif fmt is OutputFormat.csv:
        rows = review_rows(result) if review else alignment_rows(result, child_plan, parent_plan)
        emit_rows(rows, fmt, out=out)
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
def views(fmt: FormatOption = None, out: OutOption = None) -> None:
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
    emit_rows(rows, fmt, title="views", out=out)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param {pair!r}: expected key=value")
        params[key.strip()] = value
    return params


def on_store(store: StoreKind | None, db: Path | None, work: Callable[[Any], T]) -> T:
    """work(store) on the store the options name, closed afterwards: a bad view, parameter or
    name exits 2 with one line, an outage 1."""
    from queries.errors import NameNotFound, StoreUnavailable, UnknownView, ViewParameterError

    opened = _store_factory(_settings(store=store and store.value, database=db))()
    try:
        return work(opened)
    except (UnknownView, ViewParameterError, NameNotFound) as error:
        raise fail(str(error)) from None
    except StoreUnavailable as error:
        raise fail(f"graph store unavailable: {error}", code=1) from None
    finally:
        opened.close()


@app.command()
def view(
    name: Annotated[str, typer.Argument(help="A view name (see `plangraph views`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")
    ] = None,
    store: StoreOption = None,
    db: DatabaseOption = None,
    fmt: FormatOption = None,
    out: OutOption = None,
    columns: ColumnsOption = None,
) -> None:
    """Run one named view on the embedded store or Neo4j."""
    from queries.registry import get_view

    params = _parse_params(param or [])
    fmt = output_format(fmt, out)
    rows = on_store(store, db, lambda opened: opened.run_view(name, params))
    preferred = get_view(name).columns
    emit_rows(
        rows, fmt, title=name, out=out, columns=chosen_columns(rows, columns), preferred=preferred
    )


UriOption = Annotated[str | None, typer.Option(help="Bolt URI (env NEO4J_URI).")]
UserOption = Annotated[str | None, typer.Option(help="User (env NEO4J_USER).")]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from this file's first line "
        "(else env NEO4J_PASSWORD, else a hidden prompt on a terminal).",
        show_default=False,
    ),
]


def _neo4j_login(uri: str | None, user: str | None, password_file: Path | None):
    """The Neo4j settings with a password from the file, the environment or a hidden prompt:
    never from the command line, where `ps` shows it."""
    password: str | None = None
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise fail(f"cannot read the password file {password_file}: {reason}") from None
        password = lines[0].strip() if lines else ""
        if not password:
            raise fail(f"the password file {password_file} is empty (its first line is blank)")
    settings = _settings(neo4j_uri=uri, neo4j_user=user, neo4j_password=password)
    if not settings.neo4j_password and sys.stdin.isatty():
        prompt = f"Neo4j password for {settings.neo4j_user} at {settings.neo4j_uri}"
        settings.neo4j_password = typer.prompt(prompt, hide_input=True)
    if not settings.neo4j_password:
        raise fail(
            "no Neo4j password: set NEO4J_PASSWORD, pass --password-file PATH, or run in a "
            'terminal to be asked (for the local server: eval "$(scripts/neo4j-local env)")'
        )
    return settings


@app.command(name="load-neo4j")
def load_neo4j(
    source: SourceOption = None,
    uri: UriOption = None,
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per UNWIND batch.")] = 1000,
) -> None:
    """Replace the graph in Neo4j with this one: constraints first, batched, all or nothing.

    One load at a time: a second is refused while one runs. If the connection drops during
    the swap, the load reconnects and reports which graph is live. The password never goes
    on the command line (where `ps` shows it): it comes from --password-file, NEO4J_PASSWORD,
    or a hidden prompt when stdin is a terminal.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    from ingest.neo4j_load import LoadError, LoadOutcomeUnknown, load

    settings = _neo4j_login(uri, user, password_file)
    graph = _graph_from(source)
    driver = GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    )
    progress, report = _progress_bar()
    try:
        with progress:
            result = load(graph, driver, batch_size=batch_size, progress=report)
    except LoadOutcomeUnknown as error:
        raise fail(f"load into {settings.neo4j_uri}: outcome unknown: {error}", 1) from None
    except LoadError as error:  # each message says which graph is live
        raise fail(f"load into {settings.neo4j_uri} failed: {error}", 1) from None
    except AuthError as error:
        raise fail(f"Neo4j at {settings.neo4j_uri} refused the login: {error.message}") from None
    finally:
        driver.close()
    for note in result.notes:
        warn(note)
    console.print(
        f"loaded {result.nodes} nodes and {result.relationships} relationships into "
        f"{settings.neo4j_uri} in {result.seconds:.1f} s ({result.transactions} transactions; "
        f"load id {result.load_id[:8]})"
    )
    api = settings.api_url.rstrip("/")
    console.print(
        f"Neo4j Browser: apply the style with [bold]:style {api}/browser/style.grass[/] and "
        f"open the guide with [bold]:play {api}/guide[/] (while `plangraph serve` runs)."
    )


@app.command(name="neo4j-status")
def neo4j_status(
    uri: UriOption = None,
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Which graph is live in Neo4j (its load id, time and counts), whether a load is running,
    and what failed loads left for the next load to clean up."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    from ingest.neo4j_load import leftover_counts, live_stamp, lock_holder

    settings = _neo4j_login(uri, user, password_file)
    driver = GraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    )
    try:
        stamp = live_stamp(driver)
        holder = lock_holder(driver)
        leftovers = leftover_counts(driver)
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        raise fail(f"cannot reach Neo4j at {settings.neo4j_uri}: {error}", 1) from None
    except AuthError as error:
        raise fail(f"Neo4j at {settings.neo4j_uri} refused the login: {error.message}") from None
    finally:
        driver.close()
    row = {
        "uri": settings.neo4j_uri,
        "load_id": stamp.version if stamp else None,
        "loaded_at": stamp.created_at if stamp else None,
        "nodes": stamp.nodes if stamp else None,
        "relationships": stamp.relationships if stamp else None,
        "load_running": holder.describe() if holder and not holder.abandoned() else None,
        "abandoned_lock": holder.describe() if holder and holder.abandoned() else None,
        "staged_leftovers": leftovers["_Stage"],
        "retired_leftovers": leftovers["_Retired"],
    }
    if fmt is OutputFormat.json:
        print_json(row)
    elif fmt is OutputFormat.table:  # one record reads best as a list of fields
        fields = [{"field": key, "value": value} for key, value in row.items()]
        emit_rows(fields, fmt, title="Neo4j graph")
    else:
        emit_rows([row], fmt)


class ExportFormat(StrEnum):
    graphml = "graphml"
    json = "json"
    neo4j_csv = "neo4j-csv"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("export"),
    source: SourceOption = None,
) -> None:
    """Export the graph: GraphML (Gephi), node-link JSON, or the neo4j-admin import CSV set."""
    from ingest.export import export as export_graph

    _output_folder(out)
    try:
        written = export_graph(_graph_from(source), fmt.value, out)
    except OSError as error:
        raise fail(f"{out}: cannot write the export: {error.strerror or error}", 1) from None
    for path in written:
        console.print(f"wrote {path}")


# The analyst's desk: `ledger` and `coverage` (plangraph/desk.py), registered last so that
# module can import this one's helpers when its commands run.
from plangraph.desk import register as _register_desk  # noqa: E402

_register_desk(app)


def _click_error(name: str) -> type[Exception]:
    # typer ships its own copy of click (typer._click) in some versions and uses click in
    # others: find the class through the public typer.BadParameter, whichever it is.
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def main() -> None:
    usage_error, click_exception = _click_error("UsageError"), _click_error("ClickException")
    try:
        # Not standalone: click's errors come back here instead of being drawn as a boxed
        # panel, so a wrong option is one line like every other error.
        result = app(standalone_mode=False)
    except usage_error as error:
        context = getattr(error, "ctx", None)
        where = f" (see `{context.command_path} --help`)" if context is not None else ""
        message = f"{error.format_message()}{where}"  # type: ignore[attr-defined]
        raise SystemExit(fail(message, error.exit_code).exit_code) from None  # type: ignore[attr-defined]
    except click_exception as error:
        message = error.format_message()  # type: ignore[attr-defined]
        raise SystemExit(fail(message, error.exit_code).exit_code) from None  # type: ignore[attr-defined]
    except typer.Abort:
        raise SystemExit(fail("aborted", 1).exit_code) from None
    raise SystemExit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
