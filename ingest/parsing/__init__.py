"""Reading a document of the genre (行动计划, 方案, 意见, 若干措施) into a `Plan`.

The reader is a small pipeline, one module a step:

- `stream`: the text's lines cleaned of markup and crawler noise, joined, with a same-length
  *shadow* (half width, simplified script) in which structure is searched;
- `head` and `cover`: the plan's own title, where its body starts, and the cover facts
  (issuers, level, number, date);
- `markers` and `outline`: every numbering style found, a tree inferred from the sequences
  (restarting per section or running on), and each part classified by what it is;
- `items` and `owners`: a task's or measure's title, text and responsibility line with roles.

Layout knowledge (numbering styles, part words, label forms) is data in `data/*.toml`.

Choices worth knowing (the JSON contract follows from them):

- Text fields drop line breaks and layout spaces (`到 2025 年` -> `到2025年`) but keep the
  document's wording, script and punctuation widths.
- A task's or measure's `text` leaves out its responsibility parenthetical (（责任单位：…）);
  `agencies` carries the units in document order as written, `roles` their roles.
- An item written as a heading line followed by a paragraph gets `title` = the heading and
  `text` = heading + 。 + paragraph, so `text` always starts with the title sentence.
- Tasks are the leaves of the task parts; numbered items elsewhere (基本原则, 重点发展产品,
  专栏) are not tasks. Numbers are kept as written; unnumbered tasks (sentences closed by a
  label) are numbered in document order.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import PlanError
from ingest.flat_tables import FlatTable, Lines
from ingest.indicator_tables import find_target_tables
from ingest.model import (
    Action,
    Goal,
    Measure,
    OutlinePart,
    Plan,
    SourceSpan,
    TargetTable,
    Task,
)
from ingest.parsing.cover import CoverFacts, locate_from_text, read_cover, signature_start
from ingest.parsing.head import (
    Head,
    citations,
    find_head,
    plan_period,
    preamble_title,
    title_key,
)
from ingest.parsing.items import (
    Item,
    check_cut_off,
    check_orphans,
    check_unclosed,
    cut_items,
    first_sentence,
    split_labelled,
)
from ingest.parsing.markers import (
    Marker,
    check_after_footer,
    find_markers,
    first_footer,
)
from ingest.parsing.outline import (
    Node,
    build_outline,
    classify,
    heading_extent,
    is_generic_task_heading,
    kind_of_heading_word,
)
from ingest.parsing.owners import Responsibility, closing_responsibility, find_responsibilities
from ingest.parsing.stream import ENDINGS, SOFT_BREAK, Stream, prepare
from ingest.parsing.task_tables import find_task_tables, table_tasks
from ingest.reading import read_text
from schema.normalize import clean_pair, clean_spacing, display_title, matching_shadow


def parse_text(text: str, *, source: str | None = None, encoding: str | None = None) -> Plan:
    """Parse one plan's decoded text. Raise PlanError when nothing plan-like is there."""
    if not text.strip():
        raise PlanError("empty file: no text to parse", path=source)
    stream = prepare(text, source)
    if not stream.shadow.strip():
        raise PlanError("no plan text: the file holds only markup or crawler noise", path=source)
    warnings: list[str] = []

    head = find_head(stream)
    footer = first_footer(stream, head.body_start)
    check_after_footer(stream, footer, warnings)
    # The plan's text ends where a closing signature begins (the cover still reads it).
    signed = signature_start(stream.text[head.body_start : footer])
    end = footer if signed is None else head.body_start + signed
    body_lines = Lines.of(stream.text[head.body_start : end])
    task_tables = find_task_tables(body_lines)
    target_tables = find_target_tables(body_lines)
    stream.tables = [
        (head.body_start + t.start, head.body_start + t.end) for t in task_tables + target_tables
    ]
    # A task table closing the body (an appended 分工表) is not the tail of the last item.
    end = _before_closing_table(stream, head.body_start, end, task_tables)
    outline = build_outline(stream, head.body_start, end, warnings)
    classify(stream, outline.root)
    parts = outline.root.children
    body_end = parts[0].start if parts else footer
    facts = _cover(stream, head, footer, body_end)
    cites = citations(stream, head.title_start, body_end, head.title or "")
    # The title itself may name the plan it implements (关于贯彻落实《…规划》的实施意见).
    for cite in citations(stream, head.title_start, head.body_start, ""):
        if all(title_key(c.title) != title_key(cite.title) for c in cites):
            cites.append(cite)

    plan = Plan(
        title=head.title,
        doc_number=facts.doc_number,
        issuer=facts.issuers[0] if facts.issuers else None,
        issuers=list(facts.issuers),
        issued_on=facts.issued_on,
        level=facts.level,
        region=facts.region,
    )
    if head.title is None:
        plan.title = preamble_title(stream.text[head.body_start : end])
        warnings.append(
            "no title found: the document shows no line that reads like a plan's title "
            "(only its body was kept?)"
            + (f"; its preamble names it: {plan.title}" if plan.title else "")
        )
    plan.period = plan_period(plan.title)
    plan.tables = _target_tables(stream, head.body_start, target_tables)
    plan.cites = cites
    plan.source_file = source
    plan.encoding = encoding
    plan.warnings = warnings
    plan.outline = _outline_summary(stream, outline.root)

    ends_document = end == len(stream.shadow)
    last_part = parts[-1] if parts else None
    _raise_duplicates(stream, outline.duplicates)
    _report_stray(stream, outline.stray, warnings)

    goal_node = _goal_part(outline.root)
    if goal_node is not None:
        start = heading_extent(stream, goal_node)[1]
        plan.overview, plan.goals = _goals(stream, start, goal_node.end, warnings)

    reader = _TaskReader(stream, warnings)
    for part in parts:
        if part.kind == "tasks":
            reader.read_part(part, ends_document and part is last_part)
    plan.actions = reader.actions
    # One untitled item with nobody responsible is prose with a numbered line, not a plan.
    casual = head.title is None and len(plan.tasks) < 2 and not any(t.agencies for t in plan.tasks)
    if not plan.tasks or casual:
        # No tasks in the outline: a table of them (重点任务分工表) is the plan's task list.
        plan.actions = _table_actions(stream, head.body_start, task_tables)
        if not plan.actions:
            raise _no_tasks(stream, outline.root, head.body_start, footer)
    for part in outline.root.walk():
        if part.kind == "measures" and (part.parent is None or part.parent.kind != "measures"):
            at_end = ends_document and part is last_part
            plan.measures.extend(_measures(stream, part, warnings, at_end))
    for i, measure in enumerate(plan.measures, start=1):
        measure.order = i
    plan.lead_rule = reader.lead_rule
    _warn_long_titles(plan, reader.unnumbered_tasks)
    return plan


