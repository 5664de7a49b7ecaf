"""Resource answers assembled from the registered views.

The routers stay thin and Cypher-free: every answer here is built from views both stores run
identically (so embedded and Neo4j give the same JSON). Each answer costs a fixed number of
views, not one per item: on Neo4j every view is a round trip, so a loop of `store.node()`
calls would make a page's latency grow with the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from api.errors import InvalidParameter, NotFound
from api.models import (
    ActionOut,
    AgencyOut,
    AgencyTaskRow,
    AlignedTask,
    AlignmentOut,
    AlignmentRow,
    GraphEdge,
    GraphNode,
    GraphOut,
    IndicatorOut,
    IndustryOut,
    NamedNode,
    Owner,
    PlanItem,
    PlanRef,
    PlanSummary,
    PlanTree,
    RegionOut,
    SourceLines,
    TaskBrief,
    TaskDetail,
)
from queries.store import GraphStore
from queries.suggest import closest
from schema import graph_model as gm

Row = dict[str, Any]


# -- plans ------------------------------------------------------------------------------------


def plan_rows(store: GraphStore) -> list[Row]:
    """Every plan, loaded or cited, as rows of the `plans` view (ordered by id)."""
    return store.run_view("plans", {})


def loaded_plan_ids(store: GraphStore) -> list[str]:
    return [p["id"] for p in plan_rows(store) if not p["stub"]]


def resolve_plan(store: GraphStore, ref: str) -> str:
    """A plan id; an unknown reference raises NameNotFound, which the API answers with 404."""
    return store.resolve("plan", ref)


def plan_ref(row: Row) -> PlanRef:
    """A plan reference from a `plans` row (or the `plan` map of a `task_detail` row)."""
    return PlanRef(
        id=row["id"],
        title=row.get("title") or row.get("name"),
        doc_number=row.get("doc_number"),
        level=row.get("level"),
        region=row.get("region"),
        stub=bool(row.get("stub")),
    )


def _plans_by_id(store: GraphStore) -> dict[str, Row]:
    return {row["id"]: row for row in plan_rows(store)}


def _ref(plans: dict[str, Row], plan_id: str) -> PlanRef:
    return plan_ref(plans.get(plan_id) or {"id": plan_id})


def _neighbourhood(store: GraphStore, node_id: str, depth: int) -> tuple[list[Row], list[Row]]:
    params = {"id": node_id, "depth": depth}
    nodes = [row["node"] for row in store.run_view("neighbourhood", params)]
    links = store.run_view("neighbourhood_links", params) if nodes else []
    return nodes, links


def plan_summary(plans: dict[str, Row], plan_id: str) -> PlanSummary:
    row = plans[plan_id]
    return PlanSummary(
        **plan_ref(row).model_dump(),
        name=row["name"],
        issuer=row["issuer"],
        issued_on=row["issued_on"],
        period=row["period"],
        implements=[_ref(plans, p) for p in row["implements"]],
        implemented_by=[_ref(plans, p) for p in row["implemented_by"]],
        goals=row["goals"],
        actions=row["actions"],
        tasks=row["tasks"],
        measures=row["measures"],
    )


def plan_list(store: GraphStore) -> list[PlanSummary]:
    plans = _plans_by_id(store)
    return [plan_summary(plans, plan_id) for plan_id in plans]


def plan_tree(store: GraphStore, ref: str) -> PlanTree:
    plan_id = resolve_plan(store, ref)
    summary = plan_summary(_plans_by_id(store), plan_id)
    # The overview paragraph is long, so the `plans` list leaves it out; one node read.
    props = store.node(plan_id) or {}
    goals: list[PlanItem] = []
    actions: list[ActionOut] = []
    measures: list[PlanItem] = []
    by_section: dict[Any, ActionOut] = {}
    for row in store.run_view("plan_overview", {"plan": plan_id}):
        kind = row["kind"]
        if kind == "action":
            action = ActionOut(id=row["id"], section=row["section"], title=row["title"])
            by_section[row["section"]] = action
            actions.append(action)
            continue
        item = PlanItem(
            id=row["id"],
            kind=kind,
            section=row["section"],
            number=row["number"],
            title=row["title"],
            indicators=row["indicators"],
            owners=row["owners"],
        )
        if kind == "goal":
            goals.append(item)
        elif kind == "measure":
            measures.append(item)
        elif kind == "task" and row["section"] in by_section:
            by_section[row["section"]].tasks.append(item)
    return PlanTree(
        **summary.model_dump(),
        overview=props.get("overview"),
        goal_items=goals,
        action_items=actions,
        measure_items=measures,
        indicators=plan_indicators(store, plan_id),
    )


def alignment(store: GraphStore, ref: str) -> AlignmentOut:
    plan_id = resolve_plan(store, ref)
    rows = store.run_view("district_to_city", {"plan": plan_id})
    plans = _plans_by_id(store)
    # The plan's IMPLEMENTS links, plus any plan a parent row names (the same ones when the
    # parent is loaded; a cited stub has no tasks to name).
    parents = sorted(
        {*plans[plan_id]["implements"], *(r["parent_plan"] for r in rows if r["parent_plan"])}
    )
    # The view marks the unaligned on both sides; the lists just name them for convenience.
    children = [
        TaskBrief(
            id=r["child_id"], plan_id=plan_id, number=r["child_number"], title=r["child_title"]
        )
        for r in rows
        if r["status"] == "no parent"
    ]
    orphans = [
        TaskBrief(
            id=r["parent_id"],
            plan_id=r["parent_plan"],
            number=r["parent_number"],
            title=r["parent_title"],
        )
        for r in rows
        if r["status"] == "no child"
    ]
    return AlignmentOut(
        plan=_ref(plans, plan_id),
        parents=[_ref(plans, p) for p in parents],
        rows=[AlignmentRow(**r) for r in rows],
        unaligned_children=children,
        unaligned_parents=orphans,
    )


# -- indicators -------------------------------------------------------------------------------


def plan_indicators(store: GraphStore, plan_id: str) -> list[IndicatorOut]:
    """A plan's targets, each with the parent targets it cascades to (`indicator_cascade`)."""
    found: dict[str, IndicatorOut] = {}
    for row in store.run_view("indicator_cascade", {"plan": plan_id}):
        item = found.get(row["child_id"])
        if item is None:
            item = found[row["child_id"]] = IndicatorOut(
                id=row["child_id"],
                plan_id=row["plan"],
                scope=row["child_scope"],
                scope_ref=row["child_ref"],
                metric=row["metric"],
                comparator=row["child_comparator"],
                value=row["child_value"],
                value_max=row["child_value_max"],
                unit=row["child_unit"],
                period=row["child_period"],
                year=row["child_year"],
                subject=row["child_subject"],
                raw=row["child_raw"],
            )
        if row["parent_id"] and row["parent_id"] not in item.cascades_to:
            item.cascades_to.append(row["parent_id"])
    return list(found.values())


