"""Items (tasks, measures): one marker's content cut into title, text and responsibility."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.parsing.markers import Marker
from ingest.parsing.owners import Responsibility, find_responsibilities, read_listing
from ingest.parsing.stream import ENDINGS, HEADING_MAX, SHORT_TITLE, STOP_RE, STOPS, Stream
from schema.normalize import clean_pair, matching_shadow

# Today's label words only serve to spot a label whose closing bracket was lost.
_UNCLOSED_RESPONSIBILITY_RE = re.compile(
    r"\(\s*(?:责任|牵头|主责|负责|配合|协同|参与|实施)(?:单位|部门|主体)\s*:?\s*([^)]*)$"
)


# ---------------------------------------------------------------------------------------
# Items: cutting one marker's content into title, text and agencies


@dataclass
class Item:
    marker: Marker
    content_end: int
    title: str = ""
    text: str = ""
    agencies: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "lead" | "co" | "support", per agency
    lead_rule: str | None = None
    scope: str | None = None
    problems: list[str] = field(default_factory=list)
    labels: list[tuple[int, int]] = field(default_factory=list)  # label spans in `cleaned`
    cleaned: str = ""  # the item's text, whitespace removed, labels included
    found: list[Responsibility] = field(default_factory=list)
    has_responsibility: bool = False
    style: str = "inline"  # "inline" | "heading" | "ambiguous"
    heading: str = ""
    body: str = ""
    body_shadow: str = ""
    orphan: str = ""
    last_pos: int = 0
    unclosed: bool = False  # its responsibility parenthetical never closes (a lost line?)
    opened_at: int = 0  # where that unclosed parenthetical opens


def _assign(item: Item, responsibility: Responsibility) -> None:
    for assignment in responsibility.assignments:
        item.agencies.append(assignment.name)
        item.roles.append(assignment.role)
    item.lead_rule = item.lead_rule or responsibility.lead_rule
    item.scope = item.scope or responsibility.scope
    item.problems.extend(responsibility.problems)


def cut_item(stream: Stream, item: Item) -> None:
    start, end = item.marker.end, item.content_end
    raw, raw_shadow = stream.text[start:end], stream.shadow[start:end]
    original, shadow = clean_pair(raw, raw_shadow)

    # Responsibility parentheticals in any written form (owners.py), or one whose closing
    # bracket was lost: its units run to the item's end, or to a sentence end if text follows.
    # Whether that is recoverable (another marker follows) or a cut-off document is for
    # check_unclosed to say.
    found = find_responsibilities(original)
    spans: list[tuple[int, int]] = []
    for responsibility in found:
        spans.append((responsibility.start, responsibility.end))
        _assign(item, responsibility)
    item.found = found
    if found and found[-1].bracketed and shadow[found[-1].end - 1 : found[-1].end] != ")":
        # owners.py read a label whose closing bracket was lost up to its sentence end.
        item.unclosed = True
        item.opened_at = start + max(raw_shadow.rfind("("), 0)
    if not spans:
        match = _UNCLOSED_RESPONSIBILITY_RE.search(shadow)
        if match:
            stop = STOP_RE.search(shadow, match.start(1))
            listing_end = stop.start() if stop else len(shadow)
            _assign(item, read_listing(original[match.start(1) : listing_end]))
            item.unclosed = True
            item.opened_at = start + max(raw_shadow.rfind("("), 0)
            spans.append((match.start(), listing_end))
    item.labels = spans
    item.cleaned = original
    item.has_responsibility = bool(spans)

    if item.unclosed:
        item.orphan = original[spans[-1][1] :].lstrip("。!?！？").strip()
        body, body_shadow = original[: spans[-1][0]], shadow[: spans[-1][0]]
        item.last_pos = start + len(raw_shadow.rstrip()) - 1
    elif spans:
        last_end = spans[-1][1]
        item.orphan = original[last_end:].strip()
        kept_original, kept_shadow, cursor = [], [], 0
        for s, e in spans:
            kept_original.append(original[cursor:s])
            kept_shadow.append(shadow[cursor:s])
            cursor = e
        body, body_shadow = "".join(kept_original), "".join(kept_shadow)
        last_raw = raw_shadow.rfind(")") if found and found[-1].bracketed else -1
        item.last_pos = start + (last_raw if last_raw >= 0 else len(raw_shadow.rstrip()) - 1)
    else:
        body, body_shadow = original, shadow
        item.last_pos = start + len(raw_shadow.rstrip()) - 1
    item.body, item.body_shadow = body.strip(), body_shadow.strip()

    # Heading or inline? Decided from the marker's own line; siblings settle ambiguous ones.
    newline = raw_shadow.find("\n")
    first_line_shadow = raw_shadow if newline < 0 else raw_shadow[:newline]
    first_line = clean_pair(raw[: len(first_line_shadow)], first_line_shadow)[0].strip()
    first_line_shadow_clean = matching_shadow(first_line)
    rest_is_empty = newline < 0 or not raw_shadow[newline:].strip()
    has_stop = any(stop in first_line_shadow_clean for stop in STOPS)
    if has_stop or rest_is_empty or not first_line or len(first_line) > HEADING_MAX:
        item.style = "inline"
    elif stream.wrap_width and len(first_line_shadow.strip()) >= stream.wrap_width - 3:
        item.style = "inline"  # a full-width line of a hard-wrapped paragraph
    else:
        lead_sentence = first_sentence(item.body, item.body_shadow)
        item.style = "heading" if len(lead_sentence) > SHORT_TITLE else "ambiguous"
        item.heading = first_line.rstrip("。;；,，:：")


def first_sentence(text: str, shadow: str) -> str:
    cut = min((shadow.find(stop) for stop in STOPS if stop in shadow), default=len(shadow))
    return text[:cut]


def finish_items(stream: Stream, items: list[Item]) -> None:
    """Resolve ambiguous styles by the siblings' majority, then set title and text."""
    votes = Counter(item.style for item in items if item.style != "ambiguous")
    if votes["heading"] > votes["inline"]:
        default = "heading"
    elif votes["inline"] > votes["heading"]:
        default = "inline"
    else:
        default = "inline" if stream.wrap_width else "heading"
    for item in items:
        style = default if item.style == "ambiguous" else item.style
        if style == "heading" and item.heading and item.body.startswith(item.heading):
            rest = item.body[len(item.heading) :].lstrip("。;；,，:： ")
            item.title = item.heading
            item.text = f"{item.heading}。{rest}" if rest else item.heading
        else:
            item.title = first_sentence(item.body, item.body_shadow)
            item.text = item.body
        item.title = item.title.strip().rstrip("。;；,，:：").strip()


