"""The task ledger (任务分解表 / 台账) of a plan, as an Excel workbook.

Sheets, in order: 任务 (every task: number, action group, title, lead and other units, targets
with their year, places, industries, the parent task(s) it implements with the score), 保障措施
(the safeguard measures alike), 覆盖情况 when loaded plans implement this one (the coverage
grid, `queries.coverage`), and with `by_agency` one sheet per unit named in a 责任单位 line,
most items first. Everything comes from the `plan_ledger` and `coverage` views, so the CLI
(`plangraph ledger`) and the API (`/plans/{plan}/ledger.xlsx`) write the same workbook from
either store. Headers are Chinese; the documents' wording is kept as written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from queries.coverage import child_labels, coverage_of, loaded_plan
from queries.store import GraphStore
from queries.workbook import Column, Sheet, workbook_bytes

Row = dict[str, Any]

ROLE_NAMES = {"lead": "牵头", "co": "配合", "support": "支持"}

TASKS_SHEET = "任务"
MEASURES_SHEET = "保障措施"
COVERAGE_SHEET = "覆盖情况"


@dataclass(frozen=True)
class Ledger:
    plan_id: str
    title: str
    sheets: list[Sheet]

    def xlsx(self) -> bytes:
        return workbook_bytes(self.sheets, title=f"{self.title} 任务分解表")

    @property
    def filename(self) -> str:
        """A file name for downloads: the plan id, which has no path separators."""
        return f"{self.plan_id}-台账.xlsx"


def _names(owners: list[Row], *roles: str) -> list[str]:
    """Unit names of these roles in their line's order; a supporting unit marked as such."""
    return [
        owner["name"]
        + ("（支持）" if owner.get("role") == "support" and "lead" not in roles else "")
        for owner in owners
        if owner.get("role") in roles
    ]


def _target(target: Row) -> str:
    text = target.get("raw") or target.get("metric") or ""
    year = target.get("year")
    return f"{text}（{year}年）" if year else text


def _parent(parent: Row) -> str:
    score = parent.get("score")
    shown = f"{parent.get('number')}. {parent.get('title') or ''}"
    return f"{shown}（匹配度 {score:.2f}）" if isinstance(score, int | float) else shown


def ledger_row(row: Row) -> Row:
    """One task or measure of the `plan_ledger` view as ledger cells."""
    owners = row.get("owners") or []
    return {
        "number": row.get("number"),
        "action": row.get("action"),
        "title": row.get("title"),
        "lead": _names(owners, "lead"),
        "others": _names(owners, "co", "support"),
        "targets": [_target(t) for t in row.get("targets") or []],
        "places": row.get("places") or [],
        "industries": row.get("industries") or [],
        "parents": [_parent(p) for p in row.get("parents") or []],
    }


def _item_columns(kind: str) -> list[Column]:
    task = kind == "task"
    columns = [Column("number", "编号" if task else "序号")]
    if task:
        columns.append(Column("action", "行动"))
    columns += [
        Column("title", "任务" if task else "保障措施"),
        Column("lead", "牵头单位"),
        Column("others", "配合单位"),
        Column("targets", "目标", lines=True),
        Column("places", "地点"),
        Column("industries", "产业", width=40),
        Column("parents", "对应上级任务" if task else "对应上级措施", lines=True),
    ]
    return columns


def _agency_sheets(rows: list[Row]) -> list[Sheet]:
    """One sheet per unit named in the plan's 责任单位 lines: its items and its role in each."""
    items: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        cells = ledger_row(row)
        for owner in row.get("owners") or []:
            others = [o["name"] for o in row.get("owners") or [] if o["name"] != owner["name"]]
            items[owner["name"]].append(
                {
                    **cells,
                    "kind": "任务" if row["kind"] == "task" else "保障措施",
                    "role": ROLE_NAMES.get(owner.get("role") or "", owner.get("role")),
                    "with": others,
                }
            )
    columns = [
        Column("kind", "类别"),
        Column("number", "编号"),
        Column("action", "行动"),
        Column("title", "任务或措施"),
        Column("role", "角色"),
        Column("with", "其他责任单位"),
        Column("targets", "目标", lines=True),
        Column("parents", "对应上级任务", lines=True),
    ]
    ordered = sorted(items.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Sheet(name, columns, agency_rows) for name, agency_rows in ordered]


def _coverage_sheet(store: GraphStore, plan_id: str, node: Row) -> Sheet | None:
    answer = coverage_of(store, plan_id, node)
    if not answer["children"]:
        return None
    labels = child_labels(answer)
    columns = [Column("number", "编号"), Column("action", "行动"), Column("title", "任务")]
    columns += [Column(f"child{i}", label, heat=True, lines=True) for i, label in enumerate(labels)]
    columns.append(Column("children", "落实的下级计划数"))
    rows = []
    for row in answer["rows"]:
        flat: Row = {
            "number": row["task"]["number"],
            "action": row["task"]["action"],
            "title": row["task"]["title"],
            "children": sum(1 for cell in row["cells"] if cell),
        }
        for i, cell in enumerate(row["cells"]):
            flat[f"child{i}"] = [f"{task['number']}. {task['title']}" for task in cell]
        rows.append(flat)
    return Sheet(COVERAGE_SHEET, columns, rows)


def ledger(store: GraphStore, plan: str, *, by_agency: bool = False) -> Ledger:
    """The ledger of the plan `plan` names (id, document number, title or region);
    NameNotFound with suggestions when it names none."""
    plan_id = store.resolve_plan(plan)
    node = loaded_plan(store, plan, plan_id)
    rows = store.run_view("plan_ledger", {"plan": plan_id})
    tasks = [ledger_row(row) for row in rows if row["kind"] == "task"]
    measures = [ledger_row(row) for row in rows if row["kind"] == "measure"]
    sheets = [
        Sheet(TASKS_SHEET, _item_columns("task"), tasks),
        Sheet(MEASURES_SHEET, _item_columns("measure"), measures),
    ]
    covered = _coverage_sheet(store, plan_id, node)
    if covered is not None:
        sheets.append(covered)
    if by_agency:
        sheets += _agency_sheets(rows)
    return Ledger(plan_id, node.get("title") or plan_id, sheets)