def indicators(store: GraphStore, plan: str | None) -> list[IndicatorOut]:
    plan_ids = [resolve_plan(store, plan)] if plan else loaded_plan_ids(store)
    return [item for plan_id in plan_ids for item in plan_indicators(store, plan_id)]


# -- tasks ------------------------------------------------------------------------------------


def all_tasks(store: GraphStore, plan_ids: Iterable[str]) -> list[TaskBrief]:
    return [
        TaskBrief(id=row["id"], plan_id=row["plan"], number=row["number"], title=row["title"])
        for plan_id in plan_ids
        for row in store.run_view("plan_overview", {"plan": plan_id})
        if row["kind"] == "task"
    ]


def _known(store: GraphStore, label: str, ref: str) -> bool:
    """Is there a node of `label` whose id or name is exactly `ref`?"""
    props = store.node(ref)
    if props is not None:
        return props.get("label") == label
    return any(
        hit["label"] == label and hit["name"] == ref for hit in store.search_names(ref, limit=50)
    )


def _name_suggestions(store: GraphStore, label: str, ref: str, pool: Iterable[str]) -> list[str]:
    hits = [h["name"] for h in store.search_names(ref, limit=50) if h["label"] == label]
    return closest(ref, [*hits, *pool])


def filter_tasks(
    store: GraphStore,
    *,
    plan: str | None,
    agency: str | None,
    industry: str | None,
    region: str | None,
    q: str | None,
) -> list[TaskBrief]:
    """Tasks matching every filter given: ranked by q when searching, else plan and number."""
    if q is not None:
        rows = store.run_view("search_tasks", {"q": q, "limit": 500})
        items = [
            TaskBrief(
                id=r["id"],
                plan_id=r["plan"],
                number=r["number"],
                title=r["title"],
                score=r["score"],
                matched=r["matched"],
            )
            for r in rows
        ]
    else:
        plan_ids = [resolve_plan(store, plan)] if plan else loaded_plan_ids(store)
        items = all_tasks(store, plan_ids)
    if plan is not None and q is not None:
        plan_id = resolve_plan(store, plan)
        items = [t for t in items if t.plan_id == plan_id]
    if agency is not None:
        rows = store.run_view("tasks_by_agency", {"agency": agency})
        keep = {r["id"] for r in rows if r["kind"] == "task"}
        items = [t for t in items if t.id in keep]
    for field, value, view, label in (
        ("industry", industry, "tasks_by_industry", gm.INDUSTRY),
        ("region", region, "tasks_by_region", gm.REGION),
    ):
        if value is None:
            continue
        rows = store.run_view(view, {field: value})
        if not rows and not _known(store, label, value):
            pool = [i.name for i in (industries(store) if label == gm.INDUSTRY else regions(store))]
            raise InvalidParameter(
                field, f"no {field} {value!r}", _name_suggestions(store, label, value, pool)
            )
        keep = {r["id"] for r in rows}
        items = [t for t in items if t.id in keep]
    return items