def parse_file(path: str | Path) -> Plan:
    """Read a plan file in any supported format and parse it."""
    text, encoding = read_text(path)
    return parse_text(text, source=str(path), encoding=encoding)


# ---------------------------------------------------------------------------------------
# Cover


_CLOSING_LINES = 12  # a signature block and its date sit in the body's last lines


def _cover(stream: Stream, head: Head, footer: int, body_end: int) -> CoverFacts:
    # A soft break continues its line across a page break: the cover reads it joined.
    joined = stream.text.replace(SOFT_BREAK, "")
    shift = stream.text.count(SOFT_BREAK, 0, head.title_start)
    body = stream.text[head.body_start : footer].replace(SOFT_BREAK, "").split("\n")
    facts = read_cover(
        joined[: head.title_start - shift],
        "\n".join(body[-_CLOSING_LINES:]),
        head.title or "",
        running_headers=stream.running_headers,
        after_title="\n".join(body[:3]),
    )
    if facts.level is None:
        # Neither cover nor signature kept: the government the preamble names.
        facts.level, facts.region = locate_from_text(stream.text[head.body_start : body_end])
    return facts


# ---------------------------------------------------------------------------------------
# Outline summary, stray numbers, duplicates


def _outline_summary(stream: Stream, root: Node) -> list[OutlinePart]:
    parts = []
    for node in root.walk():
        if node is root or (node.parent is not root and node.parent.kind != "container"):
            continue
        _, heading_end = heading_extent(stream, node)
        heading = display_title(stream.text[node.marker.end : heading_end])
        parts.append(
            OutlinePart(
                kind=node.kind,
                heading=heading.rstrip("。;；,，:：").strip(),
                line=stream.line(node.start),
            )
        )
    return parts


