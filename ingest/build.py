"""Build the graph: parse every plan, extract, align each child to its parent, assemble.

    result = build_graph([Path("data/plans")], progress=report, decisions=None)
    result.graph       # networkx.MultiDiGraph (see schema/graph_model.py for its conventions)
    result.plans       # the enriched Plan objects, in input order
    result.alignments  # {(child_plan_id, parent_plan_id): Alignment.to_dict()}, curated
    result.problems    # the analysts' decisions not applied as written (curation.Problem)
    result.warnings    # everything else a user should hear about, one line each

The decisions file is read once per build and applied to every typed alignment as it is made
(`ingest.alignment.Curation`); the graph builder receives the curated `Alignment` objects.

`progress(stage, done, total)` is called as work advances (the CLI draws a bar per stage).
The snapshot functions are re-exported from `schema.graph_model`, where they live so the API
can read a snapshot without importing ingest.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ingest.alignment import (
    Alignment,
    Curation,
    Decision,
    LoadedPlans,
    ParentIndex,
    Problem,
    align,
    load_decisions,
    prepare_parent,
)
from ingest.errors import PlanError, PlanErrors
from ingest.graph import EntityCatalog, GraphBuilder
from ingest.model import Citation, Plan
from schema.graph_model import load_snapshot, save_snapshot
from schema.paths import DEFAULT_DECISIONS, DEFAULT_PLANS_DIR

__all__ = [
    "BuildResult",
    "build_from_plans",
    "build_graph",
    "expand_paths",
    "load_snapshot",
    "read_decisions",
    "save_snapshot",
]

Progress = Callable[[str, int, int], None]
Aligner = Callable[[Plan, Plan], Alignment]
ParentFinder = Callable[[Plan, Sequence[Plan]], Plan | Citation | None]
# Analysts' decisions: already read, a file to read, or None for the project's file if any.
Decisions = Sequence[Decision] | str | Path | None

# A folder contributes its *.txt files; a file named explicitly is read whatever its suffix,
# so a folder's README.md is never mistaken for a plan.
FOLDER_PLAN_SUFFIX = ".txt"


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    plans: list[Plan]
    alignments: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: tuple[Problem, ...] = ()


def expand_paths(paths: Iterable[str | Path] | None) -> list[Path]:
    """Files as given, folders as their plan files in name order (so ids and order are stable)."""
    files: list[Path] = []
    for item in [Path(p) for p in (paths or [DEFAULT_PLANS_DIR])]:
        if item.is_dir():
            files.extend(
                sorted(p for p in item.iterdir() if p.is_file() and p.suffix == FOLDER_PLAN_SUFFIX)
            )
        else:
            files.append(item)
    return files


def build_graph(
    paths: Iterable[str | Path] | None = None,
    progress: Progress | None = None,
    decisions: Decisions = None,
    *,
    catalog: EntityCatalog | None = None,
) -> BuildResult:
    """Parse, enrich and align the plans in `paths` (default data/plans/) into one graph.

    Raises `ingest.errors.PlanError` for a file that cannot be read as a plan (`PlanErrors`
    naming every one when several cannot: a folder's bad files are all reported at once), or a
    decisions file that cannot be read.
    """
    from ingest.pipeline import load_plan

    report = progress or (lambda stage, done, total: None)
    files = expand_paths(paths)
    plans: list[Plan] = []
    report("Parsing plans", 0, len(files))
    errors: list[PlanError] = []
    try:
        for done, path in enumerate(files, start=1):
            try:
                plans.append(load_plan(path))
            except PlanError as error:
                errors.append(error)
            # Parsed plans live until the build ends. Moving them out of the cycle collector's
            # view stops each full collection from rescanning an ever larger heap, which made
            # a 1000-plan build superlinear (~15 s of collection at N = 1000).
            gc.freeze()
            report("Parsing plans", done, len(files))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise PlanErrors(errors)
        return build_from_plans(plans, progress=report, decisions=decisions, catalog=catalog)
    finally:
        gc.unfreeze()


def build_from_plans(
    plans: Sequence[Plan],
    progress: Progress | None = None,
    decisions: Decisions = None,
    *,
    catalog: EntityCatalog | None = None,
    aligner: Aligner | None = None,
    parent_finder: ParentFinder | None = None,
) -> BuildResult:
    """The graph from already-parsed plans (tests build hand-made Plan objects this way).

    `decisions` are read once (see `read_decisions`) and applied to every alignment.
    """
    report = progress or (lambda stage, done, total: None)
    curation = Curation(read_decisions(decisions), plans)
    builder = GraphBuilder(catalog if catalog is not None else default_catalog())
    warnings: list[str] = []
    for plan in plans:
        warnings.extend(f"{plan.source_file or plan.display_name}: {w}" for w in plan.warnings)

    report("Building graph", 0, len(plans))
    for done, plan in enumerate(plans, start=1):
        builder.add_plan(plan)
        report("Building graph", done, len(plans))

    align_pair = aligner or _prepared_aligner()
    find_parent = parent_finder or _indexed_parent_finder(plans)
    alignments: dict[tuple[str, str], dict[str, Any]] = {}
    children = [plan for plan in plans if plan.cites]
    report("Aligning plans", 0, len(children))
    for done, child in enumerate(children, start=1):
        parent = find_parent(child, plans)
        child_id = builder.plan_ids(child).plan
        if isinstance(parent, Plan) and parent is not child:
            builder.add_implements(child, builder.plan_ids(parent).plan)
            alignment = curation.apply(align_pair(child, parent))
            parent_id = builder.plan_ids(parent).plan
            alignments[(child_id, parent_id)] = alignment.to_dict()
            builder.add_alignment(child, parent, alignment)
        else:
            citation = parent if isinstance(parent, Citation) else child.cites[0]
            stub_id = builder.add_stub(citation)
            builder.add_implements(child, stub_id)
            warnings.append(
                f"{child.source_file or child_id}: cites 《{citation.title}》"
                f"{f'（{citation.doc_number}）' if citation.doc_number else ''}, which is not "
                f"loaded; it is a stub plan ({stub_id}) and the tasks stay unaligned"
            )
        report("Aligning plans", done, len(children))

    graph = builder.finish()
    graph.graph["plans"] = len(plans)
    warnings.extend(builder.warnings)
    return BuildResult(
        graph=graph,
        plans=list(plans),
        alignments=alignments,
        warnings=warnings,
        problems=curation.problems(),
    )


def read_decisions(decisions: Decisions) -> tuple[Decision, ...]:
    """The analysts' decisions, read once: as given, from a file, or None for the project's file.

    The project's file (schema.paths.DEFAULT_DECISIONS) may be absent: then there are none. A
    file named explicitly must exist (PlanError otherwise).
    """
    if decisions is None:
        return load_decisions(DEFAULT_DECISIONS) if DEFAULT_DECISIONS.exists() else ()
    if isinstance(decisions, str | Path):
        return load_decisions(decisions)
    return tuple(decisions)


def _indexed_parent_finder(plans: Sequence[Plan]) -> ParentFinder:
    """Finds each child's parent in an index of `plans` built once (linear in the plans)."""
    loaded = LoadedPlans(plans)
    return lambda child, _plans: loaded.parent_of(child)


def _prepared_aligner() -> Aligner:
    """`align`, with each parent tokenised once however many children it has."""
    prepared: dict[int, ParentIndex] = {}

    def align_pair(child: Plan, parent: Plan) -> Alignment:
        index = prepared.get(id(parent))
        if index is None or index.plan is not parent:
            index = prepared[id(parent)] = prepare_parent(parent)
        return align(child, index)

    return align_pair


def default_catalog() -> EntityCatalog:
    """The bundled lexicon (schema/lexicon.py) as an EntityCatalog."""
    from ingest.graph import LexiconCatalog

    return LexiconCatalog()
