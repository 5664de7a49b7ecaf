"""Readable views of an alignment: the `plangraph align` tables and its `--review` list."""

from __future__ import annotations

from typing import Any

from ingest.alignment.model import LEVEL_NAMES, LEVELS, Alignment
from ingest.alignment.plans import item_titles


def alignment_table(alignment: Alignment) -> Any:
    """A rich renderable: one table per level with child, parent(s), score, status, evidence."""
    from rich.console import Group
    from rich.table import Table

    child, parent = alignment.child_plan, alignment.parent_plan
    parts = []
    for name in LEVELS:
        level = alignment.level(name)
        child_titles = item_titles(child, name)
        parent_titles = item_titles(parent, name)
        table = Table(
            title=f"{LEVEL_NAMES[name]}s: {child.doc_number or child.title} → "
            f"{parent.doc_number or parent.title}",
            show_lines=False,
        )
        for col in ("child", "parent", "score", "status", "evidence"):
            table.add_column(col, overflow="fold")
        for link in level.links:
            table.add_row(
                f"{link.child} {child_titles.get(link.child, '')}",
                f"{link.parent} {parent_titles.get(link.parent, '')}",
                f"{link.score:.2f}",
                link.status,
                "、".join(link.evidence[:6]),
            )
        for key in level.child_without_parent:
            table.add_row(f"{key} {child_titles.get(key, '')}", "— (local initiative)", "", "", "")
        for key in level.parent_without_child:
            table.add_row("— (not picked up)", f"{key} {parent_titles.get(key, '')}", "", "", "")
        parts.append(table)
    if alignment.indicators:
        table = Table(title="target cascades")
        for col in ("child target", "parent target", "ratio", "relation"):
            table.add_column(col, overflow="fold")
        for c in alignment.indicators:
            mine, theirs = c.child, c.parent
            table.add_row(
                f"{mine.scope} {mine.ref}: {mine.indicator.raw or mine.indicator.metric}",
                f"{theirs.scope} {theirs.ref}: {theirs.indicator.raw or theirs.indicator.metric}",
                "" if c.ratio is None else f"{c.ratio:.3f}",
                c.relation
                + ("" if c.annualised_ratio is None else f" (a year: {c.annualised_ratio:.3f})")
                + ("" if c.match == "exact" else f" [{c.match}]"),
            )
        parts.append(table)
    return Group(*parts)


def review_table(alignment: Alignment) -> Any:
    """A rich table of the links worth a human look, with the reason."""
    from rich.table import Table

    table = Table(title="alignment review")
    for col in ("level", "child", "parent", "score", "reason"):
        table.add_column(col, overflow="fold")
    for item in alignment.review:
        table.add_row(
            item.level,
            "" if item.child is None else str(item.child),
            "" if item.parent is None else str(item.parent),
            "" if item.score is None else f"{item.score:.2f}",
            item.reason,
        )
    return table
