"""The Neo4j Browser guide (`:play <api>/guide`), generated from the view registry.

Every view in queries/ becomes one slide with its runnable blocks: the `:param` lines built
from the view header's examples, then the view's query (wrapped so Browser also draws the
nodes the rows name). A new .cypher file therefore shows up in the guide without touching
this module; ANALYST_ORDER only decides where it goes.

The markup is what Neo4j Browser 5 renders for a remote guide: it fetches the page, strips
<script> tags and on* attributes, and makes one carousel slide of each <slide> element (not
<section>); a click on <pre class="runnable"> puts the block's text into the editor.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from queries.errors import NameNotFound
from queries.registry import RESOLVED_TYPES

# The order an analyst works in: what is loaded (the catalogues first: plans, agencies,
# industries, places), one plan and how its tasks map to city tasks and what is left over,
# what one bureau owns and one task in full, then industries, places, targets and checks.
# Views not listed (added later) follow in name order, so none is ever left out.
ANALYST_ORDER: tuple[str, ...] = (
    "plans",
    "agencies",
    "industries",
    "regions",
    "plan_overview",
    "district_to_city",
    "city_task_children",
    "unaligned_tasks",
    "tasks_by_agency",
    "task_detail",
    "agency_workload",
    "agency_counterparts",
    "tasks_by_industry",
    "tasks_by_region",
    "indicator_cascade",
    "ownership_mismatches",
    "search_tasks",
    "neighbourhood",
)

LABEL_COUNTS = (
    "MATCH (n) RETURN head(labels(n)) AS label, count(*) AS nodes ORDER BY nodes DESC, label"
)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ordered_views(views: Iterable[Any]) -> list[Any]:
    rank = {name: i for i, name in enumerate(ANALYST_ORDER)}
    return sorted(views, key=lambda v: (rank.get(v.name, len(rank)), v.name))


def cypher_literal(value: Any) -> str:
    """A Python value as a Cypher literal for `:param name => <literal>`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        entries = []
        for key, item in value.items():
            if not _PARAM_NAME.match(str(key)):
                raise ValueError(f"no Cypher map key for {key!r}")
            entries.append(f"{key}: {cypher_literal(item)}")
        return "{" + ", ".join(entries) + "}"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def query_body(cypher: str) -> str:
    """The view's query without its comment header (Browser would run it either way)."""
    lines = cypher.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("//")):
        lines.pop(0)
    return "\n".join(lines).strip().rstrip(";").rstrip()


def _top_level(text: str) -> list[tuple[int, str]]:
    """(position, char) of the characters outside brackets, strings and comments."""
    out: list[tuple[int, str]] = []
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            out.append((i, c))
        i += 1
    return out


_CLAUSE_END = re.compile(r"\s(ORDER\s+BY|SKIP|LIMIT)\s", re.IGNORECASE)
_ALIAS = re.compile(r"\sAS\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*$", re.IGNORECASE)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def result_columns(body: str) -> list[str] | None:
    """The column names of the query's last top-level RETURN, or None if one has no name."""
    chars = _top_level(body)
    flat = "".join(c for _, c in chars)
    positions = [pos for pos, _ in chars]
    starts = [m.start() for m in re.finditer(r"\bRETURN\b", flat, re.IGNORECASE)]
    if not starts:
        return None
    begin = positions[starts[-1]] + len("RETURN")
    tail = body[begin:]
    # Cut at ORDER BY / SKIP / LIMIT outside brackets.
    cut = len(tail)
    for pos, _ in _top_level(tail):
        match = _CLAUSE_END.match(tail, pos)
        if match and pos < cut:
            cut = pos
            break
    items_text = tail[:cut].strip()
    if items_text.upper().startswith("DISTINCT "):
        items_text = items_text[len("DISTINCT ") :]
    items, last = [], 0
    for pos, c in _top_level(items_text):
        if c == ",":
            items.append(items_text[last:pos])
            last = pos + 1
    items.append(items_text[last:])
    columns = []
    for item in (i.strip() for i in items):
        alias = _ALIAS.search(" " + item)
        if alias:
            columns.append(alias.group(1))
        elif _IDENT.match(item):
            columns.append(item)
        else:
            return None
    return columns


def id_columns(columns: Iterable[str]) -> list[str]:
    """Columns that may hold node ids by the views' conventions: `id`, `<x>_id`, and an edge
    row's `source` / `target`. A column that holds something else just matches no node."""
    return [c for c in columns if c in ("id", "source", "target") or c.endswith("_id")]


_WRAPPER_NAMES = (
    "row_ids",
    "graph_nodes",
    "graph_links",
    "pg_n",
    "pg_a",
    "pg_r",
    "pg_b",
    "pg_x",
    "x",
)


