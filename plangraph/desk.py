"""The analyst's desk on the command line: `plangraph ledger`, `plangraph coverage`, and the
file writing behind every `--out` (views, align, ledger, coverage).

Registered on the app by `plangraph.cli` (`register(app)`); the shared helpers (errors, store
opening, output checks) are imported from there when a command runs, so importing this module
never imports the CLI and the CLI imports this one only at its end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from plangraph.options import DatabaseOption, StoreOption

# Fonts that carry Simplified Chinese, best first; then any family with CJK in its name.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
)
CJK_FONT_PACKAGE = "fonts-noto-cjk"
PICTURE_SUFFIXES = (".png", ".svg")


def write_output(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file in the target folder, renamed into
    place (an analyst's open copy is never half-written); the temporary file is removed on
    any failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_output(path: Path, example: str) -> Path:
    """An output file checked before any work (cli._output_file), a folder refused with a
    file name that fits this output."""
    from plangraph.cli import _output_file, fail

    if path.is_dir():
        raise fail(f"{path}: is a folder; give a file name such as {path / example}")
    return _output_file(path)


def save(path: Path, data: bytes) -> None:
    """write_output with a failure as one line and exit 2."""
    from plangraph.cli import console, fail

    try:
        write_output(path, data)
    except OSError as error:
        raise fail(f"{path}: cannot write: {error.strerror or error}") from None
    console.print(f"wrote {path}", highlight=False, soft_wrap=True)


# -- align as rows -----------------------------------------------------------------------------


def alignment_rows(result: Any, child: Any, parent: Any) -> list[dict[str, Any]]:
    """Every link of an alignment at every level, then the items left without a partner:
    level, child, child_title, parent, parent_title, score, status, method, evidence."""
    from ingest.alignment.model import LEVEL_NAMES, LEVELS
    from ingest.alignment.plans import item_titles

    rows: list[dict[str, Any]] = []
    data = result.to_dict()
    for level in LEVELS:
        mine, theirs = item_titles(child, level), item_titles(parent, level)
        section = data[level]
        for link in section["links"]:
            rows.append(
                {
                    "level": LEVEL_NAMES[level],
                    "child": link["child"],
                    "child_title": mine.get(link["child"]),
                    "parent": link["parent"],
                    "parent_title": theirs.get(link["parent"]),
                    "score": link["score"],
                    "status": link["status"],
                    "method": link.get("method"),
                    "evidence": link.get("evidence") or [],
                }
            )
        for key in section["child_without_parent"]:
            rows.append(_unpaired(LEVEL_NAMES[level], "no parent", key, mine.get(key), None, None))
        for key in section["parent_without_child"]:
            rows.append(_unpaired(LEVEL_NAMES[level], "no child", None, None, key, theirs.get(key)))
    return rows


def _unpaired(
    level: str, status: str, child: int | None, child_title: str | None,
    parent: int | None, parent_title: str | None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "level": level, "child": child, "child_title": child_title, "parent": parent,
        "parent_title": parent_title, "score": None, "status": status, "method": None,
        "evidence": [],
    }  # fmt: skip


def target_rows(result: Any) -> list[dict[str, Any]]:
    """The target cascades of an alignment, flat: each side's scope, item and wording."""
    rows = []
    for cascade in result.to_dict()["indicators"]:
        row: dict[str, Any] = {}
        for side in ("child", "parent"):
            target = cascade[side]
            row |= {
                f"{side}_scope": target.get("scope"),
                f"{side}_ref": target.get("ref"),
                f"{side}_metric": target.get("metric"),
                f"{side}_raw": target.get("raw"),
                f"{side}_year": target.get("year"),
            }
        row |= {k: v for k, v in cascade.items() if k not in ("child", "parent")}
        rows.append(row)
    return rows


def review_rows(result: Any) -> list[dict[str, Any]]:
    return [dict(item) for item in result.to_dict()["review"]]


