"""One plan file in, one enriched structured document out: read, parse, extract entities."""

from __future__ import annotations

from pathlib import Path

from ingest.enrich import enrich
from ingest.model import Plan
from ingest.parsing import parse_file


def load_plan(path: str | Path) -> Plan:
    """Parse a plan file and fill in owners, places, industries and targets.

    Unknown agencies are reported in `plan.warnings` by `enrich`, never dropped.
    """
    plan = parse_file(path)
    enrich(plan)
    return plan