def _report_stray(stream: Stream, stray: list[Marker], warnings: list[str]) -> None:
    for marker in stray:
        snippet = stream.text[marker.start : marker.start + 16].split("\n")[0]
        warnings.append(
            f"line {stream.line(marker.start)}: a numbered line ({snippet}…) does not continue "
            "the document's numbering; it is read as text of the part before it"
        )


def _raise_duplicates(stream: Stream, duplicates: list[tuple[Marker, Node]]) -> None:
    for marker, sibling in duplicates:
        if sibling.kind != "tasks":
            continue
        what = "group" if sibling.children else "task"
        raise stream.error(f"duplicate {what} number {marker.value}", marker.start)


# ---------------------------------------------------------------------------------------
# Goals


def _goal_part(root: Node) -> Node | None:
    for node in root.walk():
        if node.kind == "goals" and (node.parent is None or node.parent.kind != "goals"):
            return node
    return None


def _in_sequence(markers: list[Marker]) -> list[Marker]:
    """The markers numbered 1, 2, 3… in order, set off at a line or sentence start."""
    kept: list[Marker] = []
    for marker in markers:
        if marker.boundary != "inline" and marker.value == len(kept) + 1:
            kept.append(marker)
    return kept


def _target_tables(stream: Stream, start: int, found_tables: list[FlatTable]) -> list[TargetTable]:
    """The body's target tables (offsets from `start`), each with its text as joined into the
    prose."""
    tables = []
    for found in found_tables:
        a, b = start + found.start, start + found.end
        text = clean_pair(stream.text[a:b], stream.shadow[a:b])[0].strip()
        tables.append(TargetTable(header=found.header, rows=found.rows, text=text))
    return tables


def _goals(stream: Stream, start: int, end: int, warnings: list[str]) -> tuple[str, list[Goal]]:
    dashes = [m for m in find_markers(stream, "dash", start, end) if m.boundary != "inline"]
    markers = dashes
    if not dashes:
        markers = _in_sequence(find_markers(stream, "num", start, end))
    first = markers[0].start if markers else end
    overview = clean_pair(stream.text[start:first], stream.shadow[start:first])[0].strip()
    goals = []
    for i, marker in enumerate(markers):
        limit = markers[i + 1].start if i + 1 < len(markers) else end
        text, shadow = clean_pair(
            stream.text[marker.end : limit], stream.shadow[marker.end : limit]
        )
        text, shadow = text.strip(), shadow.strip()
        title = first_sentence(text, shadow).strip().rstrip("。;；,，:：")
        goals.append(Goal(order=i + 1, title=title, text=text))
    return overview, goals


# ---------------------------------------------------------------------------------------
# Tasks