def alignment_workbook(result: Any, child: Any, parent: Any) -> bytes:
    """align as Excel: links (every level), target cascades, and the links worth a look."""
    from queries.tabular import columns_of
    from queries.workbook import Column, Sheet, workbook_bytes

    def sheet(title: str, rows: list[dict[str, Any]]) -> Sheet:
        return Sheet(title, [Column(key, key) for key in columns_of(rows)], rows)

    return workbook_bytes(
        [
            sheet("links", alignment_rows(result, child, parent)),
            sheet("targets", target_rows(result)),
            sheet("review", review_rows(result)),
        ],
        title=f"{child.doc_number or child.title} → {parent.doc_number or parent.title}",
    )


# -- ledger ------------------------------------------------------------------------------------


def ledger(
    plan: Annotated[
        str, typer.Argument(help="The plan: its title, document number, id or region.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The workbook to write (.xlsx).")],
    by_agency: Annotated[
        bool, typer.Option("--by-agency", help="Also one sheet per unit named in the plan.")
    ] = False,
    store: StoreOption = None,
    db: DatabaseOption = None,
) -> None:
    """The task ledger (任务分解表) of a plan as an Excel workbook: tasks, measures, coverage by
    the plans implementing it, and with --by-agency one sheet per unit."""
    from plangraph.cli import fail, on_store
    from queries.ledger import ledger as build_ledger

    check_output(out, "ledger.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise fail(f"{out}: the ledger is an Excel workbook; name the file *.xlsx")
    book = on_store(store, db, lambda opened: build_ledger(opened, plan, by_agency=by_agency))
    save(out, book.xlsx())


# -- coverage ----------------------------------------------------------------------------------


class CoverageFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def cjk_font(fonts: Iterable[Any]) -> Any | None:
    """The best font entry (matplotlib's FontEntry: name, fname) that carries Chinese."""
    entries = list(fonts)
    for family in CJK_FAMILIES:
        for entry in entries:
            if entry.name == family:
                return entry
    return next((entry for entry in entries if "CJK" in entry.name), None)


def coverage_picture(answer: dict[str, Any], path: Path) -> bytes:
    """The coverage heatmap as PNG or SVG bytes (by `path`'s suffix): parent tasks down,
    child plans across, colour by how many child tasks implement each parent task, and the
    child tasks' numbers in the cells."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from plangraph.cli import fail
    from queries.coverage import child_labels

    font = cjk_font(font_manager.fontManager.ttflist)
    if font is None:
        raise fail(
            "no font with Chinese characters found for the picture: install one, e.g. "
            f"`apt-get install {CJK_FONT_PACKAGE}` (Debian/Ubuntu)"
        )
    if not answer["children"]:
        raise fail(
            f"{answer['plan']['title'] or answer['plan']['id']}: no loaded plan implements it, "
            "so there is no coverage to draw (load its district plans, or name the city plan)"
        )
    plt.rcParams["font.family"] = [font.name]
    plt.rcParams["svg.hashsalt"] = "plangraph"  # the same picture gives the same SVG
    labels = child_labels(answer)
    rows = answer["rows"]
    counts = [[len(cell) for cell in row["cells"]] for row in rows]
    most = max(3, max((max(line) for line in counts if line), default=0))
    colours = ListedColormap(["#f3f3f3", "#c7e9c0", "#74c476", "#238b45"])
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, most + 0.5], colours.N)
    height = 1.6 + 0.32 * len(rows)
    width = 5.5 + 1.1 * len(labels)
    figure, axes = plt.subplots(figsize=(width, height))
    image = axes.imshow(counts, cmap=colours, norm=norm, aspect="auto")
    axes.set_xticks(range(len(labels)), labels)
    axes.xaxis.tick_top()
    axes.set_yticks(
        range(len(rows)), [f"{row['task']['number']}. {row['task']['title']}" for row in rows]
    )
    for y, row in enumerate(rows):
        for x, cell in enumerate(row["cells"]):
            if cell:
                text = "、".join(str(task["number"]) for task in cell)
                axes.text(x, y, text, ha="center", va="center", fontsize=8)
    axes.set_xticks([i - 0.5 for i in range(1, len(labels))], minor=True)
    axes.set_yticks([i - 0.5 for i in range(1, len(rows))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.5)
    axes.tick_params(which="minor", length=0)
    totals = answer["totals"]
    axes.set_title(
        f"{answer['plan']['title'] or answer['plan']['id']}\n"
        f"任务覆盖：{totals['covered']}/{totals['tasks']} 项任务有下级计划落实",
        fontsize=10,
        pad=28,
    )
    bar = figure.colorbar(image, ax=axes, ticks=[0, 1, 2, 3], fraction=0.04, pad=0.02)
    bar.ax.set_yticklabels(["0", "1", "2", "3+"])
    bar.set_label("落实该任务的下级任务数")
    figure.tight_layout()
    buffer = io.BytesIO()
    kind = path.suffix.lower().lstrip(".")
    metadata = {"Date": None} if kind == "svg" else {}
    figure.savefig(buffer, format=kind, dpi=150, metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()


def coverage(
    plan: Annotated[
        str, typer.Argument(help="The parent plan: its title, document number, id or region.")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write here: .png or .svg draws the heatmap; .xlsx, .csv, .json the table.",
        ),
    ] = None,
    fmt: Annotated[
        CoverageFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The table form: table (terminal), json (the API's answer), csv or xlsx "
            "(default: by --out's suffix, else table).",
        ),
    ] = None,
    store: StoreOption = None,
    db: DatabaseOption = None,
) -> None:
    """Coverage of a parent plan: its tasks × the loaded plans implementing it, as a heatmap
    (PNG/SVG) or a table; each cell the child tasks implementing the parent task."""
    from plangraph.cli import fail, on_store, print_json
    from queries.coverage import coverage_answer, coverage_table
    from queries.tabular import csv_file_bytes, rows_to_csv
    from queries.workbook import rows_workbook

    if out is not None:
        check_output(out, "coverage.png")
    picture = out is not None and out.suffix.lower() in PICTURE_SUFFIXES
    if picture and fmt is not None:
        raise fail(f"--out {out} draws a picture; --format is for the table form")
    if fmt is None:
        fmt = _format_of(out) if out is not None and not picture else CoverageFormat.table
    if out is None and fmt is CoverageFormat.xlsx:
        raise fail("--format xlsx needs --out FILE.xlsx")
    if out is not None and fmt is CoverageFormat.table and not picture:
        raise fail(f"--out {out}: name a .png, .svg, .xlsx, .csv or .json file, or give --format")
    answer = on_store(store, db, lambda opened: coverage_answer(opened, plan))
    if picture:
        assert out is not None
        save(out, coverage_picture(answer, out))
        return
    rows = coverage_table(answer)
    if fmt is CoverageFormat.json:
        if out is None:
            print_json(answer)
        else:
            import json

            save(out, (json.dumps(answer, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    elif fmt is CoverageFormat.csv:
        if out is None:
            typer.echo(rows_to_csv(rows), nl=False)
        else:
            save(out, csv_file_bytes(rows))
    elif fmt is CoverageFormat.xlsx:
        assert out is not None
        save(out, rows_workbook(rows, title="coverage"))
    else:
        _print_coverage(answer, rows)


def _format_of(out: Path) -> CoverageFormat:
    suffix = out.suffix.lower().lstrip(".")
    return CoverageFormat(suffix) if suffix in ("json", "csv", "xlsx") else CoverageFormat.table


def _print_coverage(answer: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    from plangraph.cli import emit_rows, err_console

    title = f"coverage of {answer['plan']['title'] or answer['plan']['id']}"
    emit_rows(rows, None, title=title)
    totals = answer["totals"]
    err_console.print(
        f"{totals['covered']} of {totals['tasks']} task(s) picked up by at least one of "
        f"{len(answer['children'])} child plan(s)",
        style="dim",
    )


def register(app: typer.Typer) -> None:
    app.command()(ledger)
    app.command()(coverage)
