"""Task tables that lost their grid: 重点任务分工表, 任务清单, 工作要点 written as a table.

Some plans list their tasks only in a table — 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 —
and a copy from a web page or a PDF gives one cell per line (`ingest/flat_tables.py` finds the
runs). A document whose outline holds no tasks is read from such tables: one task per row, its
text the task cell, its owners the unit cells read exactly as a responsibility label with the
header's own words (`（牵头单位：A；配合单位：B、C）`), and a category column (类别, 领域, 重点
领域) as the action groups. A table's rows are read only where the outline gave no tasks, so a
分工表 that repeats numbered tasks never doubles them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.flat_tables import IDEOGRAPH, OTHER, Column, FlatTable, Lines, TableShape

TASK, OWNER, GROUP = "task", "owner", "group"
_TASK_HEADS = re.compile(
    r"^(?:重点|主要|具体|工作)?(?:任务|工作|举措|措施)(?:内容|名称|事项)?$|^工作(?:内容|事项)$|^事项$"
)
_OWNER_HEADS = re.compile(
    r"^(?:牵头|责任|负责|主责|配合|协同|协办|参与)(?:单位|部门)$|^责任(?:主体|分工)$"
)
_GROUP_HEADS = re.compile(r"^(?:类别|分类|领域|重点领域|任务类别|板块|方面)$")
_OTHER_HEADS = re.compile(
    r"^(?:完成时限|时间节点|完成时间|时限|时间安排|进度安排|备注|预期成果|工作目标|目标|"
    r"具体目标|任务目标|主要目标|推进措施|工作举措)$"
)
_MIN_TASK = 4  # characters: shorter is a label, not a task


class TaskTables(TableShape):
    """Task tables: one task column and at least one owner column."""

    def column(self, key: str) -> Column | None:
        for kind, pattern in (
            (OWNER, _OWNER_HEADS),
            (GROUP, _GROUP_HEADS),
            (OTHER, _OTHER_HEADS),
            (TASK, _TASK_HEADS),
        ):
            if pattern.match(key):
                return Column(kind)
        return None

    def accept(self, columns: list[Column]) -> list[Column] | None:
        kinds = [c.kind for c in columns]
        return columns if kinds.count(TASK) == 1 and OWNER in kinds else None

    def fits(self, key: str, column: Column) -> bool:
        if column.kind == TASK:
            return len(key) >= _MIN_TASK and bool(IDEOGRAPH.search(key))
        if column.kind == OWNER:
            # Units are names: no sentence, and an empty cell is written as a dash.
            return bool(IDEOGRAPH.search(key) or key in {"-", "—", "/"}) and "。" not in key
        return True


@dataclass(frozen=True)
class TableTask:
    """One row read as a task: its group (a category cell, carried down merged rows), its text,
    and its owners written as a responsibility label."""

    group: str | None
    text: str
    label: str  # （牵头单位：…；配合单位：…）, or "" when no unit is named
    span: tuple[int, int]  # where the row sits in the text searched


def find_task_tables(text: str | Lines) -> list[FlatTable]:
    return TaskTables().find(text)


def table_tasks(table: FlatTable) -> list[TableTask]:
    """The tasks of one task table, in row order."""
    kinds = [c.kind for c in table.columns]
    task_at = kinds.index(TASK)
    group_at = kinds.index(GROUP) if GROUP in kinds else None
    owners = [(i, _label_word(table.header[i])) for i, k in enumerate(kinds) if k == OWNER]
    tasks: list[TableTask] = []
    group: str | None = None
    for row, span in zip(table.rows, table.row_spans, strict=True):
        if group_at is not None and row[group_at].strip():
            group = row[group_at].strip()
        parts = [
            f"{word}：{cell}"
            for i, word in owners
            if (cell := re.sub(r"\s+", "", row[i])) and cell not in {"-", "—", "/"}
        ]
        tasks.append(
            TableTask(
                group=group,
                text=row[task_at].strip(),
                label=f"（{'；'.join(parts)}）" if parts else "",
                span=span,
            )
        )
    return tasks


def _label_word(header: str) -> str:
    return re.sub(r"\s+", "", header)
