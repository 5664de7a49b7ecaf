"""Command-line options more than one command takes, declared once (typer reads the
annotations): which store, which embedded database, which graph to read."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class StoreKind(StrEnum):
    embedded = "embedded"
    neo4j = "neo4j"


StoreOption = Annotated[
    StoreKind | None, typer.Option(help="Where the graph lives (env PLANGRAPH_STORE).")
]
DatabaseOption = Annotated[
    Path | None,
    typer.Option("--db", help="Embedded store: this database (env PLANGRAPH_DATABASE)."),
]
SourceOption = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="An embedded database or JSON snapshot (default: the built database when "
        "up to date with data/plans/, else a build of data/plans/).",
    ),
]
