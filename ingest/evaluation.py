"""Measuring alignment against hand labels, and the baseline it has to beat.

Labels file (CSV, `#` comment lines allowed): `level,child,parent,reason`, one row per true link;
a row with an empty parent says the child has no parent (a local initiative), a row with an
empty child says the parent item is picked up by no child. Levels: task, action, goal, measure.

Precision and recall are over (child, parent) links, so a child given a wrong parent costs a
false positive *and* a false negative, and a local initiative given any parent costs a false
positive. The no-parent judgements are also scored on their own (`no_parent`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.alignment import Alignment, align, item_titles
from ingest.errors import PlanError
from ingest.model import Plan
from schema.paths import PROJECT_ROOT

LEVELS = {"task": "tasks", "action": "actions", "goal": "goals", "measure": "measures"}


@dataclass
class Labels:
    links: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    no_parent: dict[str, set[int]] = field(default_factory=dict)
    no_child: dict[str, set[int]] = field(default_factory=dict)
    children: dict[str, set[int]] = field(default_factory=dict)


def _key(value: str, path: str, line: int) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise PlanError(f"expected a number, got {value!r}", path=path, line=line)
    return int(value)


def load_labels(path: str | Path) -> Labels:
    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    # Keep line numbers for errors: comment lines are blanked, not removed.
    body = "\n".join("" if ln.lstrip().startswith("#") else ln for ln in text.splitlines())
    labels = Labels()
    for level in LEVELS.values():
        labels.links[level] = set()
        labels.no_parent[level] = set()
        labels.no_child[level] = set()
        labels.children[level] = set()
    reader = csv.reader(io.StringIO(body))
    header_seen = False
    for row in reader:
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if not header_seen:
            if [c.strip() for c in row[:3]] != ["level", "child", "parent"]:
                raise PlanError("header must start with level,child,parent", path=str(p), line=line)
            header_seen = True
            continue
        if len(row) < 3 or row[0].strip() not in LEVELS:
            raise PlanError(
                f"expected level (task/action/goal/measure),child,parent,reason; got {row!r}",
                path=str(p),
                line=line,
            )
        level = LEVELS[row[0].strip()]
        child, parent = _key(row[1], str(p), line), _key(row[2], str(p), line)
        if child is None:
            if parent is None:
                raise PlanError("a label needs a child, a parent or both", path=str(p), line=line)
            labels.no_child[level].add(parent)
        elif parent is None:
            labels.no_parent[level].add(child)
            labels.children[level].add(child)
        else:
            labels.links[level].add((child, parent))
            labels.children[level].add(child)
    return labels


def _prf(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> dict[str, Any]:
    tp = len(predicted & gold)
    fp = len(predicted - gold)
    fn = len(gold - predicted)
    precision = tp / (tp + fp) if tp + fp else (1.0 if not gold else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "false_positives": sorted(predicted - gold),
        "false_negatives": sorted(gold - predicted),
    }


def score_links(
    links: list[dict[str, Any]] | set[tuple[int, int]], labels: Labels, level: str = "tasks"
) -> dict[str, Any]:
    """P/R/F1 of `links` (dicts with child/parent, or pairs) against one level of `labels`.

    Only children the labels judge are scored, so a partial label file measures what it covers.
    """
    pairs = {(int(x["child"]), int(x["parent"])) if isinstance(x, dict) else x for x in links}
    judged = labels.children[level]
    pairs = {pair for pair in pairs if pair[0] in judged}
    result = _prf(pairs, labels.links[level])
    linked = {c for c, _ in pairs}
    gold_none = labels.no_parent[level]
    result["no_parent"] = {
        "labelled": sorted(gold_none),
        "correct": sorted(gold_none - linked),
        "wrongly_linked": sorted(gold_none & linked),
        "wrongly_unlinked": sorted((judged - gold_none) - linked),
    }
    return result


def evaluate(alignment: Alignment, labels_path: str | Path) -> dict[str, Any]:
    """P/R/F1 per level (tasks, actions, goals, measures) of an Alignment against a labels file.

    Also checks that every labelled key exists in the plans (a stale label file is an error,
    not a silent zero), and gives the plain TF-IDF baseline's task figures beside the result.
    """
    labels = load_labels(labels_path)
    problems = []
    for level in LEVELS.values():
        child_keys = set(item_titles(alignment.child_plan, level))
        parent_keys = set(item_titles(alignment.parent_plan, level))
        for c in labels.children[level] - child_keys:
            problems.append(f"{level}: child {c} is not in the child plan")
        for p in {p for _, p in labels.links[level]} | labels.no_child[level]:
            if p not in parent_keys:
                problems.append(f"{level}: parent {p} is not in the parent plan")
    if problems:
        raise PlanError(
            "labels do not fit the plans: " + "; ".join(sorted(problems)), path=str(labels_path)
        )
    out: dict[str, Any] = {}
    for level in LEVELS.values():
        section = alignment.level(level)
        out[level] = score_links([link.to_dict() for link in section.links], labels, level)
        out[level]["parent_without_child"] = {
            "labelled": sorted(labels.no_child[level]),
            "reported": sorted(section.parent_without_child),
        }
    baseline = baseline_task_alignment(alignment.child_plan, alignment.parent_plan)
    out["baseline_tasks"] = score_links(baseline, labels, "tasks")
    return out


# -- the baseline ----------------------------------------------------------------------------

_TOKEN_NOISE = re.compile(r"^[\d\W_]+$")


def _plain_tokens(text: str) -> list[str]:
    # jieba's default segmentation on the shared compact dictionary: the same words as
    # jieba.lcut without loading jieba's own dictionary (~0.5 s).
    from schema.segmenter import plain

    words = plain().lcut(text or "")
    return [w for w in words if len(w) > 1 and not _TOKEN_NOISE.match(w)]


def baseline_task_alignment(child: Plan, parent: Plan) -> list[dict[str, Any]]:
    """Plain jieba TF-IDF cosine, IDF over both plans' tasks, best parent task per child task.

    No threshold, no other signal: every child task gets exactly its best match. This is the
    method docs/design.md ("Alignment") says gets the bundled pair wrong; it is here to be
    beaten.
    """
    ctoks = [_plain_tokens(t.text) for t in child.tasks]
    ptoks = [_plain_tokens(t.text) for t in parent.tasks]
    df: Counter[str] = Counter()
    for toks in ctoks + ptoks:
        df.update(set(toks))
    n = len(ctoks) + len(ptoks)

    def vec(toks: list[str]) -> dict[str, float]:
        tf = Counter(toks)
        v = {w: c * math.log((1 + n) / (1 + df[w])) + c for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        return {w: x / norm for w, x in v.items()} if norm else {}

    pvecs = [vec(t) for t in ptoks]
    links = []
    for task, toks in zip(child.tasks, ctoks, strict=True):
        cv = vec(toks)
        if not pvecs:
            break
        scores = [sum(x * pv.get(w, 0.0) for w, x in cv.items()) for pv in pvecs]
        j = max(range(len(scores)), key=lambda k: (scores[k], -k))
        links.append(
            {"child": task.number, "parent": parent.tasks[j].number, "score": round(scores[j], 4)}
        )
    return links


def summary_rows(result: dict[str, Any]) -> list[tuple[str, float, float, float]]:
    """(level, P, R, F1) rows for printing, baseline last."""
    rows = [
        (level, result[level]["precision"], result[level]["recall"], result[level]["f1"])
        for level in LEVELS.values()
    ]
    b = result["baseline_tasks"]
    rows.append(("tasks (baseline)", b["precision"], b["recall"], b["f1"]))
    return rows


# -- the labelled pairs ----------------------------------------------------------------------

# The labels are for the bundled files themselves, wherever PLANGRAPH_DATA_DIR points.
ROOT = PROJECT_ROOT
LABELLED_PAIRS = (
    # (name, child file, parent file, labels file)
    (
        "songjiang",
        ROOT / "data" / "plans" / "songjiang_2023-2025_manufacturing.txt",
        ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt",
        ROOT / "tests" / "golden" / "alignment" / "songjiang_to_shanghai.csv",
    ),
    (
        "jiading",
        ROOT / "tests" / "plans_pairs" / "jiading_manufacturing.txt",
        ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt",
        ROOT / "tests" / "golden" / "alignment" / "jiading_to_shanghai.csv",
    ),
)


def load_for_alignment(path: str | Path) -> Plan:
    """A plan parsed and enriched (industries and targets feed alignment)."""
    from ingest.pipeline import load_plan

    return load_plan(path)


def evaluate_files(
    child_path: str | Path, parent_path: str | Path, labels_path: str | Path
) -> dict[str, Any]:
    """Parse both plans, align without curation (the algorithm alone), evaluate."""
    child, parent = load_for_alignment(child_path), load_for_alignment(parent_path)
    return evaluate(align(child, parent), labels_path)


def evaluate_labelled_pairs() -> dict[str, dict[str, Any]]:
    """Results for every labelled pair that ships with the project, by pair name."""
    return {name: evaluate_files(c, p, lab) for name, c, p, lab in LABELLED_PAIRS if lab.exists()}


def figures_table(results: dict[str, dict[str, Any]]):
    """A rich table: P/R/F1 per pair and level, with the baseline beside the task figures."""
    from rich.table import Table

    table = Table(title="alignment quality against hand labels")
    for col in ("pair", "level", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col)
    for name, result in results.items():
        for level in (*LEVELS.values(), "baseline_tasks"):
            r = result[level]
            table.add_row(
                name,
                "tasks (TF-IDF baseline)" if level == "baseline_tasks" else level,
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                f"{r['f1']:.3f}",
                str(r["tp"]),
                str(r["fp"]),
                str(r["fn"]),
            )
    return table


if __name__ == "__main__":
    from rich.console import Console

    Console().print(figures_table(evaluate_labelled_pairs()))