class _TaskReader:
    """Collects the action groups and tasks of the task parts, in document order."""

    def __init__(self, stream: Stream, warnings: list[str]) -> None:
        self.stream = stream
        self.warnings = warnings
        self.actions: list[Action] = []
        self.unnumbered = 0
        self.unnumbered_tasks: list[Task] = []
        self.lead_rule: str | None = None
        # Owners a group's heading names (（一）推进…（牵头单位：A）): its tasks naming none
        # take them.
        self.group_owners: dict[int, Responsibility] = {}

    def read_part(self, part: Node, ends_document: bool) -> None:
        heading, _ = heading_extent(self.stream, part)
        group = None if is_generic_task_heading(heading) else part
        leaves: list[tuple[Node, Node | None]] = []
        self._collect(part, group, leaves, top=True)
        if not leaves:
            return
        items = cut_items(
            self.stream,
            [leaf.marker for leaf, _ in leaves],
            [leaf.end for leaf, _ in leaves],
            "task",
        )
        check_unclosed(self.stream, items, "task", ends_document, self.warnings)
        check_cut_off(self.stream, items, "task", ends_document, self.warnings)
        check_orphans(self.stream, items, "task", self.warnings)
        by_group: dict[int, Action] = {}
        for (leaf, group_node), item in zip(leaves, items, strict=True):
            # Only a rule that says who leads is the document's lead rule (以下均需试点城市政府
            # 落实 is a rule about implementers, kept out of the owners but not a lead rule).
            if item.lead_rule and self.lead_rule is None and "牵头" in item.lead_rule:
                self.lead_rule = item.lead_rule
            pieces = split_labelled(self.stream, item)
            if pieces is None:
                action = self._action(group_node, by_group)
                action.tasks.append(self._inherit(action, _task(self.stream, item, leaf.value)))
                continue
            # A leaf holding several label-closed runs is a group of unnumbered tasks; a
            # generic part heading (二、主要任务) names no group.
            own = leaf if leaf is not part or group is not None else None
            action = self._action(own, by_group, title=item.title if own else None)
            for piece in pieces:
                self.unnumbered += 1
                task = _task(self.stream, piece, self.unnumbered)
                self.unnumbered_tasks.append(task)
                action.tasks.append(task)

    def _collect(
        self,
        node: Node,
        group: Node | None,
        leaves: list[tuple[Node, Node | None]],
        *,
        top: bool = False,
    ) -> None:
        kids = [child for child in node.children if child.kind != "box"]
        if not kids:
            # A part that is itself a leaf is a task, not its own group.
            leaves.append((node, None if group is node else group))
            return
        inner = group if top else node
        for child in kids:
            self._collect(child, inner, leaves)

    def _action(
        self, group: Node | None, by_group: dict[int, Action], title: str | None = None
    ) -> Action:
        key = -1 if group is None else group.start
        if key in by_group:
            return by_group[key]
        text = ""
        if group is not None and title is None:
            title, text = self._group_heading(group)
        owners = closing_responsibility(title) if title else None
        if owners is not None and title is not None:
            title = title[: owners.start].rstrip() or None
        action = Action(order=len(self.actions) + 1, title=title, text=text)
        if owners is not None:
            self.group_owners[action.order] = owners
        self.actions.append(action)
        by_group[key] = action
        return action

    def _inherit(self, action: Action, task: Task) -> Task:
        owners = self.group_owners.get(action.order)
        if owners is not None and not task.agencies:
            task.agencies = owners.names
            task.roles = [assignment.role for assignment in owners.assignments]
        return task

    def _group_heading(self, group: Node) -> tuple[str | None, str]:
        stream = self.stream
        _, heading_end = heading_extent(stream, group)
        title_original, title_shadow = clean_pair(
            stream.text[group.marker.end : heading_end],
            stream.shadow[group.marker.end : heading_end],
        )
        title = first_sentence(title_original.strip(), title_shadow.strip())
        title = title.strip().rstrip("。;；,，:：").strip()
        intro = clean_pair(
            stream.text[heading_end : group.own_end], stream.shadow[heading_end : group.own_end]
        )[0]
        return title or None, intro.strip().lstrip("。;；,，:：").strip()


def _task(stream: Stream, item: Item, number: int) -> Task:
    return Task(
        number=number,
        title=item.title,
        text=item.text,
        agencies=item.agencies,
        roles=item.roles,
        scope=item.scope,
        source=SourceSpan(stream.line(item.marker.start), stream.line(item.last_pos)),
    )


_CAPTION_MAX = 30  # characters: a longer line above a table is text, not its caption


def _before_closing_table(stream: Stream, start: int, end: int, tables: list[FlatTable]) -> int:
    """Where the body's text ends: before the last table and its caption line when nothing but
    blank lines follows the table, else `end`."""
    if not tables or stream.text[start + tables[-1].end : end].strip():
        return end
    at = start + tables[-1].start
    caption_start = stream.text.rfind("\n", 0, at - 1) + 1
    caption = stream.text[caption_start:at].strip()
    if caption and len(caption) <= _CAPTION_MAX and caption[-1] not in ENDINGS:
        return caption_start
    return at