def _task_suggestions(store: GraphStore, task_id: str) -> list[str]:
    plan_part = task_id.split("/", 1)[0]
    refs = plan_rows(store)
    plan_ids = [p["id"] for p in refs if p["id"] == plan_part and not p.get("stub")]
    if not plan_ids:
        plan_ids = [p["id"] for p in refs if not p.get("stub")]
    ids = [t.id for t in all_tasks(store, plan_ids)]
    names = [h["id"] for h in store.search_names(task_id, limit=10) if h["label"] == gm.TASK]
    return closest(task_id, [*names, *ids])


def _aligned(row: Row) -> AlignedTask:
    return AlignedTask(
        id=row["id"],
        plan_id=row["plan_id"],
        number=row["number"],
        title=row["title"],
        score=row["score"],
        status=row["status"],
        method=row["method"],
        evidence=row["evidence"],
    )


def task_detail(store: GraphStore, task_id: str) -> TaskDetail:
    """One task from one `task_detail` row (its lists come ordered by the view)."""
    rows = store.run_view("task_detail", {"id": task_id})
    if not rows:
        raise NotFound("task", task_id, _task_suggestions(store, task_id))
    row = rows[0]
    plan = row["plan"] or {"id": task_id.split("/", 1)[0]}
    action = row["action"]
    return TaskDetail(
        id=task_id,
        name=row["name"] or task_id,
        plan=plan_ref(plan),
        number=row["number"],
        title=row["title"],
        text=row["text"],
        action=PlanItem(
            id=action["id"], kind="action", section=action["order"], title=action["title"]
        )
        if action
        else None,
        # Listed owners in their 责任单位 order (lead first), then members of a collective line.
        owners=[
            Owner(
                id=o["id"],
                name=o["name"] or o["id"],
                role=o["role"],
                order=o["order"],
                via=o["via"],
            )
            for o in row["owners"]
        ],
        parents=[_aligned(r) for r in row["parents"]],
        children=[_aligned(r) for r in row["children"]],
        places=[NamedNode(id=x["id"], name=x["name"], kind=x["kind"]) for x in row["places"]],
        # An industry's tier (industry, sub-industry…) is what `kind` means for industries.
        industries=[
            NamedNode(id=x["id"], name=x["name"], kind=x["tier"]) for x in row["industries"]
        ],
        indicators=[IndicatorOut(**i) for i in row["indicators"]],
        source=SourceLines(
            file=plan.get("source_file"), line_start=row["line_start"], line_end=row["line_end"]
        ),
    )


# -- agencies ---------------------------------------------------------------------------------


def _agency_rows(store: GraphStore) -> list[Row]:
    return store.run_view("agencies", {})


def counterparts(rows: list[Row]) -> dict[str, list[str]]:
    """Agency name -> the names it mirrors at the other level, both ways."""
    pairs: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        pairs[row["name"]].update(row["counterparts"])
    return {name: sorted(others) for name, others in pairs.items()}


def agencies(store: GraphStore) -> list[AgencyOut]:
    """Every agency with its workload over all plans and its counterparts (`agencies`)."""
    # The view's columns are the model's fields (and a few more the model leaves out).
    return [AgencyOut.model_validate(row) for row in _agency_rows(store)]


def agency_tasks(
    store: GraphStore, name: str, include_collective: bool, include_counterparts: bool
) -> list[AgencyTaskRow]:
    rows = store.run_view(
        "tasks_by_agency",
        {
            "agency": name,
            "include_collective": include_collective,
            "include_counterparts": include_counterparts,
        },
    )
    return [AgencyTaskRow(**row) for row in rows]


# -- industries and places --------------------------------------------------------------------


def industries(store: GraphStore) -> list[IndustryOut]:
    return [IndustryOut.model_validate(row) for row in store.run_view("industries", {})]


def regions(store: GraphStore) -> list[RegionOut]:
    return [RegionOut.model_validate(row) for row in store.run_view("regions", {})]


# -- graph ------------------------------------------------------------------------------------

# What a drawing shows of a node: captions and the few facts beside them, not long texts.
DRAWN_PROPERTIES = (
    "caption", "title", "number", "order", "plan_id", "doc_number", "level", "kind", "tier",
    "region", "stub", "metric", "value", "unit",
)  # fmt: skip


def graph(store: GraphStore, node_id: str, depth: int) -> GraphOut:
    nodes, edges = _neighbourhood(store, node_id, depth)
    if not nodes:
        hits = store.search_names(node_id, limit=5)
        suggestions = [h["id"] for h in hits]
        if "/task/" in node_id:
            suggestions += _task_suggestions(store, node_id)
        raise NotFound("node", node_id, list(dict.fromkeys(suggestions))[:5])
    return GraphOut(
        center=node_id,
        depth=depth,
        nodes=[
            GraphNode(
                id=node["id"],
                label=node["label"],
                name=node.get("name") or "",
                properties={k: node[k] for k in sorted(DRAWN_PROPERTIES) if k in node},
            )
            for node in nodes
        ],
        edges=[
            GraphEdge(
                source=link["source"],
                target=link["target"],
                type=link["relationship"]["type"],
                properties={k: v for k, v in sorted(link["relationship"].items()) if k != "type"},
            )
            for link in edges
        ],
    )
