"""Every request's answer as a Pydantic model, so /docs and /openapi.json say what comes back.

Field names follow the graph (docs/design.md, "The graph's names"; schema/graph_model.py): a
task has `number`, `title`, `text`; an agency has `name`, `full_name`, `level`, `kind`. Optional
fields are optional because the graph omits a property it does not know (Neo4j cannot store
null), not because the API is unsure.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# A view row or a node's property can hold a string, a number, a boolean, a list of those,
# or null; the models say so rather than `Any` where they can.
Scalar = str | int | float | bool | None
Value = Scalar | list[Scalar] | list[dict[str, Any]] | dict[str, Any]


class FieldError(BaseModel):
    field: str = Field(description="The parameter at fault, e.g. `limit` or `agency`.")
    message: str


class ErrorBody(BaseModel):
    """The one shape of every error answer (4xx, 5xx)."""

    error: str = Field(
        description="Machine-readable kind: not_found, invalid_parameter, unavailable, "
        "method_not_allowed, internal.",
        examples=["not_found"],
    )
    message: str = Field(description="One line a person can act on.")
    field: str | None = Field(
        default=None, description="The parameter (or, for 404, the kind of thing) at fault."
    )
    suggestions: list[str] = Field(
        default_factory=list, description="Closest known names, best first (404 and 422)."
    )
    details: list[FieldError] = Field(
        default_factory=list, description="Every invalid parameter, for 422."
    )
    retry_after: int | None = Field(
        default=None, description="Seconds to wait before retrying (503); also a header."
    )


class Health(BaseModel):
    status: str = Field(description="`ok` or `unavailable`.")
    store: str = Field(description="`embedded` or `neo4j`.")
    reachable: bool
    reason: str | None = Field(default=None, description="Why the store is unreachable.")
    plans: int | None = None
    tasks: int | None = None
    agencies: int | None = None
    links: int | None = Field(default=None, description="Alignment links (ALIGNS_WITH).")


class Page(BaseModel):
    total: int = Field(description="Items matching the filters, before paging.")
    offset: int
    limit: int


# --- plans -------------------------------------------------------------------------------


class PlanRef(BaseModel):
    id: str = Field(examples=["沪松府-2023-138"])
    title: str | None = None
    doc_number: str | None = None
    level: str | None = None
    region: str | None = None
    stub: bool = Field(default=False, description="Cited by a loaded plan but not loaded.")


class PlanSummary(PlanRef):
    name: str | None = None
    issuer: str | None = None
    issued_on: str | None = None
    period: str | None = None
    implements: list[PlanRef] = Field(default_factory=list, description="Parent plans.")
    implemented_by: list[PlanRef] = Field(default_factory=list, description="Child plans.")
    goals: int = 0
    actions: int = 0
    tasks: int = 0
    measures: int = 0


class PlanList(BaseModel):
    plans: list[PlanSummary]


class IndicatorOut(BaseModel):
    id: str
    plan_id: str | None = None
    scope: str | None = Field(default=None, description="plan, goal, task or measure.")
    scope_ref: int | None = Field(default=None, description="The goal's order, task's number.")
    metric: str | None = None
    comparator: str | None = None
    value: float | None = None
    value_max: float | None = Field(default=None, description="A range's upper bound (2-3家).")
    unit: str | None = None
    period: str | None = None
    year: int | None = Field(default=None, description="The year by which the target holds.")
    subject: str | None = Field(
        default=None, description="The place or body it belongs to, when not the plan's own."
    )
    raw: str | None = None
    cascades_to: list[str] = Field(
        default_factory=list, description="Ids of parent-plan targets on the same metric."
    )


class PlanItem(BaseModel):
    """A goal, task or safeguard measure in a plan's tree (a row of `plan_overview`)."""

    id: str
    kind: str = Field(description="goal, task or measure.")
    section: int | None = Field(default=None, description="Goal/measure order, task's group.")
    number: int | None = Field(default=None, description="A task's number.")
    title: str | None = None
    indicators: int | None = Field(default=None, description="Targets stated on it.")
    owners: int | None = Field(default=None, description="Directly listed 责任单位.")


class ActionOut(BaseModel):
    id: str
    section: int | None = None
    title: str | None = None
    tasks: list[PlanItem] = Field(default_factory=list)


class PlanTree(PlanSummary):
    overview: str | None = None
    goal_items: list[PlanItem] = Field(default_factory=list, description="主要目标 groups.")
    action_items: list[ActionOut] = Field(
        default_factory=list, description="重点任务: action groups with their tasks."
    )
    measure_items: list[PlanItem] = Field(default_factory=list, description="保障措施.")
    indicators: list[IndicatorOut] = Field(default_factory=list)


class AlignmentRow(BaseModel):
    """One row of the `district_to_city` view."""

    plan: str
    child_number: int | None = None
    child_title: str | None = None
    parent_plan: str | None = None
    parent_number: int | None = None
    parent_title: str | None = None
    score: float | None = None
    status: str | None = Field(
        default=None,
        description="The link's status (e.g. proposed, confirmed, rejected), or "
        "'no parent' / 'no child' for unaligned items.",
    )
    method: str | None = None
    evidence: list[str] | None = None
    child_id: str | None = None
    parent_id: str | None = None


class TaskBrief(BaseModel):
    id: str = Field(examples=["沪松府-2023-138/task/7"])
    plan_id: str | None = None
    number: int | None = None
    title: str | None = None
    score: int | None = Field(default=None, description="With q: how many words matched.")
    matched: list[str] | None = Field(default=None, description="With q: the words found.")


