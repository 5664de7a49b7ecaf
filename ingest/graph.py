"""Enriched plans and their alignments in, the networkx property graph out.

`GraphBuilder` knows the graph's shape (schema/graph_model.py) and the id scheme
(ingest/ids.py); it reads only enriched `Plan` objects, typed `Alignment`s and an
`EntityCatalog` (places by key, the government above a government, full names, industry
hierarchies). It does no parsing, extraction or alignment of its own.

Choices worth knowing:

* An agency is the unit of one government: its id carries the government's division code
  (`agency/310117/松江区经委`, `agency/CN/工业和信息化部`), so two cities' 市发展改革委 are two
  nodes; the name as written (区经委) is kept in ``aliases``.
* Counterparts are drawn, not listed: two agencies with the same function one government
  apart (松江区经委 → 市经济信息化委 → 工业和信息化部) get COUNTERPART_OF, lower to upper.
* A region is a place key: a division code (`region/310117`), a special area inside one
  (`region/310117/松江新城`) or a macro region (`region/长三角`), with PART_OF up the chain.
* A collective owner line (各区政府, 各街镇) stays an Agency of kind ``collective`` holding its
  own RESPONSIBLE_FOR; each member also gets RESPONSIBLE_FOR with ``via`` = the collective's
  name, and a MEMBER_OF edge. Views can then answer "what does 松江区政府 own" with one hop,
  and say how (direct or via a collective).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx

from ingest import ids
from ingest.alignment.model import LEVEL_NAMES, LEVELS, Alignment, IndicatorRef
from ingest.model import Citation, Indicator, Owner, Plan
from schema import graph_model as gm

SCORE_DIGITS = 4  # scores and ratios are rounded once, here, so both stores return equal floats


# Governments that are not divisions: national bodies, and units nothing could place.
NATIONAL = "CN"
UNPLACED = "unplaced"
# Agencies that administer an area: they GOVERN the division of their government.
GOVERNING_KINDS = ("government", "town", "street")


class EntityCatalog(Protocol):
    """Facts the graph needs beyond the plans. Every method answers None/[] for unknowns."""

    def place(self, key: str) -> dict[str, Any] | None:
        """{name, kind, parent} for a place key (a division code, `code/name`, a bare name)."""

    def parent_government(self, government: str) -> str | None:
        """The government directly above (a district's city, a city's province, a province's
        CN); counterparts are drawn between a unit and the one of its function there."""

    def full_name(self, owner: Owner) -> str | None:
        """An owner's full name for display (松江区经委 → 松江区经济委员会)."""

    def aliases(self, owner: Owner) -> list[str]:
        """Other names analysts use for the unit (市经信委 for 市经济信息化委)."""

    def industry(self, name: str) -> dict[str, Any] | None:
        """{name, tier, groupings, part_of} for an industry name."""

    def groupings_in(self, industry: str, plan_region: str | None) -> list[str]:
        """The groupings an industry counts in for an item of a plan of `plan_region`."""


class EmptyCatalog:
    """No lexicon: the graph still has every plan, task and owner as written."""

    def place(self, key: str) -> dict[str, Any] | None:
        return None

    def parent_government(self, government: str) -> str | None:
        return None

    def full_name(self, owner: Owner) -> str | None:
        return None

    def aliases(self, owner: Owner) -> list[str]:
        return []

    def industry(self, name: str) -> dict[str, Any] | None:
        return None

    def groupings_in(self, industry: str, plan_region: str | None) -> list[str]:
        return []