def drawable_query(body: str, anchors: Iterable[str] = ()) -> str | None:
    """The view's rows plus the nodes they name, so Browser draws them as well as tabling them.

    The view runs unchanged inside CALL {}; each row then gets `graph_nodes` (the nodes whose
    ids it holds, plus the anchors: the nodes the named string parameters pick by id or name,
    e.g. the agency of tasks_by_agency, so its tasks are drawn around it) and `graph_links`
    (the relationships among those). The view's own columns come first, in its order.
    None when the rows hold no ids.
    """
    columns = result_columns(body)
    if not columns:
        return None
    ids = id_columns(columns)
    if not ids:
        return None
    if set(columns) & set(_WRAPPER_NAMES):
        return None  # a view column would shadow the wrapper's own names
    indented = "\n".join("  " + line for line in body.splitlines())
    id_list = ", ".join(ids)
    row_ids = f"[x IN [{id_list}] WHERE x IS NOT NULL]"
    params = [f"${name}" for name in anchors if _PARAM_NAME.match(name)]
    if params:
        wanted = ", ".join(params)
        # The graph's naming properties (graph_model): id, name, an agency's full_name and
        # aliases (区经委 is an alias of 松江区经委).
        row_ids += (
            f" + COLLECT {{ MATCH (pg_n) WHERE pg_n.id IN [{wanted}] OR pg_n.name IN [{wanted}]"
            f" OR pg_n.full_name IN [{wanted}]"
            f" OR any(pg_x IN coalesce(pg_n.aliases, []) WHERE pg_x IN [{wanted}])"
            " RETURN pg_n.id }"
        )
    return (
        # `CALL ()`: an uncorrelated subquery in the 5.x syntax (bare CALL {} is deprecated).
        f"CALL () {{\n{indented}\n}}\n"
        f"WITH *, {row_ids} AS row_ids\n"
        f"RETURN {', '.join(columns)},\n"
        "       COLLECT { MATCH (pg_n) WHERE pg_n.id IN row_ids RETURN pg_n } AS graph_nodes,\n"
        "       COLLECT { MATCH (pg_a)-[pg_r]->(pg_b) WHERE pg_a.id IN row_ids "
        "AND pg_b.id IN row_ids RETURN pg_r } AS graph_links"
    )


Resolver = Callable[[str, str], str]


def example_params(view: Any, resolve: Resolver | None = None) -> dict[str, Any]:
    """The header's examples, coerced as the API would (ints, bools, jieba-segmented queries).

    A plan or agency example (松江区, 区经委) becomes the id the store resolves it to, as the
    store does before every view; one that names nothing in this graph is left as written.
    """
    values = view.validate({p.name: p.example for p in view.params})
    for param in view.params:
        if resolve is not None and param.type in RESOLVED_TYPES:
            with contextlib.suppress(NameNotFound):
                values[param.name] = resolve(param.type, values[param.name])
    return values


def param_block(view: Any, resolve: Resolver | None = None) -> str | None:
    """The `:param name => value` lines for the view's header examples (None: no params)."""
    lines = []
    for name, value in example_params(view, resolve).items():
        if not _PARAM_NAME.match(name):
            raise ValueError(f"view {view.name}: parameter name {name!r} is not a Cypher name")
        lines.append(f":param {name} => {cypher_literal(value)};")
    return "\n".join(lines) or None


def query_block(view: Any) -> str:
    body = query_body(view.text("neo4j"))
    # Parameters that name a node anchor the drawing: a free-text name, or the plan or agency
    # id the store resolved (the agency of tasks_by_agency is drawn with its tasks). Numbers,
    # flags and search words name no node.
    anchors = [p.name for p in view.params if p.type in ("string", *RESOLVED_TYPES)]
    return drawable_query(body, anchors) or body


def runnable_blocks(view: Any, resolve: Resolver | None = None) -> list[str]:
    """The blocks of a view's slide, in the order to run them: parameters, then the query.

    Two blocks, not one: Browser 5 runs a multi-statement editor as a script frame that
    shows each statement's status but never its result, so `:param` lines and the query in
    one block would set the parameters and then hide the drawing.
    """
    params = param_block(view, resolve)
    return [params, query_block(view)] if params else [query_block(view)]


def _slide(title: str, lead: str, body: str) -> str:
    return (
        '<slide class="row-fluid">\n'
        '<div class="col-sm-3">\n'
        f"<h3>{escape(title)}</h3>\n"
        f'<p class="lead">{lead}</p>\n'
        "</div>\n"
        f'<div class="col-sm-9">\n{body}\n</div>\n'
        "</slide>"
    )