def cut_items(stream: Stream, markers: list[Marker], ends: list[int], kind: str) -> list[Item]:
    items = [Item(marker=m, content_end=e) for m, e in zip(markers, ends, strict=True)]
    for item in items:
        cut_item(stream, item)
    finish_items(stream, items)
    for item in items:
        if not item.title.strip() and not item.text.strip():
            # A number with nothing after it (a lost page, or a footer match cut it off): an
            # empty task or measure in the graph would hide the damage.
            raise stream.error(
                f"{kind} {item.marker.value} is empty: nothing follows its number "
                "(is the text damaged or cut off here?)",
                item.marker.start,
            )
    return items


def check_unclosed(
    stream: Stream, items: list[Item], what: str, ends_document: bool, warnings: list[str]
) -> None:
    """An unclosed responsibility line is a lost line when another item follows, and a
    cut-off document when the text ends inside it."""
    for i, item in enumerate(items):
        if not item.unclosed:
            continue
        if ends_document and i == len(items) - 1:
            raise stream.error(
                f"the responsibility line of {what} {item.marker.value} is never closed and the "
                "document ends there: the text is cut off",
                item.last_pos,
            )
        listed = "、".join(item.agencies) or "none"
        warnings.append(
            f"line {stream.line(item.opened_at)}: the responsibility line of {what} "
            f"{item.marker.value} is never closed (a lost line?); its agencies are read up to "
            f"the next item or heading: {listed}"
        )


def check_orphans(stream: Stream, items: list[Item], what: str, warnings: list[str]) -> None:
    for item in items[:-1]:
        if item.orphan:
            warnings.append(
                f"line {stream.line(item.last_pos)}: text after the responsibility line of "
                f"{what} {item.marker.value} is not part of any item: {item.orphan[:30]}"
            )