class LexiconCatalog:
    """The bundled data (lexicons, the national gazetteer, the bureau catalogue)."""

    def __init__(self, lexicon: Any = None):
        if lexicon is None:
            from schema.lexicon import load_lexicon

            lexicon = load_lexicon()
        self.lexicon = lexicon

    def place(self, key: str) -> dict[str, Any] | None:
        from ingest.places import place

        found = place(key)
        if found is None:
            return None
        return {"name": found.name, "kind": found.kind, "parent": found.parent}

    def parent_government(self, government: str) -> str | None:
        from schema.bureaus import parent_government
        from schema.divisions import load_divisions

        return parent_government(government, load_divisions())

    def full_name(self, owner: Owner) -> str | None:
        from ingest.agencies import full_name

        return full_name(owner, lexicon=self.lexicon)

    def aliases(self, owner: Owner) -> list[str]:
        region = self.place(owner.government or "") or {}
        entry = self.lexicon.agency(owner.canonical, region.get("name")) or self.lexicon.agency(
            owner.name, region.get("name")
        )
        return list(entry.aliases) if entry else []

    def industry(self, name: str) -> dict[str, Any] | None:
        entry = self.lexicon.industry(name)
        if entry is None:
            return None
        return {
            "name": entry.name,
            "tier": entry.kind,
            "groupings": self.lexicon.industry_groupings(entry.name),
            "part_of": [entry.part_of] if entry.part_of else [],
        }

    def groupings_in(self, industry: str, plan_region: str | None) -> list[str]:
        return list(self.lexicon.industry_groupings_in(industry, plan_region))


def storable(props: dict[str, Any]) -> dict[str, Any]:
    """Drop None and empty values: Neo4j stores no nulls, and absent reads back as null."""
    return {key: value for key, value in props.items() if value is not None and value != []}


@dataclass
class PlanIds:
    """Where one plan's items ended up in the graph."""

    plan: str
    tasks: dict[int, str] = field(default_factory=dict)
    goals: dict[int, str] = field(default_factory=dict)
    actions: dict[int, str] = field(default_factory=dict)
    measures: dict[int, str] = field(default_factory=dict)
    # indicator identity (scope, scope_ref, position) -> node id; see `indicator_ref`.
    indicators: dict[tuple[str, int, int], str] = field(default_factory=dict)


