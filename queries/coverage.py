"""Coverage of a parent plan: its tasks against the loaded plans that implement it.

One answer shape for every entry point (`GET /plans/{plan}/coverage`, `plangraph coverage`,
the ledger's coverage sheet and the explorer's heatmap):

    {"plan": {"id", "title", "level"},
     "children": [{"id", "title", "region"}],              # ordered by title
     "rows": [{"task": {"id", "number", "title", "action"},  # parent tasks in document order
               "cells": [[{"id", "number", "title", "score"}, ...], ...]}],  # one per child
     "totals": {"tasks", "covered", "by_child": [...]}}

A cell lists the child plan's tasks that implement the parent task (rejected links left out).
`covered` counts parent tasks some child picks up; `by_child[i]` the parent tasks child i picks
up. The rows come from the `coverage` view, so both stores give the same answer.
"""

from __future__ import annotations

from typing import Any

from queries.errors import NameNotFound
from queries.store import GraphStore

Coverage = dict[str, Any]


def coverage_answer(store: GraphStore, plan: str) -> Coverage:
    """The coverage of the plan `plan` names (id, document number, title or region);
    NameNotFound with suggestions when it names none."""
    plan_id = store.resolve_plan(plan)
    return coverage_of(store, plan_id, loaded_plan(store, plan, plan_id))


def loaded_plan(store: GraphStore, ref: str, plan_id: str) -> dict[str, Any]:
    """The plan node of a resolved reference; a plan the graph only cites (a stub: no tasks
    of its own) is refused like an unknown one, saying so, rather than answered as empty."""
    node = store.node(plan_id) or {"id": plan_id}
    if node.get("stub"):
        raise NameNotFound(
            "plan",
            ref,
            f"{node.get('title') or plan_id} is cited by the loaded plans but not loaded "
            "itself (build with its file to see its tasks)",
        )
    return node


def coverage_of(store: GraphStore, plan_id: str, node: dict[str, Any]) -> Coverage:
    """The coverage of a plan already resolved to its id and node."""
    view_rows = store.run_view("coverage", {"plan": plan_id})
    children: dict[str, dict[str, Any]] = {}
    for row in view_rows:
        if row.get("child_plan") and row["child_plan"] not in children:
            children[row["child_plan"]] = {
                "id": row["child_plan"],
                "title": row.get("child_title"),
                "region": row.get("child_region"),
            }
    ordered = sorted(children.values(), key=lambda c: (c["title"] or "", c["id"]))
    column = {child["id"]: index for index, child in enumerate(ordered)}
    rows: dict[str, dict[str, Any]] = {}
    for row in view_rows:  # the view's order: action group, then task number
        entry = rows.setdefault(
            row["id"],
            {
                "task": {
                    "id": row["id"],
                    "number": row.get("number"),
                    "title": row.get("title"),
                    "action": row.get("action"),
                },
                "cells": [[] for _ in ordered],
            },
        )
        if row.get("child_plan"):
            entry["cells"][column[row["child_plan"]]] = [
                {key: task.get(key) for key in ("id", "number", "title", "score")}
                for task in row.get("child_tasks") or []
            ]
    listed = list(rows.values())
    return {
        "plan": {"id": plan_id, "title": node.get("title"), "level": node.get("level")},
        "children": ordered,
        "rows": listed,
        "totals": {
            "tasks": len(listed),
            "covered": sum(1 for row in listed if any(row["cells"])),
            "by_child": [sum(1 for row in listed if row["cells"][i]) for i in range(len(ordered))],
        },
    }


def child_labels(answer: Coverage) -> list[str]:
    """A short column label per child plan: its region (松江区), else its title; a label two
    children share gets the plan id after it."""
    labels = [
        child.get("region") or child.get("title") or child["id"] for child in answer["children"]
    ]
    return [
        f"{label} ({child['id']})" if labels.count(label) > 1 else label
        for label, child in zip(labels, answer["children"], strict=True)
    ]


def coverage_table(answer: Coverage) -> list[dict[str, Any]]:
    """The grid as flat rows for a table, CSV or a sheet: the parent task's number, group and
    title, then per child plan the numbers of its implementing tasks (、-joined lists)."""
    labels = child_labels(answer)
    table: list[dict[str, Any]] = []
    for row in answer["rows"]:
        flat: dict[str, Any] = {
            "number": row["task"]["number"],
            "action": row["task"]["action"],
            "title": row["task"]["title"],
        }
        for label, cell in zip(labels, row["cells"], strict=True):
            flat[label] = [task["number"] for task in cell]
        flat["children"] = sum(1 for cell in row["cells"] if cell)
        table.append(flat)
    return table