class AlignmentOut(BaseModel):
    plan: PlanRef = Field(description="The child (district) plan.")
    parents: list[PlanRef] = Field(description="The plan(s) it implements.")
    rows: list[AlignmentRow] = Field(
        description="Exactly the rows of the `district_to_city` view for this plan."
    )
    unaligned_children: list[TaskBrief] = Field(
        description="Child-plan tasks with no parent task (local initiatives)."
    )
    unaligned_parents: list[TaskBrief] = Field(
        description="Parent-plan tasks no task of this child plan implements."
    )


# --- tasks -------------------------------------------------------------------------------


class TaskPage(Page):
    items: list[TaskBrief]


class Owner(BaseModel):
    id: str
    name: str
    role: str | None = Field(default=None, description="lead (first listed) or co.")
    order: int | None = Field(default=None, description="Position in the 责任单位 line.")
    via: str | None = Field(
        default=None, description="The collective line (各区政府) it owns the task through."
    )


class AlignedTask(BaseModel):
    id: str
    plan_id: str | None = None
    number: int | None = None
    title: str | None = None
    score: float | None = None
    status: str | None = None
    method: str | None = None
    evidence: list[str] | None = None


class NamedNode(BaseModel):
    id: str
    name: str
    kind: str | None = None


class SourceLines(BaseModel):
    file: str | None = Field(default=None, description="The plan file the task was read from.")
    line_start: int | None = None
    line_end: int | None = None


class TaskDetail(BaseModel):
    id: str
    name: str
    plan: PlanRef
    number: int | None = None
    title: str | None = None
    text: str | None = None
    action: PlanItem | None = Field(default=None, description="Its action group (行动).")
    owners: list[Owner] = Field(default_factory=list)
    parents: list[AlignedTask] = Field(
        default_factory=list, description="Parent-plan tasks this task implements."
    )
    children: list[AlignedTask] = Field(
        default_factory=list, description="Child-plan tasks that implement this task."
    )
    places: list[NamedNode] = Field(default_factory=list)
    industries: list[NamedNode] = Field(default_factory=list)
    indicators: list[IndicatorOut] = Field(default_factory=list)
    source: SourceLines = Field(default_factory=SourceLines)


# --- agencies, catalog -------------------------------------------------------------------


class AgencyOut(BaseModel):
    id: str
    name: str
    kind: str | None = None
    level: str | None = None
    led: int = Field(default=0, description="Tasks it leads (first listed).")
    co_owned: int = Field(default=0, description="Tasks it co-owns (listed, not first).")
    via_collective: int = Field(default=0, description="Tasks through a collective line.")
    measures: int = Field(default=0, description="Safeguard measures it is on.")
    plans: list[str] = Field(default_factory=list, description="Plans it is on.")
    counterparts: list[str] = Field(
        default_factory=list, description="Its mirror at the other level (区经委 ↔ 市经济信息化委)."
    )


class AgencyList(BaseModel):
    agencies: list[AgencyOut]


class AgencyTaskRow(BaseModel):
    """One row of the `tasks_by_agency` view."""

    agency: str
    plan: str | None = None
    kind: str = Field(description="task or measure.")
    number: int | None = None
    title: str | None = None
    role: str | None = None
    via: str = Field(description="direct, collective or counterpart.")
    through: str | None = Field(default=None, description="The collective or counterpart.")
    id: str


class AgencyTasks(BaseModel):
    agency: str = Field(description="The agency as asked for.")
    include_collective: bool
    include_counterparts: bool
    rows: list[AgencyTaskRow] = Field(description="Exactly the rows of `tasks_by_agency`.")


class IndustryOut(BaseModel):
    id: str
    name: str
    tier: str | None = None
    groupings: list[str] = Field(default_factory=list)
    part_of: list[str] = Field(default_factory=list, description="Parent industries' names.")
    tasks: int = Field(default=0, description="Tasks that target it directly.")


class IndustryList(BaseModel):
    industries: list[IndustryOut]


class RegionOut(BaseModel):
    id: str
    name: str
    kind: str | None = None
    part_of: list[str] = Field(default_factory=list, description="Enclosing places' names.")
    tasks: int = Field(default=0, description="Tasks that mention it directly.")


class RegionList(BaseModel):
    regions: list[RegionOut]


class IndicatorList(BaseModel):
    indicators: list[IndicatorOut]


# --- views, graph ------------------------------------------------------------------------


class ViewParameterOut(BaseModel):
    name: str
    type: str | None = None
    required: bool = False
    default: Value = None
    example: Value = None
    description: str | None = None
    minimum: int | None = None
    maximum: int | None = None


class ViewOut(BaseModel):
    name: str
    title: str | None = None
    purpose: str | None = None
    parameters: list[ViewParameterOut] = Field(default_factory=list)
    url: str = Field(description="Where to run it: /views/{name}.")


class ViewList(BaseModel):
    views: list[ViewOut]


class ViewResult(BaseModel):
    view: str
    parameters: dict[str, Value]
    columns: list[str]
    rows: list[dict[str, Value]]
    count: int


class GraphNode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    name: str
    properties: dict[str, Value] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    source: str
    target: str
    type: str
    properties: dict[str, Value] = Field(default_factory=dict)


class GraphOut(BaseModel):
    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
