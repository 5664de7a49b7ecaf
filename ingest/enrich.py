"""Entity extraction over a parsed plan: owners, places, industries and targets, in place.

`enrich(plan)` fills every task's and measure's `owners`, `places`, `industries` and
`indicators`, every goal's `indicators` and the plan's overall `indicators` (from its overview).
Names of responsible units the lexicon does not know are kept (kind ``unknown``) and reported:
the reports are returned and appended to `plan.warnings`. Running it twice gives the same plan.
"""

from __future__ import annotations

from ingest.agencies import plan_government, resolve_owners
from ingest.indicator_tables import read_targets
from ingest.industries import find_industries
from ingest.model import Measure, Plan, Task
from ingest.places import find_places
from schema.lexicon import Lexicon, load_lexicon


def enrich(plan: Plan, *, lexicon: Lexicon | None = None) -> list[str]:
    """Fill `plan` in place; return one report per unknown agency name, saying where it was."""
    lexicon = lexicon or load_lexicon()
    if plan.region_code is None and plan.region and plan.level != "national":
        # Traditional script (青浦區) and compound names (杭州市西湖区) are read there.
        plan.region_code = plan_government(plan.region, None, plan.level)
    end_year = plan.period[1] if plan.period else None
    region = plan.region
    seen: dict[str, list[str]] = {}
    place_warnings: dict[str, list[str]] = {}

    tables = plan.tables
    plan.indicators = read_targets(plan.overview, plan_end_year=end_year, tables=tables)
    for goal in plan.goals:
        goal.indicators = read_targets(goal.text, plan_end_year=end_year, tables=tables)

    items: list[tuple[str, Task | Measure]] = [(f"task {task.number}", task) for task in plan.tasks]
    items += [(f"measure {measure.order}", measure) for measure in plan.measures]
    for where, item in items:
        owners, unknown = resolve_owners(
            item.agencies,
            roles=item.roles,
            plan_region=region,
            plan_region_code=plan.region_code,
            plan_level=plan.level,
            lexicon=lexicon,
        )
        item.owners = owners
        for name in unknown:
            seen.setdefault(name, []).append(where)
        places, warnings = find_places(
            item.text, plan_region_code=plan.region_code, plan_region=region
        )
        item.places = [p.key for p in places]
        for warning in warnings:
            place_warnings.setdefault(warning, []).append(where)
        item.industries = find_industries(item.text, plan_region=region, lexicon=lexicon)
        item.indicators = read_targets(item.text, plan_end_year=end_year, tables=tables)

    label = plan.source_file or plan.display_name
    reports = [
        f"unknown agency {name!r} ({label}: {', '.join(places)}); kept as written"
        for name, places in seen.items()
    ]
    for report in reports:
        if report not in plan.warnings:
            plan.warnings.append(report)
    for warning, wheres in place_warnings.items():
        located = f"{warning} ({label}: {', '.join(wheres)})"
        if located not in plan.warnings:
            plan.warnings.append(located)
    return reports