def _table_actions(stream: Stream, start: int, tables: list[FlatTable]) -> list[Action]:
    """The tasks of the body's task tables (offsets from `start`), grouped by their category
    column."""
    actions: dict[str | None, Action] = {}
    number = 0
    for table in tables:
        for row in table_tasks(table):
            number += 1
            text = clean_spacing(row.text)
            found = find_responsibilities(row.label) if row.label else []
            action = actions.setdefault(row.group, Action(order=len(actions) + 1, title=row.group))
            action.tasks.append(
                Task(
                    number=number,
                    title=first_sentence(text, matching_shadow(text)).strip().rstrip("。;；,，:："),
                    text=text,
                    agencies=[a.name for r in found for a in r.assignments],
                    roles=[a.role for r in found for a in r.assignments],
                    source=SourceSpan(
                        stream.line(start + row.span[0]), stream.line(start + row.span[1] - 1)
                    ),
                )
            )
    return list(actions.values())


def _no_tasks(stream: Stream, root: Node, body_start: int, footer: int) -> PlanError:
    kinds = sorted({part.kind for part in root.children})
    # Items with responsibility lines inside a part read as something else: a lost heading
    # (二、重点任务) let them fall into the part before. Point at the first of them.
    for node in root.walk():
        if node is root or node.children or node.parent is root:
            continue
        text = clean_pair(
            stream.text[node.marker.end : node.end], stream.shadow[node.marker.end : node.end]
        )[0]
        if find_responsibilities(text):
            return stream.error(
                "not a plan: found no tasks; the numbered items with responsibility lines from "
                f"here on sit in a part read as {node.kind} (a lost 重点任务 heading?)",
                node.start,
            )
    if root.children:
        return stream.error(
            "not a plan: found no tasks (the document's parts read as "
            f"{', '.join(kinds)}; tasks are numbered or label-closed items of a part that is "
            "not goals, principles, background or measures)",
            root.children[0].start,
        )
    numbered = [m for m in find_markers(stream, "num", body_start, footer) if m.boundary == "line"]
    where = numbered[0].start if numbered else body_start
    return stream.error(
        "not a plan: found no numbered tasks and no outline (一、 （一） 1. …) to read them from",
        where,
    )


# ---------------------------------------------------------------------------------------
# Measures


def _measures(
    stream: Stream, part: Node, warnings: list[str], ends_document: bool
) -> list[Measure]:
    """The first level of a measures part is its measures; deeper numbers are their text. A
    numbered item with text of its own and nothing under it (三、强化组织实施。…) is one."""
    kids = [child for child in part.children if child.kind != "box"]
    if not kids:
        heading, _ = heading_extent(stream, part)
        if part.style == "root" or kind_of_heading_word(heading):
            return []  # 四、保障措施 followed by plain paragraphs: a heading, not a measure
        kids = [part]
    items = cut_items(stream, [k.marker for k in kids], [k.end for k in kids], "measure")
    check_unclosed(stream, items, "measure", ends_document, warnings)
    check_cut_off(stream, items, "measure", False, warnings)
    if ends_document:
        last = items[-1]
        ending = last.body_shadow.rstrip()[-1:]
        if not last.has_responsibility and (not ending or ending not in ENDINGS):
            raise stream.error(
                f"document ends in the middle of measure {last.marker.value}: its text stops "
                "without a closing 。",
                last.last_pos,
            )
    check_orphans(stream, items, "measure", warnings)
    return [
        Measure(
            order=i + 1,
            title=item.title,
            text=item.text,
            agencies=item.agencies,
            roles=item.roles,
            scope=item.scope,
        )
        for i, item in enumerate(items)
    ]


def _warn_long_titles(plan: Plan, unnumbered: list[Task]) -> None:
    # An unnumbered task's title is its first sentence: long by nature, not a lost break.
    skip = {id(task) for task in unnumbered}
    items: list[Task | Measure] = [*plan.tasks, *plan.measures]
    for item in items:
        if len(item.title) > 40 and id(item) not in skip:
            what = f"task {item.number}" if isinstance(item, Task) else "a measure"
            plan.warnings.append(
                f"unusually long title ({len(item.title)} chars) for {what}: "
                "its heading may have lost its line break"
            )
