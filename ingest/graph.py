"""Enriched plans and their alignments in, the networkx property graph out.

`GraphBuilder` knows the graph's shape (schema/graph_model.py) and the id scheme
(ingest/ids.py); it reads only `Plan` objects, typed `Alignment`s and an `EntityCatalog` (the
lexicon facts: agency counterparts and collectives, region and industry hierarchies). It does
no parsing, extraction or alignment of its own.

Two choices worth knowing:

* District bureaus are written without their district (区经委). Every district has one, so the
  builder qualifies them with the plan's region (松江区经委) and keeps the written form in
  ``aliases``; city bureaus (市经济信息化委) are unique as written.
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


class EntityCatalog(Protocol):
    """Lexicon facts the graph needs. Every method answers None/[] for unknown names."""

    def agency(self, canonical: str) -> dict[str, Any] | None:
        """{full_name, level, kind, counterpart, member_of, governs} for a canonical name."""

    def collective_members(self, collective: str, region: str | None) -> list[str]:
        """Canonical names of the members of a collective line (各街镇 of 松江区)."""

    def region(self, name: str) -> dict[str, Any] | None:
        """{name, kind, part_of} for a place name."""

    def industry(self, name: str) -> dict[str, Any] | None:
        """{name, tier, groupings, part_of} for an industry name."""

    def within(self, region: str, ancestor: str) -> bool:
        """True when `region` is `ancestor` or lies inside it."""


class EmptyCatalog:
    """No lexicon: the graph still has every plan, task and owner as written."""

    def agency(self, canonical: str) -> dict[str, Any] | None:
        return None

    def collective_members(self, collective: str, region: str | None) -> list[str]:
        return []

    def region(self, name: str) -> dict[str, Any] | None:
        return None

    def industry(self, name: str) -> dict[str, Any] | None:
        return None

    def within(self, region: str, ancestor: str) -> bool:
        return region == ancestor


class LexiconCatalog:
    """The bundled lexicon (schema/lexicon.py) seen as an EntityCatalog."""

    # Agencies that administer an area; they GOVERN their lexicon region.
    GOVERNING_KINDS = ("government", "town", "street", "committee", "zone")

    def __init__(self, lexicon: Any = None):
        if lexicon is None:
            from schema.lexicon import load_lexicon

            lexicon = load_lexicon()
        self.lexicon = lexicon

    def agency(self, canonical: str) -> dict[str, Any] | None:
        entry = self.lexicon.agency(canonical)
        if entry is None:
            return None
        return {
            "name": entry.name,
            "full_name": entry.full_name,
            "level": entry.level,
            "kind": entry.kind,
            "region": entry.region,
            "counterpart": self.lexicon.counterpart(entry.name),
            "member_of": list(entry.member_of),
            "governs": entry.region if entry.kind in self.GOVERNING_KINDS else None,
        }

    def collective_members(self, collective: str, region: str | None) -> list[str]:
        return [m.name for m in self.lexicon.collective_members(collective, region)]

    def region(self, name: str) -> dict[str, Any] | None:
        canonical = self.lexicon.canonical_region(name)
        if canonical is None:
            return None
        entry = self.lexicon.regions[canonical]
        return {"name": entry.name, "kind": entry.kind, "part_of": entry.part_of}

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

    def within(self, region: str, ancestor: str) -> bool:
        return self.lexicon.within(region, ancestor)


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
                self._about(task_id, task.places, task.industries)
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
            self._about(measure_id, measure.places, measure.industries)
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

    def _qualify(self, canonical: str, plan: Plan, info: dict[str, Any]) -> str:
        """区经委 in 松江区's plan is 松江区经委; bodies with a place of their own are left alone.

        A district- or town-level name is generic when the lexicon gives it no region, or a
        region that merely contains the plan's (区经委 is valid anywhere in 上海市).
        """
        region = plan.region
        if plan.level in (None, "city", "national") or not region or canonical.startswith(region):
            return canonical
        if info.get("level") not in (None, "district", "town"):
            return canonical
        entry_region = info.get("region")
        if not info.get("kind") or info.get("kind") == "unknown":
            generic = canonical.startswith(("区", "各"))
        else:
            generic = entry_region is None or (
                entry_region != region and self.catalog.within(region, entry_region)
            )
        if not generic:
            return canonical
        return region + canonical[1:] if canonical.startswith("区") else region + canonical

    def _agency(self, plan: Plan, owner_name: str, canonical: str, info: dict | None) -> str:
        info = info or {}
        level = info.get("level")
        qualified = self._qualify(canonical, plan, info)
        agency_id = ids.agency_id(qualified)
        self._node(
            agency_id,
            gm.AGENCY,
            qualified,
            full_name=info.get("full_name"),
            level=level,
            kind=info.get("kind"),
            region=plan.region if qualified != canonical else info.get("region"),
        )
        aliases = set(self.graph.nodes[agency_id].get("aliases", []))
        aliases.update(name for name in (owner_name, canonical) if name and name != qualified)
        if aliases:
            self.graph.nodes[agency_id]["aliases"] = sorted(aliases)
        return agency_id

    def _owners(self, plan: Plan, item_id: str, owners: list[Owner], written: list[str]) -> None:
        if not owners and written:
            # Not enriched: keep the bureaus as written so ownership views still answer.
            owners = [
                Owner(name=n, canonical=n, role="lead" if i == 0 else "co", level=None, kind="")
                for i, n in enumerate(written)
            ]
        order = 0
        collective_order: dict[str, tuple[int, str]] = {}
        for owner in owners:
            if owner.via:
                continue
            order += 1
            info = self.catalog.agency(owner.canonical) or {}
            info.setdefault("level", owner.level)
            info.setdefault("kind", owner.kind or None)
            agency_id = self._agency(plan, owner.name, owner.canonical, info)
            self._edge(agency_id, gm.RESPONSIBLE_FOR, item_id, role=owner.role, order=order)
            if (info.get("kind") or owner.kind) == "collective":
                collective_order[owner.canonical] = (order, owner.role)
                collective_order[owner.name] = (order, owner.role)
                self._collective_members(plan, item_id, owner, agency_id, order)
        for owner in owners:
            if not owner.via:
                continue
            collective = self._agency(
                plan, owner.via, owner.via, self.catalog.agency(owner.via) or {"kind": "collective"}
            )
            line_order, line_role = collective_order.get(owner.via, (order + 1, owner.role))
            info = self.catalog.agency(owner.canonical) or {}
            info.setdefault("level", owner.level)
            info.setdefault("kind", owner.kind or None)
            member = self._agency(plan, owner.name, owner.canonical, info)
            self._edge(member, gm.MEMBER_OF, collective)
            self._edge(
                member,
                gm.RESPONSIBLE_FOR,
                item_id,
                role=line_role,
                order=line_order,
                via=self.graph.nodes[collective]["name"],
            )

    def _collective_members(
        self, plan: Plan, item_id: str, owner: Owner, collective_id: str, order: int
    ) -> None:
        """Expand a collective line from the catalog (enrich may already have done it)."""
        for member_name in self.catalog.collective_members(owner.canonical, plan.region):
            info = self.catalog.agency(member_name) or {}
            member = self._agency(plan, member_name, member_name, info)
            self._edge(member, gm.MEMBER_OF, collective_id)
            self._edge(
                member,
                gm.RESPONSIBLE_FOR,
                item_id,
                role=owner.role,
                order=order,
                via=self.graph.nodes[collective_id]["name"],
            )

    def _region(self, name: str) -> str:
        seen: set[str] = set()
        first = None
        child_id = None
        while name and name not in seen:
            seen.add(name)
            info = self.catalog.region(name) or {}
            canonical = info.get("name") or name
            region_id = self._node(
                ids.region_id(canonical), gm.REGION, canonical, kind=info.get("kind")
            )
            if child_id is not None and child_id != region_id:
                self._edge(child_id, gm.PART_OF, region_id)
            first = first or region_id
            child_id = region_id
            name = info.get("part_of") or ""
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

    def _about(self, item_id: str, places: Iterable[str], industries: Iterable[str]) -> None:
        for place in places:
            self._edge(item_id, gm.MENTIONS, self._region(place))
        for industry in industries:
            self._edge(item_id, gm.TARGETS, self._industry(industry))

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
            )

    # -- lexicon relations that need every plan in place ------------------------------------

    def finish(self) -> nx.MultiDiGraph:
        agencies = [
            (node_id, attrs)
            for node_id, attrs in self.graph.nodes(data=True)
            if attrs["label"] == gm.AGENCY
        ]
        by_name: dict[str, str] = {}
        for node_id, attrs in agencies:
            by_name.setdefault(attrs["name"], node_id)
        for node_id, attrs in sorted(agencies, key=lambda a: a[0]):
            names = [attrs["name"], *attrs.get("aliases", [])]
            info = next((i for i in map(self.catalog.agency, names) if i), None) or {}
            counterpart = info.get("counterpart")
            if counterpart and counterpart in by_name and by_name[counterpart] != node_id:
                self._edge(node_id, gm.COUNTERPART_OF, by_name[counterpart])
            for collective in info.get("member_of") or []:
                if collective in by_name and by_name[collective] != node_id:
                    self._edge(node_id, gm.MEMBER_OF, by_name[collective])
            governs = info.get("governs")
            if governs:
                self._edge(node_id, gm.GOVERNS, self._region(governs))
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
