"""The structured document: what a plan file says, before it becomes a graph.

One parsed plan is a `Plan`. The parser fills the text fields; entity extraction fills
`owners`, `places`, `industries` and `indicators`. `Plan.to_dict()` is the `plangraph parse
--json` contract and the one source the graph builder reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SourceSpan:
    """1-based, inclusive line range in the decoded input file."""

    line_start: int
    line_end: int


@dataclass
class Indicator:
    """A numeric or directional target, e.g. 工业增加值 > 1.3e12 元 by the plan's end year."""

    metric: str
    comparator: str  # ">", ">=", "~", "<", "<=", "=", "between", "decrease", "increase"
    value: float | None
    unit: str | None
    period: str | None  # "by-end", "annual", "annual-average", "cumulative", None
    hedged: bool
    raw: str
    # The upper bound of a range (2-3家: value 2, value_max 3, comparator "between").
    value_max: float | None = None
    # The year by which it holds: 到2027年 → 2027; the plan's end year when only the period says.
    year: int | None = None
    # The place or body the target belongs to when it is not the plan's own (临港新片区).
    subject: str | None = None


@dataclass
class Owner:
    """One responsible unit on a task or measure, resolved against the agency lexicon.

    `via` names the collective line (各区政府) an expanded owner came through; None when the
    agency is listed directly.
    """

    name: str
    canonical: str
    role: str  # "lead" | "co" | "support"
    level: str | None
    kind: str
    via: str | None = None
    # The government the unit belongs to: a division code (schema/divisions.py: "310000" for
    # 上海市, "310117" for 松江区, "440100" for 广州市), "CN" for national bodies, None when not
    # known. Agency ids are qualified by it, so two cities' 市发展改革委 are two nodes.
    government: str | None = None
    # What the bureau does, the same key at every level ("industry": 区经委, 市经济信息化委,
    # 工业和信息化部); counterparts across levels share it.
    function: str | None = None


@dataclass
class Citation:
    title: str
    doc_number: str | None


@dataclass
class OutlinePart:
    """One top-level part of the document (or a part inside 总体要求) and what it was read as:
    tasks, goals, measures, guidance, background, definitional, steps, container or box."""

    kind: str
    heading: str
    line: int


@dataclass
class Task:
    number: int
    title: str
    text: str
    agencies: list[str]  # the responsibility line's units, in document order, as written
    source: SourceSpan
    roles: list[str] = field(default_factory=list)  # per agency: "lead" | "co" | "support"
    scope: str | None = None  # a scope clause in the label (适用范围：…), not an owner
    owners: list[Owner] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Action:
    order: int
    title: str | None  # None when the plan's tasks sit under no action group
    tasks: list[Task] = field(default_factory=list)
    text: str = ""  # an intro paragraph under the group's heading


@dataclass
class TargetTable:
    """A target table whose grid was lost (one cell per line), as the parser found it."""

    header: list[str]
    rows: list[list[str]]  # each row's cells as written; "" for a merged cell left out
    # The table as it reads inside the text it sits in (lines joined), so that text can be
    # read around it.
    text: str


@dataclass
class Goal:
    order: int
    title: str
    text: str
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Measure:
    order: int
    title: str
    text: str
    agencies: list[str]
    roles: list[str] = field(default_factory=list)
    scope: str | None = None
    owners: list[Owner] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Plan:
    title: str | None  # None when the document shows no title (see `display_name`)
    doc_number: str | None = None
    issuer: str | None = None  # the first of `issuers`
    issuers: list[str] = field(default_factory=list)  # every issuing body, co-issuers too
    issued_on: str | None = None  # ISO date, YYYY-MM-DD
    level: str | None = None  # "city" | "district" | "national" | ...
    region: str | None = None  # 上海市, 松江区, ...
    # The division code of `region` (schema/divisions.py), set by enrichment; None for national
    # plans and when the gazetteer cannot place the region.
    region_code: str | None = None
    period: tuple[int, int] | None = None  # (2023, 2025) from the title
    cites: list[Citation] = field(default_factory=list)
    overview: str = ""  # the 主要目标 paragraph before the first goal group
    tables: list[TargetTable] = field(default_factory=list)  # flattened target tables
    goals: list[Goal] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # overall targets
    lead_rule: str | None = None  # the document's stated rule, e.g. 列第一位者为牵头单位
    outline: list[OutlinePart] = field(default_factory=list)
    source_file: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """The title, or where the plan came from when the document shows none."""
        if self.title:
            return self.title
        return Path(self.source_file).stem if self.source_file else "（无标题）"

    @property
    def tasks(self) -> list[Task]:
        return [task for action in self.actions for task in action.tasks]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["period"] = list(self.period) if self.period else None
        return data
