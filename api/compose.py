"""Resource answers assembled from the registered views and `store.node()`.

The routers stay thin and Cypher-free: every answer here is built from views both stores run
identically (so embedded and Neo4j give the same JSON), plus node lookups. Where the store
offers no view for a question (listing plans, industries, places), the answer is composed
from the views that exist; the comments say which, so a dedicated view can replace it later.
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
from api.suggest import closest
from queries.errors import PlanNotFound
from queries.store import GraphStore
from schema import graph_model as gm

Row = dict[str, Any]


# -- plans ------------------------------------------------------------------------------------


def plan_refs(store: GraphStore) -> list[Row]:
    """Every Plan node as {id, doc_key, region, title, stub}.

    No view lists plans, and `_plan_refs` is the store's own (both stores implement it) for
    resolving references; we read it rather than guess plan ids. A public `plans()` or a
    `plans` view would replace this.
    """
    return sorted(store._plan_refs(), key=lambda p: p["id"])  # type: ignore[attr-defined]


def loaded_plan_ids(store: GraphStore) -> list[str]:
    return [p["id"] for p in plan_refs(store) if not p.get("stub")]


def resolve_plan(store: GraphStore, ref: str, *, field: str | None = None) -> str:
    """A plan id; an unknown reference is 404 (a path) or 422 naming `field` (a filter)."""
    try:
        return store.resolve_plan(ref)
    except PlanNotFound as error:
        if field:
            raise InvalidParameter(field, error.message, error.suggestions) from None
        raise NotFound("plan", ref, error.suggestions) from None


def plan_ref(store: GraphStore, plan_id: str) -> PlanRef:
    props = store.node(plan_id) or {"id": plan_id}
    return PlanRef(
        id=plan_id,
        title=props.get("title") or props.get("name"),
        doc_number=props.get("doc_number"),
        level=props.get("level"),
        region=props.get("region"),
        stub=bool(props.get("stub")),
    )


def _neighbourhood(store: GraphStore, node_id: str, depth: int) -> tuple[list[Row], list[Row]]:
    rows = store.run_view("neighbourhood", {"id": node_id, "depth": depth})
    nodes = [r for r in rows if r["kind"] == "node"]
    edges = [r for r in rows if r["kind"] == "edge"]
    return nodes, edges


def plan_summary(store: GraphStore, plan_id: str) -> PlanSummary:
    props = store.node(plan_id) or {"id": plan_id}
    _, edges = _neighbourhood(store, plan_id, 1)
    parents = sorted(
        e["target"] for e in edges if e["type"] == gm.IMPLEMENTS and e["source"] == plan_id
    )
    children = sorted(
        e["source"] for e in edges if e["type"] == gm.IMPLEMENTS and e["target"] == plan_id
    )
    overview = store.run_view("plan_overview", {"plan": plan_id}) if not props.get("stub") else []
    kinds = defaultdict(int)
    for row in overview:
        kinds[row["kind"]] += 1
    return PlanSummary(
        id=plan_id,
        name=props.get("name"),
        title=props.get("title") or props.get("name"),
        doc_number=props.get("doc_number"),
        issuer=props.get("issuer"),
        level=props.get("level"),
        region=props.get("region"),
        issued_on=props.get("issued_on"),
        period=props.get("period"),
        stub=bool(props.get("stub")),
        implements=[plan_ref(store, p) for p in parents],
        implemented_by=[plan_ref(store, p) for p in children],
        goals=kinds["goal"],
        actions=kinds["action"],
        tasks=kinds["task"],
        measures=kinds["measure"],
    )


def plan_tree(store: GraphStore, ref: str) -> PlanTree:
    plan_id = resolve_plan(store, ref)
    summary = plan_summary(store, plan_id)
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
    # The rows name the parent plan(s) whenever any parent task is listed; only a plan whose
    # parent has no tasks here (a cited, unloaded stub) needs the extra round trip.
    parents = sorted({r["parent_plan"] for r in rows if r["parent_plan"]})
    if not parents:
        _, edges = _neighbourhood(store, plan_id, 1)
        parents = sorted(
            e["target"] for e in edges if e["type"] == gm.IMPLEMENTS and e["source"] == plan_id
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
        plan=plan_ref(store, plan_id),
        parents=[plan_ref(store, p) for p in parents],
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
                unit=row["child_unit"],
                period=row["child_period"],
                raw=row["child_raw"],
            )
        if row["parent_id"] and row["parent_id"] not in item.cascades_to:
            item.cascades_to.append(row["parent_id"])
    return list(found.values())


def indicators(store: GraphStore, plan: str | None) -> list[IndicatorOut]:
    plan_ids = [resolve_plan(store, plan, field="plan")] if plan else loaded_plan_ids(store)
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
        plan_ids = [resolve_plan(store, plan, field="plan")] if plan else loaded_plan_ids(store)
        items = all_tasks(store, plan_ids)
    if plan is not None and q is not None:
        plan_id = resolve_plan(store, plan, field="plan")
        items = [t for t in items if t.plan_id == plan_id]
    if agency is not None:
        rows = store.run_view("tasks_by_agency", {"agency": agency})
        if not rows and not _known(store, gm.AGENCY, agency):
            names = [a.name for a in agencies(store)]
            raise InvalidParameter(
                "agency",
                f"no agency {agency!r}",
                _name_suggestions(store, gm.AGENCY, agency, names),
            )
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
    refs = plan_refs(store)
    plan_ids = [p["id"] for p in refs if p["id"] == plan_part and not p.get("stub")]
    if not plan_ids:
        plan_ids = [p["id"] for p in refs if not p.get("stub")]
    ids = [t.id for t in all_tasks(store, plan_ids)]
    names = [h["id"] for h in store.search_names(task_id, limit=10) if h["label"] == gm.TASK]
    return closest(task_id, [*names, *ids])


def task_detail(store: GraphStore, task_id: str) -> TaskDetail:
    props = store.node(task_id)
    if props is None or props.get("label") != gm.TASK:
        raise NotFound("task", task_id, _task_suggestions(store, task_id))
    plan_id = props.get("plan_id") or task_id.split("/", 1)[0]
    nodes, edges = _neighbourhood(store, task_id, 1)
    labels = {n["id"]: n["label"] for n in nodes}
    names = {n["id"]: n["name"] for n in nodes}

    action = None
    for edge in edges:
        if edge["type"] == gm.HAS_TASK and edge["target"] == task_id:
            action_props = store.node(edge["source"]) or {}
            action = PlanItem(
                id=edge["source"],
                kind="action",
                section=action_props.get("order"),
                title=action_props.get("title"),
            )

    owners = _owners(store, task_id, props, nodes, edges)

    parents = [
        AlignedTask(
            id=r["parent_id"],
            plan_id=r["parent_plan"],
            number=r["parent_number"],
            title=r["parent_title"],
            score=r["score"],
            status=r["status"],
            method=r["method"],
            evidence=r["evidence"],
        )
        for r in store.run_view("district_to_city", {"plan": plan_id})
        if r["child_id"] == task_id and r["parent_id"] is not None
    ]
    children = (
        [
            AlignedTask(
                id=r["child_id"],
                plan_id=r["child_plan"],
                number=r["child_number"],
                title=r["child_title"],
                score=r["score"],
                status=r["status"],
            )
            for r in store.run_view(
                "city_task_children", {"plan": plan_id, "task": props.get("number")}
            )
            if r["parent_plan"] == plan_id
        ]
        if props.get("number") is not None
        else []
    )

    def about(rel: str, label: str) -> list[NamedNode]:
        found = sorted(
            e["target"]
            for e in edges
            if e["type"] == rel and e["source"] == task_id and labels.get(e["target"]) == label
        )
        # A place's kind (town, district…); an industry's tier (industry, sub-industry…).
        key = "tier" if label == gm.INDUSTRY else "kind"
        return [NamedNode(id=n, name=names[n], kind=(store.node(n) or {}).get(key)) for n in found]

    indicator_ids = {
        e["target"] for e in edges if e["type"] == gm.HAS_INDICATOR and e["source"] == task_id
    }
    task_indicators = (
        [i for i in plan_indicators(store, plan_id) if i.id in indicator_ids]
        if indicator_ids
        else []
    )
    plan_props = store.node(plan_id) or {}
    return TaskDetail(
        id=task_id,
        name=props.get("name") or task_id,
        plan=plan_ref(store, plan_id),
        number=props.get("number"),
        title=props.get("title"),
        text=props.get("text"),
        action=action,
        owners=owners,
        parents=parents,
        children=children,
        places=about(gm.MENTIONS, gm.REGION),
        industries=about(gm.TARGETS, gm.INDUSTRY),
        indicators=task_indicators,
        source=SourceLines(
            file=plan_props.get("source_file"),
            line_start=props.get("line_start"),
            line_end=props.get("line_end"),
        ),
    )


def _owners(
    store: GraphStore, task_id: str, props: Row, nodes: list[Row], edges: list[Row]
) -> list[Owner]:
    """Owners with role, order and collective line.

    The neighbourhood view carries no relationship properties, so the role of each owner is
    read from `tasks_by_agency` (which returns role and via for the agency's items).
    """
    names = {n["id"]: n["name"] for n in nodes}
    agency_ids = sorted(
        e["source"] for e in edges if e["type"] == gm.RESPONSIBLE_FOR and e["target"] == task_id
    )
    owners: list[Owner] = []
    for agency_id in agency_ids:
        rows = [
            r
            for r in store.run_view("tasks_by_agency", {"agency": agency_id})
            if r["id"] == task_id and r["via"] != "counterpart"
        ]
        row = rows[0] if rows else {}
        owners.append(
            Owner(
                id=agency_id,
                name=names.get(agency_id, agency_id),
                role=row.get("role"),
                via=row.get("through") if row.get("via") == "collective" else None,
            )
        )
    written = list(props.get("agencies") or [])
    for owner in owners:
        agency_props = store.node(owner.id) or {}
        spellings = [owner.name, *(agency_props.get("aliases") or [])]
        for position, name in enumerate(written, start=1):
            if name in spellings:
                owner.order = position
                break
    # Listed order first (lead, then co-owners), then members through a collective line.
    owners.sort(key=lambda o: (o.via is not None, o.order or 10_000, o.name))
    return owners


# -- agencies ---------------------------------------------------------------------------------


def counterparts(store: GraphStore) -> dict[str, list[str]]:
    """Agency name -> the names it mirrors at the other level, both ways."""
    pairs: dict[str, set[str]] = defaultdict(set)
    for row in store.run_view("agency_counterparts", {}):
        pairs[row["agency"]].add(row["counterpart"])
        pairs[row["counterpart"]].add(row["agency"])
    return {name: sorted(others) for name, others in pairs.items()}


def agencies(store: GraphStore) -> list[AgencyOut]:
    """Every agency on a loaded plan, with its workload summed over plans.

    Composed from `agency_workload` per plan plus `agency_counterparts` (which also names
    counterparts that own nothing in the loaded plans).
    """
    found: dict[str, AgencyOut] = {}
    for plan_id in loaded_plan_ids(store):
        for row in store.run_view("agency_workload", {"plan": plan_id}):
            agency = found.setdefault(
                row["id"],
                AgencyOut(id=row["id"], name=row["agency"], kind=row["kind"], level=row["level"]),
            )
            agency.led += row["led"]
            agency.co_owned += row["co_owned"]
            agency.via_collective += row["via_collective"]
            agency.measures += row["measures"]
            if plan_id not in agency.plans:
                agency.plans.append(plan_id)
    mirror = counterparts(store)
    for row in store.run_view("agency_counterparts", {}):
        for prefix in ("agency", "counterpart"):
            agency_id = row[f"{prefix}_id"]
            if agency_id not in found:
                found[agency_id] = AgencyOut(
                    id=agency_id, name=row[prefix], level=row[f"{prefix}_level"]
                )
    for agency in found.values():
        agency.counterparts = mirror.get(agency.name, [])
    return sorted(found.values(), key=lambda a: a.id)


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
    if not rows and not _known(store, gm.AGENCY, name):
        pool = [a.name for a in agencies(store)]
        hits = [h["name"] for h in store.search_names(name, limit=50) if h["label"] == gm.AGENCY]
        raise NotFound("agency", name, closest(name, [*hits, *pool], related=counterparts(store)))
    return [AgencyTaskRow(**row) for row in rows]


# -- industries and places --------------------------------------------------------------------


def _around_plans(store: GraphStore, label: str, rel: str) -> tuple[dict[str, str], dict]:
    """Nodes of `label` within three hops of a loaded plan (plan-action-task-x), with how
    many tasks point at each through `rel`.

    No view lists industries or places, so we walk the neighbourhood of each plan.
    """
    names: dict[str, str] = {}
    tasks: dict[str, set[str]] = defaultdict(set)
    for plan_id in loaded_plan_ids(store):
        nodes, edges = _neighbourhood(store, plan_id, 3)
        labels = {n["id"]: n["label"] for n in nodes}
        for node in nodes:
            if node["label"] == label:
                names[node["id"]] = node["name"]
        for edge in edges:
            source, target = labels.get(edge["source"]), labels.get(edge["target"])
            if edge["type"] == rel and source == gm.TASK and target == label:
                tasks[edge["target"]].add(edge["source"])
    return names, tasks


def _parents(store: GraphStore, node_id: str, label: str) -> list[str]:
    nodes, edges = _neighbourhood(store, node_id, 1)
    names = {n["id"]: n["name"] for n in nodes if n["label"] == label}
    return sorted(
        names[e["target"]]
        for e in edges
        if e["type"] == gm.PART_OF and e["source"] == node_id and e["target"] in names
    )


def industries(store: GraphStore) -> list[IndustryOut]:
    names, tasks = _around_plans(store, gm.INDUSTRY, gm.TARGETS)
    out = []
    for node_id in sorted(names):
        props = store.node(node_id) or {}
        out.append(
            IndustryOut(
                id=node_id,
                name=names[node_id],
                tier=props.get("tier"),
                groupings=list(props.get("groupings") or []),
                part_of=_parents(store, node_id, gm.INDUSTRY),
                tasks=len(tasks.get(node_id, ())),
            )
        )
    return out


def regions(store: GraphStore) -> list[RegionOut]:
    names, tasks = _around_plans(store, gm.REGION, gm.MENTIONS)
    out = []
    for node_id in sorted(names):
        props = store.node(node_id) or {}
        out.append(
            RegionOut(
                id=node_id,
                name=names[node_id],
                kind=props.get("kind"),
                part_of=_parents(store, node_id, gm.REGION),
                tasks=len(tasks.get(node_id, ())),
            )
        )
    return out


# -- graph ------------------------------------------------------------------------------------

# Properties not worth shipping to a drawing: long texts are fetched with the node's own page.
_HEAVY = {"text", "overview"}


def graph(store: GraphStore, node_id: str, depth: int) -> GraphOut:
    nodes, edges = _neighbourhood(store, node_id, depth)
    if not nodes:
        hits = store.search_names(node_id, limit=5)
        suggestions = [h["id"] for h in hits]
        if "/task/" in node_id:
            suggestions += _task_suggestions(store, node_id)
        raise NotFound("node", node_id, list(dict.fromkeys(suggestions))[:5])
    out_nodes = []
    for row in nodes:
        props = store.node(row["id"]) or {}
        extra = {k: v for k, v in props.items() if k not in {"id", "name", "label", *_HEAVY}}
        out_nodes.append(
            GraphNode(id=row["id"], label=row["label"], name=row["name"] or "", properties=extra)
        )
    return GraphOut(
        center=node_id,
        depth=depth,
        nodes=out_nodes,
        edges=[GraphEdge(source=e["source"], target=e["target"], type=e["type"]) for e in edges],
    )
