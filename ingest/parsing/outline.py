"""The outline: a tree inferred from the numbering, and what each part of it is.

No section names are required. Every numbering style (一、 （一） 1. （1） ① 第一条) is found,
and a marker joins the tree only where its number fits: it continues an open sibling of its
style (n+1, or a small skip with a warning), or it opens a new level under the current node,
starting at 1 or running on from the last number of its style (（一）…（二十三） straight
through four sections). Styles nest by their conventional rank (data/outline.toml). A number
that fits nowhere is a cross-reference or a list inside a sentence and stays text; one at a
line start is reported.

Then each top-level part is classified from its heading -- goals, guiding thought and
principles, background, definitional parts, steps, measures, boxes -- and a part whose heading
says none of these holds tasks. Within a task part the leaves are tasks and their group is the
nearest enclosing heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ingest.parsing.markers import Marker, find_outline_markers, layout, styles
from ingest.parsing.stream import HEADING_MAX, STOPS, Stream

_SKIP_LIMIT = 3  # a number may skip this many at a line start (a lost item), with a warning


@dataclass
class Node:
    """One numbered part of the document (the root is the whole body)."""

    marker: Marker
    end: int = 0  # where this part ends (the next marker that is not inside it)
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    kind: str = ""  # what the part is (see classify); set on top-level parts and below

    @property
    def style(self) -> str:
        return self.marker.kind

    @property
    def value(self) -> int:
        return self.marker.value

    @property
    def start(self) -> int:
        return self.marker.start

    @property
    def own_end(self) -> int:
        """Where this node's own text ends: its first child, or its end."""
        return self.children[0].start if self.children else self.end

    def walk(self):  # type: ignore[no-untyped-def]
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    root: Node
    duplicates: list[tuple[Marker, Node]]  # a number repeated at a line start
    stray: list[Marker]  # numbered line starts that fit nowhere


def _rank(style: str) -> int:
    if style == "root":
        return -1
    if style == "box":
        return 99
    return styles()[style].rank


def build_outline(stream: Stream, start: int, end: int, warnings: list[str]) -> Outline:
    root = Node(Marker("root", 0, start, start, "line"), end=end)
    stack: list[Node] = [root]
    last_value: dict[str, int] = {}
    duplicates: list[tuple[Marker, Node]] = []
    stray: list[Marker] = []
    first_content = _skip_space(stream, start)

    def open_node(marker: Marker, parent: Node) -> None:
        node = Node(marker, parent=parent)
        parent.children.append(node)
        stack.append(node)
        last_value[marker.kind] = marker.value

    def close_from(index: int, at: int) -> None:
        for node in stack[index:]:
            node.end = at
        del stack[index:]

    for marker in find_outline_markers(stream, start, end):
        if marker.kind == "box":
            while stack[-1].style == "box":
                close_from(len(stack) - 1, marker.start)
            open_node(marker, stack[-1])
            continue
        boundary = marker.boundary
        if marker.start == first_content:
            boundary = "line"
        elif boundary == "inline" and _right_after_heading(stream, stack[-1], marker):
            boundary = "heading"
        if boundary == "inline":
            continue

        # Continues an open sibling of its style (the deepest one)?
        target = next(
            (i for i in range(len(stack) - 1, 0, -1) if stack[i].style == marker.kind), None
        )
        if target is not None:
            sibling = stack[target]
            gap = marker.value - sibling.value
            if gap == 1 or (1 < gap <= _SKIP_LIMIT and boundary == "line" and not marker.loose):
                if gap > 1:
                    warnings.append(
                        f"line {stream.line(marker.start)}: numbering skips from "
                        f"{sibling.value} to {marker.value}"
                    )
                parent = stack[target - 1]
                close_from(target, marker.start)
                open_node(marker, parent)
                continue
            if gap == 0 and boundary == "line" and not marker.loose:
                duplicates.append((marker, sibling))
                continue
        if marker.loose:
            continue

        # Opens a new level under the current node?
        top = stack[-1]
        in_use = {node.style for node in stack[_last_box(stack) :]}
        nests = top.style == "box" or _rank(marker.kind) > _rank(top.style)
        if marker.kind not in in_use and nests:
            run_on = last_value.get(marker.kind, 0) + 1
            if marker.value in (1, run_on):
                open_node(marker, top)
                continue
            if marker.value <= _SKIP_LIMIT + 1 and boundary == "line" and top.style != "root":
                warnings.append(
                    f"line {stream.line(marker.start)}: numbering starts at {marker.value}"
                )
                open_node(marker, top)
                continue
        if boundary == "line":
            stray.append(marker)
    close_from(1, end)
    return Outline(root, duplicates, stray)