def _pre(code: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{escape(code, quote=False)}</pre>'


# What each count from the store is, in the analyst's words.
COUNT_NAMES = {
    "plans": "规划 plans loaded (cited-only plans not counted)",
    "tasks": "任务 tasks",
    "agencies": "责任单位 responsible units",
    "links": "对应 district-to-city alignment links (ALIGNS_WITH)",
}


def _counts_list(counts: Mapping[str, int]) -> str:
    items = "".join(
        f'<li><b data-count="{escape(key)}">{int(value)}</b> '
        f"{escape(COUNT_NAMES.get(key, key))}</li>"
        for key, value in counts.items()
    )
    return f'<ul class="big">{items}</ul>'


def _view_slide(view: Any, index: int, total: int, resolve: Resolver | None) -> str:
    params = list(view.params)
    blocks = runnable_blocks(view, resolve)
    if params:
        rows = "".join(
            f"<tr><td><code>${escape(p.name)}</code></td><td>{escape(p.type)}</td>"
            f"<td>{escape(str(p.example))}</td><td>{escape(p.description)}</td></tr>"
            for p in params
        )
        table = (
            '<table class="table table-condensed"><thead><tr><th>parameter</th><th>type</th>'
            f"<th>example</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        steps = (
            "<p>1. Set the parameters (click, edit the values if you like, run with "
            "Ctrl+Enter):</p>\n"
            f'<figure data-view="{escape(view.name)}" data-step="params">{_pre(blocks[0])}'
            "</figure>\n"
            "<p>2. Run the view (click, then Ctrl+Enter): the rows are in the Table tab, "
            "the tasks, bureaus and plans they name are drawn in the Graph tab.</p>\n"
        )
    else:
        table = "<p>No parameters.</p>"
        steps = "<p>Click the block, then run it (Ctrl+Enter).</p>\n"
    body = (
        f"<p>{escape(view.purpose)}</p>\n{table}\n{steps}"
        f'<figure data-view="{escape(view.name)}" data-step="query">{_pre(blocks[-1])}'
        f"<figcaption>View <code>{escape(view.name)}</code> "
        f"(<code>queries/{escape(view.name)}.cypher</code>)</figcaption></figure>"
    )
    return _slide(view.title, f"View {index} of {total}", body)


def guide_html(
    views: Iterable[Any],
    counts: Mapping[str, int],
    base_url: str = "http://127.0.0.1:8000",
    resolve: Resolver | None = None,
) -> str:
    """The whole guide: what is in the graph, how to style it, then one slide per view.

    `resolve` (the store's) turns the examples' plan and agency names into the ids the views
    take, as the store does for every call."""
    views = ordered_views(views)
    base = base_url.rstrip("/")

    contents = "".join(f"<li><b>{escape(v.title)}</b> — {escape(v.purpose)}</li>" for v in views)
    intro = (
        "<p>This database holds Chinese government action plans (行动计划) as a graph: each "
        "plan's goals and targets, action groups and numbered tasks, safeguard measures, the "
        "bureaus responsible (责任单位), the places and industries tasks are about, and how "
        "each district task lines up with the city task it implements.</p>\n"
        f"{_counts_list(counts)}\n"
        + "<p>Every kind of node, counted live:</p>\n"
        + _pre(LABEL_COUNTS)
        + "\n<p>Colours and readable captions (a task shows its number and title): run</p>\n"
        + _pre(f":style {base}/browser/style.grass")
        + "\n<p>A task also carries its plan's level as a label, drawn in its own colour: "
        "<b>:CityTask</b> 市级任务 deep blue, <b>:DistrictTask</b> 区级任务 amber (e.g. in "
        "<i>District to city</i>).</p>"
        + f'\n<p>The same graph, without Neo4j: <a href="{escape(base)}/explore" '
        f'target="_blank">{escape(base)}/explore</a>.</p>'
    )
    slides = [
        _slide("plangraph", "Action plans as a knowledge graph", intro),
        _slide(
            "Views",
            f"{len(views)} ready-made queries, in the order an analyst uses them",
            f"<ol>{contents}</ol><p>Each of the next slides holds one view with its "
            "parameters already set from the view's example.</p>",
        ),
    ]
    total = len(views)
    slides += [_view_slide(view, i, total, resolve) for i, view in enumerate(views, start=1)]
    slides.append(
        _slide(
            "Keep them",
            "Views as favourites",
            "<p>Every view is a file in <code>queries/</code>. Drag a <code>.cypher</code> "
            "file onto the Browser's Favorites drawer to keep it: its header is Cypher "
            "comments and its parameters are <code>$name</code>, so set them with "
            "<code>:param</code> first (the blocks in this guide show how).</p>"
            "<p>The same views over HTTP: <code>GET /views/&lt;name&gt;?param=value</code>; "
            "the list with parameters: <code>GET /views</code>.</p>",
        )
    )
    deck = "\n".join(slides)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        "<title>plangraph guide</title>\n</head>\n<body>\n"
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        f"{deck}\n</carousel>\n</article>\n</body>\n</html>\n"
    )