def check_cut_off(
    stream: Stream, items: list[Item], what: str, ends_document: bool, warnings: list[str]
) -> None:
    """A document that stops inside its last item is an error, not a short item."""
    if not items or not ends_document:
        return
    last = items[-1]
    if last.has_responsibility:
        if what == "task" and not last.orphan:
            # Real plans close with 保障措施, a closing paragraph or a footer; this one stops.
            warnings.append(
                f"line {stream.line(last.last_pos)}: the document ends right after task "
                f"{last.marker.value}, with no 保障措施, closing text or footer: it may be cut off"
            )
        return
    ending = last.body_shadow.rstrip()[-1:] if last.body_shadow.strip() else ""
    if not ending or ending not in ENDINGS:
        raise stream.error(
            f"document ends in the middle of {what} {last.marker.value}: its text stops "
            f"without a closing 。",
            last.last_pos,
        )
    others = items[:-1]
    if len(others) >= 3 and all(item.has_responsibility for item in others):
        raise stream.error(
            f"document looks cut off: {what} {last.marker.value} has no responsibility line "
            "while every other one does",
            last.last_pos,
        )


# ---------------------------------------------------------------------------------------
# Unnumbered tasks: runs of sentences each closed by its own label

_MIN_RUN = 8  # fewer characters between two labels: one item with two labels, not two items
_RUN_TRIM = "。;；,，:： "


def split_labelled(stream: Stream, item: Item) -> list[Item] | None:
    """The label-closed runs of an item that holds several, one Item each; None when the item
    has fewer than two (it is one task). The item's own heading is not part of the first run."""
    if len(item.found) < 2:
        return None
    text = item.cleaned
    runs: list[tuple[int, int, list[Responsibility]]] = []  # (start, end incl. labels)
    cursor = 0
    for responsibility in item.found:
        between = text[cursor : responsibility.start].strip(_RUN_TRIM)
        if runs and len(between) < _MIN_RUN:
            start, _, labels = runs[-1]
            runs[-1] = (start, responsibility.end, [*labels, responsibility])
        else:
            runs.append((cursor, responsibility.end, [responsibility]))
        cursor = responsibility.end
    if len(runs) < 2:
        return None
    heading = item.title
    offsets = _raw_offsets(stream.shadow[item.marker.end : item.content_end])
    pieces = []
    for index, (start, end, labels) in enumerate(runs):
        body_parts, at = [], start
        for label in labels:
            body_parts.append(text[at : label.start])
            at = label.end
        body = "".join(body_parts).strip(_RUN_TRIM)
        if index == 0 and heading and body.startswith(heading):
            skipped = len(text[start:]) - len(text[start:].lstrip(_RUN_TRIM))
            start += skipped + len(heading)
            body = body[len(heading) :].strip(_RUN_TRIM)
        first_pos = item.marker.end + offsets[min(start, len(offsets) - 1)]
        piece = Item(
            marker=Marker(item.marker.kind, 0, first_pos, first_pos, "sentence"),
            content_end=item.marker.end + offsets[min(end, len(offsets)) - 1] + 1,
            has_responsibility=True,
            style="inline",
        )
        for label in labels:
            _assign(piece, label)
        piece.found = labels
        piece.body = body
        piece.body_shadow = matching_shadow(body)
        piece.text = body
        piece.title = first_sentence(body, piece.body_shadow).strip().rstrip(_RUN_TRIM)
        piece.last_pos = piece.content_end - 1
        pieces.append(piece)
    return pieces


def _raw_offsets(raw_shadow: str) -> list[int]:
    """For each character that clean_pair keeps of `raw_shadow`, its offset in it."""
    offsets: list[int] = []
    cursor = 0
    for run in re.finditer(r"\s+", raw_shadow):
        i, j = run.span()
        offsets.extend(range(cursor, i))
        before = raw_shadow[i - 1] if i > 0 else ""
        after = raw_shadow[j] if j < len(raw_shadow) else ""
        if (
            i > 0
            and before.isascii()
            and before.isalnum()
            and after.isascii()
            and after.isalnum()
            and not (before.isdigit() and after.isdigit())
        ):
            offsets.append(i)
        cursor = j
    offsets.extend(range(cursor, len(raw_shadow)))
    return offsets