def _last_box(stack: list[Node]) -> int:
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].style == "box":
            return i
    return 0


def _skip_space(stream: Stream, pos: int) -> int:
    while pos < len(stream.shadow) and stream.shadow[pos].isspace():
        pos += 1
    return pos


def _right_after_heading(stream: Stream, top: Node, marker: Marker) -> bool:
    """A run-in marker right after a short heading with no sentence end in between
    (（一）强链升级行动1.打造… in a text whose line breaks were lost)."""
    if top.style in ("root", "box") or top.children or _rank(marker.kind) <= _rank(top.style):
        return False
    between = stream.shadow[top.marker.end : marker.start]
    return len(between) <= HEADING_MAX and not any(s in between for s in STOPS + ";")


# ---------------------------------------------------------------------------------------
# Headings


def heading_extent(stream: Stream, node: Node) -> tuple[str, int]:
    """(heading in the shadow, where it ends) of a node: its own line when that line is a
    short title without a sentence end, else its text up to the first sentence end."""
    shadow, begin, limit = stream.shadow, node.marker.end, node.own_end
    if node.style == "box":
        begin = node.start
    line_end = shadow.find("\n", begin, limit)
    line_end = limit if line_end < 0 else line_end
    line = shadow[begin:line_end]
    if (
        line.strip()
        and len(line.strip()) <= HEADING_MAX
        and not any(stop in line for stop in STOPS)
        and not re.search(r"\(\s*[一二三四五六七八九十\d]", line)
    ):
        return line.strip(), line_end
    cut = begin
    while cut < limit and shadow[cut] not in "。!?\n(":
        cut += 1
    return shadow[begin:cut].strip(), cut


# ---------------------------------------------------------------------------------------
# Classification


@cache
def _kind_words() -> list[tuple[str, tuple[str, ...]]]:
    kinds = layout()["kinds"]
    return [(kind, tuple(words)) for kind, words in kinds.items()]


@cache
def _generic_task_headings() -> frozenset[str]:
    return frozenset(layout()["generic"]["task_headings"])


def kind_of_heading(heading: str) -> str | None:
    """The part kind a heading names, or None when it names none (then it holds tasks)."""
    for kind, words in _kind_words():
        if any(word in heading for word in words):
            return kind
    return None


def kind_of_heading_word(heading: str) -> str | None:
    """The part kind when the heading is nothing but one of its words (保障措施)."""
    bare = heading.strip().rstrip("。:;,")
    for kind, words in _kind_words():
        if bare in words:
            return kind
    return None


def is_generic_task_heading(heading: str) -> bool:
    return heading.strip().rstrip("。:;,") in _generic_task_headings()


def classify(stream: Stream, root: Node) -> None:
    """Set `kind` on every node: top-level parts from their headings, containers' children
    one by one, and everything below a part inherits the part's kind (boxes stay boxes)."""
    for child in root.children:
        _classify_part(stream, child, default="tasks")


def _classify_part(stream: Stream, node: Node, *, default: str) -> None:
    if node.style == "box":
        _inherit(node, "box")
        return
    heading, _ = heading_extent(stream, node)
    kind = kind_of_heading(heading) or default
    node.kind = kind
    if kind == "container":
        # Inside 总体要求 a part that names nothing is more guidance, not a task.
        for child in node.children:
            _classify_part(stream, child, default="guidance")
        return
    for child in node.children:
        _inherit(child, kind)


def _inherit(node: Node, kind: str) -> None:
    node.kind = "box" if node.style == "box" else kind
    for child in node.children:
        _inherit(child, node.kind)
