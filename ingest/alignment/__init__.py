"""Aligning a child plan (a district's) with the parent plan it implements (the city's).

One concept per module; the imports go one way (model <- plans, features <- cascades <-
scoring, curation; tables reads model and plans), with no cycle:

- `model`: the typed, frozen results (`Alignment`, `LevelAlignment`, `Link`, `Cascade`,
  `IndicatorRef`, `ReviewItem`) and their JSON contract (`to_dict`);
- `plans`: plan level, which loaded plan a child implements (`LoadedPlans`, `find_parent`) and
  the keys plans and items match by (`title_key`, `item_titles`);
- `features`: each plan's items as the scorer sees them, a parent prepared once
  (`prepare_parent`, `ParentIndex`);
- `cascades`: which parent target each child target contributes to (`cascade_relation`);
- `scoring`: the algorithm, pure (`align`);
- `curation`: the analysts' decisions, read once (`load_decisions`), applied to typed
  alignments (`Curation`, `apply`), with the problems reported (`Problem`);
- `tables`: the CLI's rich views (`alignment_table`, `review_table`).

See docs/design.md, "Alignment".
"""

from ingest.alignment.cascades import cascade_relation
from ingest.alignment.curation import (
    Curated,
    Curation,
    Decision,
    Problem,
    apply,
    load_decisions,
)
from ingest.alignment.features import ParentIndex, prepare_parent
from ingest.alignment.model import (
    LEVEL_NAMES,
    LEVELS,
    Alignment,
    Cascade,
    IndicatorRef,
    LevelAlignment,
    Link,
    ReviewItem,
)
from ingest.alignment.plans import LoadedPlans, find_parent, item_titles, title_key
from ingest.alignment.scoring import align
from ingest.alignment.tables import alignment_table, review_table

__all__ = [
    "LEVELS",
    "LEVEL_NAMES",
    "Alignment",
    "Cascade",
    "Curated",
    "Curation",
    "Decision",
    "IndicatorRef",
    "LevelAlignment",
    "Link",
    "LoadedPlans",
    "ParentIndex",
    "Problem",
    "ReviewItem",
    "align",
    "alignment_table",
    "apply",
    "cascade_relation",
    "find_parent",
    "item_titles",
    "load_decisions",
    "prepare_parent",
    "review_table",
    "title_key",
]
