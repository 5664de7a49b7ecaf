"""The embedded twin of every queries/*.cypher view, over the networkx graph.

Each function takes a `GraphIndex` and the validated parameters and returns the rows its
Cypher twin returns: same keys in the same order, same values, same row order. Ordering
follows Cypher's rules (ascending puts nulls last, descending puts them first), which
`order_rows` reproduces, so parity tests can compare lists for equality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from schema import graph_model as gm

Row = dict[str, Any]
View = Callable[["GraphIndex", dict[str, Any]], list[Row]]


class GraphIndex:
    """Adjacency by relationship type in both directions, built once per graph."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.nodes: dict[str, dict[str, Any]] = dict(graph.nodes(data=True))
        self.by_label: dict[str, list[str]] = defaultdict(list)
        for node_id, attrs in self.nodes.items():
            self.by_label[attrs["label"]].append(node_id)
        self.out: dict[str, dict[str, list[tuple[str, dict]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.inc: dict[str, dict[str, list[tuple[str, dict]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for source, target, attrs in graph.edges(data=True):
            self.out[source][attrs["type"]].append((target, attrs))
            self.inc[target][attrs["type"]].append((source, attrs))

    def label(self, node_id: str) -> str:
        return self.nodes[node_id]["label"]

    def get(self, node_id: str | None, key: str) -> Any:
        if node_id is None:
            return None
        return self.nodes[node_id].get(key)

    def outgoing(self, node_id: str, rel: str, label: str | None = None):
        for target, attrs in self.out.get(node_id, {}).get(rel, []):
            if label is None or self.label(target) == label:
                yield target, attrs

    def incoming(self, node_id: str, rel: str, label: str | None = None):
        for source, attrs in self.inc.get(node_id, {}).get(rel, []):
            if label is None or self.label(source) == label:
                yield source, attrs

    def tasks_of(self, plan_id: str) -> list[str]:
        return [
            task
            for action, _ in self.outgoing(plan_id, gm.HAS_ACTION, gm.ACTION)
            for task, _ in self.outgoing(action, gm.HAS_TASK, gm.TASK)
        ]

    def plans_matching(self, ref: str) -> list[str]:
        """The Cypher views' plan match: id, document number without spaces, or region."""
        key = ref.replace(" ", "")
        return [
            plan
            for plan in self.by_label[gm.PLAN]
            if ref == plan
            or self.nodes[plan].get("doc_key") == key
            or (self.nodes[plan].get("region") == ref and not self.nodes[plan].get("stub"))
        ]

    def reaching(self, roots: Iterable[str], rel: str) -> set[str]:
        """Roots and every node with a path of `rel` edges into a root (PART_OF*0..)."""
        found = set(roots)
        frontier = list(found)
        while frontier:
            node = frontier.pop()
            for source, _ in self.incoming(node, rel):
                if source not in found:
                    found.add(source)
                    frontier.append(source)
        return found


def _null_last(value: Any) -> tuple[int, Any]:
    return (1, 0) if value is None else (0, value)


def order_rows(rows: list[Row], *keys: str | tuple[str, str]) -> list[Row]:
    """Sort like Cypher ORDER BY: keys are column names, or (column, 'desc')."""
    for key in reversed(keys):
        column, direction = (key, "asc") if isinstance(key, str) else key
        rows.sort(key=lambda row, c=column: _null_last(row[c]), reverse=direction == "desc")
    return rows


def _direct(attrs: dict[str, Any]) -> bool:
    return attrs.get("via") is None


def _not_rejected(attrs: dict[str, Any]) -> bool:
    return (attrs.get("status") or "") != "rejected"


def _strip(rows: list[Row], *hidden: str) -> list[Row]:
    for row in rows:
        for key in hidden:
            row.pop(key, None)
    return rows


# -- views -------------------------------------------------------------------------------------


def plan_overview(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):

        def row(rank, kind, section, number, node, tasks, indicators, owners, plan=plan):
            return {
                "plan": plan,
                "kind": kind,
                "section": section,
                "number": number,
                "title": g.get(node, "title"),
                "tasks": tasks,
                "indicators": indicators,
                "owners": owners,
                "id": node,
                "_rank": rank,
                "_number": number or 0,
            }

        def count(node: str, rel: str, incoming: bool = False, direct: bool = False) -> int:
            edges = g.incoming(node, rel) if incoming else g.outgoing(node, rel)
            return sum(1 for _, attrs in edges if not direct or _direct(attrs))

        for goal, _ in g.outgoing(plan, gm.HAS_GOAL, gm.GOAL):
            rows.append(
                row(1, "goal", g.get(goal, "order"), None, goal, None,
                    count(goal, gm.HAS_INDICATOR), None)
            )  # fmt: skip
        for action, _ in g.outgoing(plan, gm.HAS_ACTION, gm.ACTION):
            order = g.get(action, "order")
            rows.append(
                row(2, "action", order, None, action, count(action, gm.HAS_TASK), None, None)
            )
            for task, _ in g.outgoing(action, gm.HAS_TASK, gm.TASK):
                rows.append(
                    row(2, "task", order, g.get(task, "number"), task, None,
                        count(task, gm.HAS_INDICATOR),
                        count(task, gm.RESPONSIBLE_FOR, incoming=True, direct=True))
                )  # fmt: skip
        for measure, _ in g.outgoing(plan, gm.HAS_MEASURE, gm.MEASURE):
            rows.append(
                row(3, "measure", g.get(measure, "order"), None, measure, None,
                    count(measure, gm.HAS_INDICATOR),
                    count(measure, gm.RESPONSIBLE_FOR, incoming=True, direct=True))
            )  # fmt: skip
    order_rows(rows, "plan", "_rank", "section", "_number", "id")
    return _strip(rows, "_rank", "_number")


def _task_row(g: GraphIndex, plan: str, child: str | None, parent: str | None, link: dict | None,
              status: str | None) -> Row:  # fmt: skip
    link = link or {}
    return {
        "plan": plan,
        "child_number": g.get(child, "number"),
        "child_title": g.get(child, "title"),
        "parent_plan": g.get(parent, "plan_id"),
        "parent_number": g.get(parent, "number"),
        "parent_title": g.get(parent, "title"),
        "score": link.get("score"),
        "status": status,
        "method": link.get("method"),
        "evidence": link.get("evidence"),
        "child_id": child,
        "parent_id": parent,
    }


def _aligned_from(g: GraphIndex, child_plan: str, parent_task: str) -> bool:
    return any(
        g.get(child, "plan_id") == child_plan and _not_rejected(attrs)
        for child, attrs in g.incoming(parent_task, gm.ALIGNS_WITH, gm.TASK)
    )


def _parent_plan_tasks(g: GraphIndex, child_plan: str) -> list[str]:
    return [
        task
        for parent, _ in g.outgoing(child_plan, gm.IMPLEMENTS, gm.PLAN)
        for task in g.tasks_of(parent)
    ]


def district_to_city(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):
        for child in g.tasks_of(plan):
            links = list(g.outgoing(child, gm.ALIGNS_WITH, gm.TASK))
            for parent, attrs in links:
                rows.append(_task_row(g, plan, child, parent, attrs, attrs.get("status")))
            if not any(_not_rejected(attrs) for _, attrs in links):
                rows.append(_task_row(g, plan, child, None, None, "no parent"))
        for parent in _parent_plan_tasks(g, plan):
            if not _aligned_from(g, plan, parent):
                rows.append(_task_row(g, plan, None, parent, None, "no child"))
    return order_rows(
        rows, "plan", "child_number", "child_id", "parent_plan", "parent_number", "parent_id"
    )


def city_task_children(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):
        for parent in g.tasks_of(plan):
            if g.get(parent, "number") != params["task"]:
                continue
            for child, attrs in g.incoming(parent, gm.ALIGNS_WITH, gm.TASK):
                child_plan = g.get(child, "plan_id")
                if child_plan not in g.nodes:
                    continue
                rows.append(
                    {
                        "parent_plan": g.get(parent, "plan_id"),
                        "parent_number": g.get(parent, "number"),
                        "parent_title": g.get(parent, "title"),
                        "child_plan": child_plan,
                        "child_region": g.get(child_plan, "region"),
                        "child_number": g.get(child, "number"),
                        "child_title": g.get(child, "title"),
                        "score": attrs.get("score"),
                        "status": attrs.get("status"),
                        "method": attrs.get("method"),
                        "evidence": attrs.get("evidence"),
                        "child_id": child,
                    }
                )
    return order_rows(
        rows, "parent_plan", "parent_number", "child_plan", "child_number", "child_id"
    )


def unaligned_tasks(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []

    def row(plan: str, side: str, task: str) -> Row:
        return {
            "child_plan": plan,
            "side": side,
            "plan": g.get(task, "plan_id"),
            "number": g.get(task, "number"),
            "title": g.get(task, "title"),
            "id": task,
        }

    for plan in g.plans_matching(params["plan"]):
        for parent in _parent_plan_tasks(g, plan):
            if not _aligned_from(g, plan, parent):
                rows.append(row(plan, "parent", parent))
        for child in g.tasks_of(plan):
            links = g.outgoing(child, gm.ALIGNS_WITH, gm.TASK)
            if not any(_not_rejected(attrs) for _, attrs in links):
                rows.append(row(plan, "child", child))
    return order_rows(rows, "child_plan", "side", "plan", "number", "id")


def _agencies_matching(g: GraphIndex, ref: str) -> list[str]:
    return [
        agency
        for agency in g.by_label[gm.AGENCY]
        if ref in (agency, g.get(agency, "name"), g.get(agency, "full_name"))
        or ref in (g.get(agency, "aliases") or [])
    ]


def tasks_by_agency(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    found: set[tuple] = set()
    for agency in _agencies_matching(g, params["agency"]):
        for item, attrs in g.outgoing(agency, gm.RESPONSIBLE_FOR):
            if _direct(attrs):
                found.add((agency, item, attrs.get("role"), "direct", None))
            elif params["include_collective"]:
                found.add((agency, item, attrs.get("role"), "collective", attrs.get("via")))
        if params["include_counterparts"]:
            counterparts = {a for a, _ in g.outgoing(agency, gm.COUNTERPART_OF, gm.AGENCY)}
            counterparts |= {a for a, _ in g.incoming(agency, gm.COUNTERPART_OF, gm.AGENCY)}
            for other in counterparts:
                for item, attrs in g.outgoing(other, gm.RESPONSIBLE_FOR):
                    if _direct(attrs):
                        found.add(
                            (agency, item, attrs.get("role"), "counterpart", g.get(other, "name"))
                        )
    rows = []
    for agency, item, role, via, through in found:
        number = g.get(item, "number")
        rows.append(
            {
                "agency": g.get(agency, "name"),
                "plan": g.get(item, "plan_id"),
                "kind": "task" if g.label(item) == gm.TASK else "measure",
                "number": number if number is not None else g.get(item, "order"),
                "title": g.get(item, "title"),
                "role": role,
                "via": via,
                "through": through,
                "id": item,
            }
        )
    return order_rows(rows, "plan", "kind", "number", "id", "agency", "via", "through")


def agency_workload(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):
        items = set(g.tasks_of(plan))
        items |= {m for m, _ in g.outgoing(plan, gm.HAS_MEASURE, gm.MEASURE)}
        tally: dict[str, dict[str, int]] = {}
        for item in items:
            is_task = g.label(item) == gm.TASK
            for agency, attrs in g.incoming(item, gm.RESPONSIBLE_FOR, gm.AGENCY):
                counts = tally.setdefault(
                    agency, {"led": 0, "co_owned": 0, "via_collective": 0, "measures": 0}
                )
                if not is_task:
                    counts["measures"] += 1
                elif not _direct(attrs):
                    counts["via_collective"] += 1
                elif attrs.get("role") == "lead":
                    counts["led"] += 1
                elif attrs.get("role") is not None:  # Cypher: null <> 'lead' is null, not true
                    counts["co_owned"] += 1
        for agency, counts in tally.items():
            rows.append(
                {
                    "plan": plan,
                    "agency": g.get(agency, "name"),
                    "kind": g.get(agency, "kind"),
                    "level": g.get(agency, "level"),
                    **counts,
                    "id": agency,
                }
            )
    return order_rows(
        rows,
        "plan",
        ("led", "desc"),
        ("co_owned", "desc"),
        ("via_collective", "desc"),
        ("measures", "desc"),
        "id",
    )


def agency_counterparts(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows = [
        {
            "agency": g.get(agency, "name"),
            "region": g.get(agency, "region"),
            "level": g.get(agency, "level"),
            "counterpart": g.get(other, "name"),
            "counterpart_level": g.get(other, "level"),
            "agency_id": agency,
            "counterpart_id": other,
        }
        for agency in g.by_label[gm.AGENCY]
        for other, _ in g.outgoing(agency, gm.COUNTERPART_OF, gm.AGENCY)
    ]
    return order_rows(rows, "agency_id", "counterpart_id")


def _neighbours(g: GraphIndex, node: str, rel: str, label: str) -> set[str]:
    return {n for n, _ in g.outgoing(node, rel, label)} | {
        n for n, _ in g.incoming(node, rel, label)
    }


def ownership_mismatches(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):
        for child in g.tasks_of(plan):
            leads = [
                agency
                for agency, attrs in g.incoming(child, gm.RESPONSIBLE_FOR, gm.AGENCY)
                if attrs.get("role") == "lead" and _direct(attrs)
            ]
            for parent, link in g.outgoing(child, gm.ALIGNS_WITH, gm.TASK):
                if not _not_rejected(link):
                    continue
                owners = list(g.incoming(parent, gm.RESPONSIBLE_FOR, gm.AGENCY))
                every_owner = {agency for agency, _ in owners}
                for lead in leads:
                    counterparts = _neighbours(g, lead, gm.COUNTERPART_OF, gm.AGENCY)
                    if lead in every_owner or counterparts & every_owner:
                        continue
                    direct = sorted(
                        ((attrs.get("order"), g.get(a, "name")) for a, attrs in owners
                         if _direct(attrs)),
                        key=lambda pair: (_null_last(pair[0]), pair[1]),
                    )  # fmt: skip
                    rows.append(
                        {
                            "plan": plan,
                            "child_number": g.get(child, "number"),
                            "child_title": g.get(child, "title"),
                            "child_lead": g.get(lead, "name"),
                            "lead_counterparts": sorted({g.get(c, "name") for c in counterparts}),
                            "parent_plan": g.get(parent, "plan_id"),
                            "parent_number": g.get(parent, "number"),
                            "parent_title": g.get(parent, "title"),
                            "parent_owners": [name for _, name in direct],
                            "child_id": child,
                            "parent_id": parent,
                        }
                    )
    return order_rows(
        rows,
        "plan",
        "child_number",
        "child_id",
        "parent_plan",
        "parent_number",
        "parent_id",
        "child_lead",
    )


def _tasks_about(g: GraphIndex, label: str, rel: str, roots: list[str], column: str) -> list[Row]:
    inside = g.reaching(roots, gm.PART_OF) if roots else set()
    rows = []
    for task in g.by_label[gm.TASK]:
        hits = sorted({g.get(x, "name") for x, _ in g.outgoing(task, rel, label) if x in inside})
        if hits:
            rows.append(
                {
                    "plan": g.get(task, "plan_id"),
                    "number": g.get(task, "number"),
                    "title": g.get(task, "title"),
                    column: hits,
                    "id": task,
                }
            )
    return order_rows(rows, "plan", "number", "id")


def tasks_by_industry(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    ref = params["industry"]
    roots = [
        i
        for i in g.by_label[gm.INDUSTRY]
        if ref in (i, g.get(i, "name")) or ref in (g.get(i, "groupings") or [])
    ]
    return _tasks_about(g, gm.INDUSTRY, gm.TARGETS, roots, "industries")


def tasks_by_region(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    ref = params["region"]
    roots = [r for r in g.by_label[gm.REGION] if ref in (r, g.get(r, "name"))]
    return _tasks_about(g, gm.REGION, gm.MENTIONS, roots, "places")


def indicator_cascade(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for plan in g.plans_matching(params["plan"]):
        for child in g.by_label[gm.INDICATOR]:
            if g.get(child, "plan_id") != plan:
                continue
            cascades = list(g.outgoing(child, gm.CASCADES_TO, gm.INDICATOR)) or [(None, {})]
            for parent, attrs in cascades:
                rows.append(
                    {
                        "plan": plan,
                        "child_scope": g.get(child, "scope"),
                        "child_ref": g.get(child, "scope_ref"),
                        "metric": g.get(child, "metric"),
                        "child_comparator": g.get(child, "comparator"),
                        "child_value": g.get(child, "value"),
                        "child_unit": g.get(child, "unit"),
                        "child_period": g.get(child, "period"),
                        "child_raw": g.get(child, "raw"),
                        "parent_plan": g.get(parent, "plan_id"),
                        "parent_scope": g.get(parent, "scope"),
                        "parent_ref": g.get(parent, "scope_ref"),
                        "parent_metric": g.get(parent, "metric"),
                        "parent_value": g.get(parent, "value"),
                        "parent_unit": g.get(parent, "unit"),
                        "parent_raw": g.get(parent, "raw"),
                        "ratio": attrs.get("ratio"),
                        "relation": attrs.get("relation"),
                        "child_id": child,
                        "parent_id": parent,
                        "_position": g.get(child, "position"),
                    }
                )
    order_rows(
        rows,
        "plan",
        "child_scope",
        "child_ref",
        "_position",
        "child_id",
        "parent_plan",
        "parent_id",
    )
    return _strip(rows, "_position")


def search_tasks(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    words = [w.replace('"', "").replace("\\", "") for w in params["q"].split(" ") if len(w) > 1]
    rows = []
    for task in g.by_label[gm.TASK]:
        title, text = g.get(task, "title") or "", g.get(task, "text") or ""
        matched = [w for w in words if w in title or w in text]
        if matched:
            rows.append(
                {
                    "plan": g.get(task, "plan_id"),
                    "number": g.get(task, "number"),
                    "title": g.get(task, "title"),
                    "score": len(matched),
                    "matched": matched,
                    "id": task,
                }
            )
    order_rows(rows, ("score", "desc"), "plan", "number", "id")
    return rows[: params["limit"]]


# What a drawing shows of a node (the Cypher map projection lists the same keys, so an absent
# property is a null on both stores); long texts come with the node's own page.
DISPLAY_PROPERTIES = (
    "caption", "title", "number", "order", "plan_id", "doc_number", "level", "kind", "tier",
    "region", "stub", "metric", "value", "unit",
)  # fmt: skip


def neighbourhood(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    center = params["id"]
    if center not in g.nodes:
        return []
    undirected = g.graph.to_undirected(as_view=True)
    reach = nx.single_source_shortest_path_length(undirected, center, cutoff=params["depth"])
    inside = set(reach)
    rows: list[Row] = [
        {
            "kind": "node",
            "id": node,
            "label": g.label(node),
            "name": g.get(node, "name"),
            "source": None,
            "type": None,
            "target": None,
            "properties": {key: g.get(node, key) for key in DISPLAY_PROPERTIES},
        }
        for node in inside
    ]
    for source, target, attrs in g.graph.edges(inside, data=True):
        if target in inside:
            rows.append(
                {
                    "kind": "edge",
                    "id": None,
                    "label": None,
                    "name": None,
                    "source": source,
                    "type": attrs["type"],
                    "target": target,
                    "properties": {k: v for k, v in attrs.items() if k != "type"},
                }
            )
    return order_rows(rows, ("kind", "desc"), "id", "source", "type", "target")


# -- catalogues and one task -------------------------------------------------------------------


def _count_in(g: GraphIndex, node: str, rel: str, label: str) -> int:
    return sum(1 for _ in g.incoming(node, rel, label))


def _part_of_names(g: GraphIndex, node: str, label: str) -> list[str]:
    parents = sorted(
        ((g.get(x, "name"), x) for x, _ in g.outgoing(node, gm.PART_OF, label)),
        key=lambda pair: (_null_last(pair[0]), pair[1]),
    )
    return [name for name, _ in parents]


def plans(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows = []
    for plan in g.by_label[gm.PLAN]:
        stub = g.get(plan, "stub")
        rows.append(
            {
                "id": plan,
                "name": g.get(plan, "name"),
                "title": g.get(plan, "title"),
                "doc_number": g.get(plan, "doc_number"),
                "issuer": g.get(plan, "issuer"),
                "level": g.get(plan, "level"),
                "region": g.get(plan, "region"),
                "issued_on": g.get(plan, "issued_on"),
                "period": g.get(plan, "period"),
                "stub": False if stub is None else stub,
                "implements": sorted(q for q, _ in g.outgoing(plan, gm.IMPLEMENTS, gm.PLAN)),
                "implemented_by": sorted(q for q, _ in g.incoming(plan, gm.IMPLEMENTS, gm.PLAN)),
                "goals": sum(1 for _ in g.outgoing(plan, gm.HAS_GOAL, gm.GOAL)),
                "actions": sum(1 for _ in g.outgoing(plan, gm.HAS_ACTION, gm.ACTION)),
                "tasks": len(g.tasks_of(plan)),
                "measures": sum(1 for _ in g.outgoing(plan, gm.HAS_MEASURE, gm.MEASURE)),
            }
        )
    return order_rows(rows, "id")


def agencies(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows = []
    for agency in g.by_label[gm.AGENCY]:
        items = list(g.outgoing(agency, gm.RESPONSIBLE_FOR))
        tasks = [attrs for item, attrs in items if g.label(item) == gm.TASK]
        rows.append(
            {
                "id": agency,
                "name": g.get(agency, "name"),
                "full_name": g.get(agency, "full_name"),
                "level": g.get(agency, "level"),
                "kind": g.get(agency, "kind"),
                "region": g.get(agency, "region"),
                "aliases": list(g.get(agency, "aliases") or []),
                "counterparts": sorted(
                    {g.get(c, "name") for c in _neighbours(g, agency, gm.COUNTERPART_OF, gm.AGENCY)}
                ),
                "plans": sorted(
                    {
                        g.get(item, "plan_id")
                        for item, _ in items
                        if g.label(item) in (gm.TASK, gm.MEASURE)
                        and g.get(item, "plan_id") is not None
                    }
                ),
                "led": sum(1 for a in tasks if _direct(a) and a.get("role") == "lead"),
                # Cypher: null <> 'lead' is null, so a link without a role is not co-owned.
                "co_owned": sum(
                    1 for a in tasks if _direct(a) and a.get("role") not in (None, "lead")
                ),
                "via_collective": sum(1 for a in tasks if not _direct(a)),
                "measures": sum(1 for item, _ in items if g.label(item) == gm.MEASURE),
            }
        )
    return order_rows(rows, "id")


def industries(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows = [
        {
            "id": industry,
            "name": g.get(industry, "name"),
            "tier": g.get(industry, "tier"),
            "groupings": list(g.get(industry, "groupings") or []),
            "part_of": _part_of_names(g, industry, gm.INDUSTRY),
            "tasks": _count_in(g, industry, gm.TARGETS, gm.TASK),
        }
        for industry in g.by_label[gm.INDUSTRY]
    ]
    return order_rows(rows, "id")


def regions(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    rows = [
        {
            "id": region,
            "name": g.get(region, "name"),
            "kind": g.get(region, "kind"),
            "part_of": _part_of_names(g, region, gm.REGION),
            "tasks": _count_in(g, region, gm.MENTIONS, gm.TASK),
        }
        for region in g.by_label[gm.REGION]
    ]
    return order_rows(rows, "id")


def _project(g: GraphIndex, node: str, *keys: str, **extra: Any) -> Row:
    """A Cypher map projection `n {.id, .a, .b, extra: …}`: absent properties are null."""
    return {"id": node, **{key: g.get(node, key) for key in keys}, **extra}


def _link(g: GraphIndex, task: str, attrs: dict[str, Any]) -> Row:
    return _project(
        g, task, "plan_id", "number", "title",
        score=attrs.get("score"), status=attrs.get("status"), method=attrs.get("method"),
        evidence=attrs.get("evidence"),
    )  # fmt: skip


def task_detail(g: GraphIndex, params: dict[str, Any]) -> list[Row]:
    task = params["id"]
    if task not in g.nodes or g.label(task) != gm.TASK:
        return []
    plan = g.get(task, "plan_id")
    plan_row = None
    if plan in g.nodes and g.label(plan) == gm.PLAN:
        stub = g.get(plan, "stub")
        plan_row = _project(
            g, plan, "name", "title", "doc_number", "level", "region", "source_file",
            stub=False if stub is None else stub,
        )  # fmt: skip
    actions = [a for a, _ in g.incoming(task, gm.HAS_TASK, gm.ACTION)] or [None]

    owners = [(agency, attrs) for agency, attrs in g.incoming(task, gm.RESPONSIBLE_FOR, gm.AGENCY)]
    owners.sort(key=lambda pair: pair[0])
    owners.sort(key=lambda pair: _null_last(g.get(pair[0], "name")))
    owners.sort(key=lambda pair: _null_last(pair[1].get("order")))
    owners.sort(key=lambda pair: not _direct(pair[1]))

    def by_task(pairs):
        return sorted(
            pairs,
            key=lambda pair: (
                _null_last(g.get(pair[0], "plan_id")),
                _null_last(g.get(pair[0], "number")),
                pair[0],
            ),
        )

    children = [
        (child, attrs)
        for child, attrs in g.incoming(task, gm.ALIGNS_WITH, gm.TASK)
        if g.get(child, "plan_id") in g.nodes and g.label(g.get(child, "plan_id")) == gm.PLAN
    ]
    indicators = sorted(
        (i for i, _ in g.outgoing(task, gm.HAS_INDICATOR, gm.INDICATOR)),
        key=lambda i: (_null_last(g.get(i, "position")), i),
    )

    def cascades(indicator: str) -> list[str]:
        found = sorted(
            (x for x, _ in g.outgoing(indicator, gm.CASCADES_TO, gm.INDICATOR)),
            key=lambda x: (_null_last(g.get(x, "plan_id")), x),
        )
        return found

    return [
        {
            "id": task,
            "name": g.get(task, "name"),
            "number": g.get(task, "number"),
            "title": g.get(task, "title"),
            "text": g.get(task, "text"),
            "plan": plan_row,
            "action": _project(g, action, "order", "title") if action else None,
            "owners": [
                _project(
                    g,
                    agency,
                    "name",
                    role=attrs.get("role"),
                    order=attrs.get("order"),
                    via=attrs.get("via"),
                )
                for agency, attrs in owners
            ],
            "parents": [
                _link(g, parent, attrs)
                for parent, attrs in by_task(g.outgoing(task, gm.ALIGNS_WITH, gm.TASK))
            ],
            "children": [_link(g, child, attrs) for child, attrs in by_task(children)],
            "places": [
                _project(g, x, "name", "kind")
                for x in sorted(x for x, _ in g.outgoing(task, gm.MENTIONS, gm.REGION))
            ],
            "industries": [
                _project(g, x, "name", "tier")
                for x in sorted(x for x, _ in g.outgoing(task, gm.TARGETS, gm.INDUSTRY))
            ],
            "indicators": [
                _project(
                    g,
                    i,
                    "plan_id",
                    "scope",
                    "scope_ref",
                    "metric",
                    "comparator",
                    "value",
                    "unit",
                    "period",
                    "raw",
                    cascades_to=cascades(i),
                )
                for i in indicators
            ],
            "line_start": g.get(task, "line_start"),
            "line_end": g.get(task, "line_end"),
        }
        for action in actions
    ]


VIEWS: dict[str, View] = {
    "plan_overview": plan_overview,
    "district_to_city": district_to_city,
    "city_task_children": city_task_children,
    "unaligned_tasks": unaligned_tasks,
    "tasks_by_agency": tasks_by_agency,
    "agency_workload": agency_workload,
    "agency_counterparts": agency_counterparts,
    "ownership_mismatches": ownership_mismatches,
    "tasks_by_industry": tasks_by_industry,
    "tasks_by_region": tasks_by_region,
    "indicator_cascade": indicator_cascade,
    "search_tasks": search_tasks,
    "neighbourhood": neighbourhood,
    "plans": plans,
    "agencies": agencies,
    "industries": industries,
    "regions": regions,
    "task_detail": task_detail,
}