class GraphBuilder:
    def __init__(self, catalog: EntityCatalog | None = None):
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.catalog = catalog or EmptyCatalog()
        self.warnings: list[str] = []
        self._plans: dict[int, PlanIds] = {}  # id(Plan) -> its ids

    # -- nodes and edges -------------------------------------------------------------------

    def _node(self, node_id: str, label: str, name: str, **props: Any) -> str:
        attrs = storable({"id": node_id, "name": name, "label": label, **props})
        if node_id in self.graph:
            existing = self.graph.nodes[node_id]
            if existing["label"] != label:
                raise ValueError(f"id {node_id} used for {existing['label']} and {label}")
            for key, value in attrs.items():
                existing.setdefault(key, value)  # the first writer wins: stable across runs
        else:
            self.graph.add_node(node_id, **attrs)
        return node_id

    def _edge(self, source: str, rel: str, target: str, **props: Any) -> None:
        if self.graph.has_edge(source, target, key=rel):
            return  # first one wins, e.g. a direct owner listed again via a collective
        self.graph.add_edge(source, target, key=rel, type=rel, **storable(props))

    # -- plans -----------------------------------------------------------------------------

    def plan_ids(self, plan: Plan) -> PlanIds:
        return self._plans[id(plan)]

    def add_plan(self, plan: Plan) -> PlanIds:
        base = ids.plan_id(plan.doc_number, plan.display_name)
        plan_id = base
        existing = self.graph.nodes.get(plan_id)
        if existing is not None and not existing.get("stub"):
            suffix = 2
            while f"{base}-{suffix}" in self.graph:
                suffix += 1
            plan_id = f"{base}-{suffix}"
            self.warnings.append(
                f"{plan.source_file}: plan id {base} already used by another file; "
                f"this one is {plan_id}"
            )
        if existing is not None and existing.get("stub"):
            # A cited plan that turned up as a file after all: the stub becomes the real one.
            self.graph.remove_node(plan_id)
        pids = PlanIds(plan=plan_id)
        self._plans[id(plan)] = pids
        self._node(
            plan_id,
            gm.PLAN,
            plan.display_name,
            title=plan.title,
            caption=short_title(plan.display_name),
            doc_number=plan.doc_number,
            doc_key=ids.doc_key(plan.doc_number) if plan.doc_number else None,
            issuer=plan.issuer,
            level=plan.level,
            region=plan.region,
            issued_on=plan.issued_on,
            period=f"{plan.period[0]}-{plan.period[1]}" if plan.period else None,
            period_start=plan.period[0] if plan.period else None,
            period_end=plan.period[1] if plan.period else None,
            stub=False,
            source_file=_basename(plan.source_file),
            encoding=plan.encoding,
            overview=plan.overview or None,
        )
        self._indicators(pids, plan_id, "plan", 0, plan.indicators)

        for goal in plan.goals:
            goal_id = self._node(
                ids.item_id(plan_id, "goal", goal.order),
                gm.GOAL,
                goal.title,
                plan_id=plan_id,
                order=goal.order,
                title=goal.title,
                text=goal.text,
            )
            pids.goals[goal.order] = goal_id
            self._edge(plan_id, gm.HAS_GOAL, goal_id)
            self._indicators(pids, goal_id, "goal", goal.order, goal.indicators)

        for action in plan.actions:
            action_id = self._node(
                ids.item_id(plan_id, "action", action.order),
                gm.ACTION,
                action.title or "（未分组）",
                plan_id=plan_id,
                order=action.order,
                title=action.title,
            )
            pids.actions[action.order] = action_id
            self._edge(plan_id, gm.HAS_ACTION, action_id)
            for task in action.tasks:
                if task.number in pids.tasks:
                    self.warnings.append(
                        f"{plan.source_file}: task number {task.number} appears twice; "
                        "the second is kept under its line number"
                    )
                    ref: int | str = f"{task.number}-L{task.source.line_start}"
                else:
                    ref = task.number
                task_id = self._node(
                    ids.item_id(plan_id, "task", ref),
                    gm.TASK,
                    task.title,
                    plan_id=plan_id,
                    action_order=action.order,
                    number=task.number,
                    title=task.title,
                    text=task.text,
                    agencies=list(task.agencies),
                    line_start=task.source.line_start,
                    line_end=task.source.line_end,
                )
                pids.tasks.setdefault(task.number, task_id)
                self._edge(action_id, gm.HAS_TASK, task_id)
                self._owners(plan, task_id, task.owners, task.agencies)
                self._about(plan, task_id, task.places, task.industries)
                self._indicators(pids, task_id, "task", task.number, task.indicators)

        for measure in plan.measures:
            measure_id = self._node(
                ids.item_id(plan_id, "measure", measure.order),
                gm.MEASURE,
                measure.title,
                plan_id=plan_id,
                order=measure.order,
                title=measure.title,
                text=measure.text,
                agencies=list(measure.agencies),
            )
            pids.measures[measure.order] = measure_id
            self._edge(plan_id, gm.HAS_MEASURE, measure_id)
            self._owners(plan, measure_id, measure.owners, measure.agencies)
            self._about(plan, measure_id, measure.places, measure.industries)
            self._indicators(pids, measure_id, "measure", measure.order, measure.indicators)
        return pids

    def add_stub(self, citation: Citation) -> str:
        """A cited plan that is not loaded: a Plan node with stub=true, from the citation."""
        stub_id = ids.plan_id(citation.doc_number, citation.title)
        if stub_id not in self.graph:
            self._node(
                stub_id,
                gm.PLAN,
                citation.title,
                title=citation.title,
                caption=short_title(citation.title),
                doc_number=citation.doc_number,
                doc_key=ids.doc_key(citation.doc_number) if citation.doc_number else None,
                stub=True,
            )
        return stub_id

    def add_implements(self, child: Plan, parent_id: str) -> None:
        self._edge(self.plan_ids(child).plan, gm.IMPLEMENTS, parent_id)

    # -- owners, places, industries, indicators ---------------------------------------------

    def _government(self, plan: Plan, owner: Owner) -> str:
        """The government an owner belongs to; for a name enrichment could not place (or a
        plan not enriched), the plan's own, so two cities' unknown 市X stay apart."""
        if owner.government:
            return owner.government
        if plan.level == "national":
            return NATIONAL
        return plan.region_code or UNPLACED

    def _agency(self, plan: Plan, owner: Owner) -> str:
        government = self._government(plan, owner)
        agency_id = ids.agency_id(government, owner.canonical)
        where = self.catalog.place(government) if government not in (NATIONAL, UNPLACED) else None
        self._node(
            agency_id,
            gm.AGENCY,
            owner.canonical,
            full_name=self.catalog.full_name(owner),
            level=owner.level,
            kind=owner.kind or None,
            region=where["name"] if where else None,
            government=government,
            function=owner.function,
        )
        # Names as written in the plans, and the common short forms the data knows (市经信委):
        # every one of them finds the unit (queries/resolution.py).
        aliases = set(self.graph.nodes[agency_id].get("aliases", []))
        aliases.update(self.catalog.aliases(owner))
        aliases.add(owner.name)
        aliases.discard(owner.canonical)
        if aliases:
            self.graph.nodes[agency_id]["aliases"] = sorted(a for a in aliases if a)
        return agency_id

    def _owners(self, plan: Plan, item_id: str, owners: list[Owner], written: list[str]) -> None:
        if not owners and written:
            # Not enriched: keep the bureaus as written so ownership views still answer.
            owners = [
                Owner(name=n, canonical=n, role="lead" if i == 0 else "co", level=None, kind="")
                for i, n in enumerate(written)
            ]
        order = 0
        # A collective line's node, place in the line and role, for the members it brings.
        lines: dict[str, tuple[str, int, str]] = {}
        for owner in owners:
            if owner.via:
                continue
            order += 1
            agency_id = self._agency(plan, owner)
            self._edge(agency_id, gm.RESPONSIBLE_FOR, item_id, role=owner.role, order=order)
            if owner.kind == "collective":
                lines[owner.canonical] = (agency_id, order, owner.role)
        for owner in owners:
            if not owner.via:
                continue
            if owner.via not in lines:
                self.warnings.append(f"{item_id}: {owner.canonical} came through {owner.via}, "
                                     "which the line does not hold; drawn without it")  # fmt: skip
                continue
            collective, line_order, line_role = lines[owner.via]
            member = self._agency(plan, owner)
            self._edge(member, gm.MEMBER_OF, collective)
            self._edge(
                member,
                gm.RESPONSIBLE_FOR,
                item_id,
                role=line_role,
                order=line_order,
                via=self.graph.nodes[collective]["name"],
            )

    def _region(self, key: str) -> str:
        """The Region node of a place key and its PART_OF chain up to the province (or the
        macro region); the key is the id, so two cities' 鼓楼区 are two nodes."""
        seen: set[str] = set()
        first = None
        child_id = None
        while key and key not in seen:
            seen.add(key)
            info = self.catalog.place(key) or {}
            region_id = self._node(
                ids.region_id(key), gm.REGION, info.get("name") or key, kind=info.get("kind")
            )
            if child_id is not None and child_id != region_id:
                self._edge(child_id, gm.PART_OF, region_id)
            first = first or region_id
            child_id = region_id
            key = info.get("parent") or ""
        return first or ""

    def _industry(self, name: str) -> str:
        info = self.catalog.industry(name) or {}
        canonical = info.get("name") or name
        industry_id = ids.industry_id(canonical)
        known = industry_id in self.graph
        self._node(
            industry_id,
            gm.INDUSTRY,
            canonical,
            tier=info.get("tier"),
            groupings=sorted(info.get("groupings") or []),
        )
        if not known:
            for parent in sorted(info.get("part_of") or []):
                parent_id = self._industry(parent)
                if parent_id != industry_id:
                    self._edge(industry_id, gm.PART_OF, parent_id)
        return industry_id

    def _about(
        self, plan: Plan, item_id: str, places: Iterable[str], industries: Iterable[str]
    ) -> None:
        for place in places:
            self._edge(item_id, gm.MENTIONS, self._region(place))
        for industry in industries:
            industry_id = self._industry(industry)
            # The groupings this item counts the industry in: a district's own cluster list
            # (松江区特色产业集群) for its own plans only, so city tasks do not inherit it.
            name = self.graph.nodes[industry_id]["name"]
            groupings = sorted(self.catalog.groupings_in(name, plan.region))
            self._edge(item_id, gm.TARGETS, industry_id, groupings=groupings)

    def _indicators(
        self, pids: PlanIds, owner_id: str, scope: str, scope_ref: int, found: list[Indicator]
    ) -> None:
        for position, indicator in enumerate(found, start=1):
            indicator_id = self._node(
                ids.indicator_id(owner_id, position),
                gm.INDICATOR,
                indicator.raw or indicator.metric,
                plan_id=pids.plan,
                scope=scope,
                scope_ref=scope_ref,
                position=position,
                metric=indicator.metric,
                comparator=indicator.comparator,
                value=float(indicator.value) if indicator.value is not None else None,
                unit=indicator.unit,
                period=indicator.period,
                hedged=bool(indicator.hedged),
                raw=indicator.raw,
                value_max=float(indicator.value_max) if indicator.value_max is not None else None,
                year=indicator.year,
                subject=indicator.subject,
            )
            pids.indicators[(scope, scope_ref, position)] = indicator_id
            self._edge(owner_id, gm.HAS_INDICATOR, indicator_id)

    # -- alignment -------------------------------------------------------------------------

    def add_alignment(self, child: Plan, parent: Plan, alignment: Alignment) -> None:
        """ALIGNS_WITH and CASCADES_TO from the (curated) alignment of child → parent."""
        cids, pids = self.plan_ids(child), self.plan_ids(parent)
        for level in LEVELS:
            kind = LEVEL_NAMES[level]
            children, parents = getattr(cids, level), getattr(pids, level)
            for link in alignment.level(level).links:
                source, target = children.get(link.child), parents.get(link.parent)
                if source is None or target is None:
                    self.warnings.append(
                        f"alignment {cids.plan} → {pids.plan}: {kind} link "
                        f"{link.child} → {link.parent} names an unknown item"
                    )
                    continue
                self._edge(
                    source,
                    gm.ALIGNS_WITH,
                    target,
                    score=_rounded(link.reported_score),
                    evidence=list(link.evidence),
                    method=link.method,
                    status=link.status,
                )
        for cascade in alignment.indicators:
            source = _indicator(cids, cascade.child)
            target = _indicator(pids, cascade.parent)
            if source is None or target is None:
                self.warnings.append(
                    f"alignment {cids.plan} → {pids.plan}: indicator cascade names an "
                    f"unknown target ({_where(cascade.child)} → {_where(cascade.parent)})"
                )
                continue
            self._edge(
                source,
                gm.CASCADES_TO,
                target,
                ratio=_rounded(cascade.ratio),
                relation=cascade.relation,
                # Where the periods differ (annual against a plan total), the comparison on
                # an annual footing.
                annualised_ratio=_rounded(cascade.annualised_ratio),
                # How the child's metric was found to name the parent's (exact, qualified,
                # synonym, similar).
                metric_match=cascade.match,
            )

    # -- lexicon relations that need every plan in place ------------------------------------

    def finish(self) -> nx.MultiDiGraph:
        """Relations among the agencies of every plan: counterparts across one level of
        government (same function), and the area each government administers."""
        agencies = sorted(
            (node_id, attrs)
            for node_id, attrs in self.graph.nodes(data=True)
            if attrs["label"] == gm.AGENCY
        )
        by_function: dict[str, list[tuple[str, str]]] = {}
        for node_id, attrs in agencies:
            if attrs.get("function") and attrs.get("government"):
                by_function.setdefault(attrs["function"], []).append((node_id, attrs["government"]))
        for units in by_function.values():
            for lower, lower_gov in units:
                for upper, upper_gov in units:
                    # Drawn from the lower level up (区经委 → 市经济信息化委).
                    if self.catalog.parent_government(lower_gov) == upper_gov:
                        self._edge(lower, gm.COUNTERPART_OF, upper)
        for node_id, attrs in agencies:
            government = attrs.get("government")
            if attrs.get("kind") in GOVERNING_KINDS and government not in (
                None,
                NATIONAL,
                UNPLACED,
            ):
                self._edge(node_id, gm.GOVERNS, self._region(government))
        return self.graph


_PERIOD = re.compile(r"[（(][^（()）]*\d{4}[^（()）]*[）)]")
CAPTION_LENGTH = 20


def short_title(title: str) -> str:
    """A caption for a plan: the title without its period (（2023-2025年）), at most 20 chars."""
    short = _PERIOD.sub("", title).strip() or title
    return short if len(short) <= CAPTION_LENGTH else short[: CAPTION_LENGTH - 1] + "…"


def _indicator(pids: PlanIds, ref: IndicatorRef) -> str | None:
    return pids.indicators.get((ref.scope, ref.ref, ref.position))


def _where(ref: IndicatorRef) -> str:
    return f"{ref.scope} {ref.ref} target {ref.position}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), SCORE_DIGITS)


def _basename(path: str | None) -> str | None:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else None
