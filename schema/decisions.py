"""The analysts' alignment decisions file: its format, read and written in one place.

The builder reads it (ingest/alignment/curation.py applies the decisions) and the API's review
routes write it (api/routers/curation.py, only under `plangraph serve --allow-curation`), so
the format lives here, where both layers may import it. The file is plain tab-separated text
(data/curation/alignment.tsv by default, see its comment header), one decision per line:

    child_doc  level  child_key  child_title  parent_doc  parent_key  parent_title  decision  note

- keyed by document numbers (compared with `schema.graph_model.doc_key`) and item keys (task
  number; action, goal or measure order), so a decision survives re-ingest;
- the titles are a check: a decision whose titles no longer match the plan is reported and not
  applied; an empty title skips the check;
- decision: confirm (status becomes 'confirmed'), reject (the link is removed), add (a link the
  algorithm missed, status 'manual');
- lines starting with '#' and blank lines are comments; the optional header line names the
  columns.

`read_decisions_file` refuses a malformed line, naming the file and line. `record_decision`
writes one decision: it replaces the line holding a decision on the same link (the reader
refuses two) or appends one, keeps every other line and comment byte for byte, and replaces
the file in one rename so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from schema.graph_model import doc_key

COLUMNS = (
    "child_doc",
    "level",
    "child_key",
    "child_title",
    "parent_doc",
    "parent_key",
    "parent_title",
    "decision",
    "note",
)
# A decision's level -> the alignment's level name.
LEVELS = {"task": "tasks", "action": "actions", "goal": "goals", "measure": "measures"}
DECISIONS = ("confirm", "reject", "add")

# What a new file starts with: the same explanation data/curation/alignment.tsv carries.
NEW_FILE_HEADER = (
    "# Alignment decisions by analysts. Applied on every build; survives re-ingest.\n"
    "# One decision per line, fields separated by TABS: child_doc, level (task | action | goal"
    " | measure),\n"
    "# child_key, child_title, parent_doc, parent_key, parent_title, decision (confirm |"
    " reject | add), note.\n"
    "# Titles are a check (empty = no check); a decision that no longer matches is reported,"
    " not applied.\n" + "\t".join(COLUMNS) + "\n"
)


class DecisionsFileError(ValueError):
    """The decisions file cannot be read (or written) as such; names the file and line."""

    def __init__(self, message: str, *, path: str, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


def document_key(doc_number: str | None) -> str | None:
    """`doc_key` of a document number, None for a plan without one."""
    return doc_key(doc_number) if doc_number else None


@dataclass(frozen=True)
class Decision:
    child_doc: str
    level: str  # task | action | goal | measure
    child_key: int
    child_title: str
    parent_doc: str
    parent_key: int
    parent_title: str
    decision: str  # confirm | reject | add
    note: str = ""
    path: str | None = None
    line: int | None = None

    @property
    def pair(self) -> tuple[str | None, str | None]:
        """The plan pair this decision is for, as document keys."""
        return document_key(self.child_doc), document_key(self.parent_doc)

    @property
    def link(self) -> tuple[str | None, str, int, str | None, int]:
        """Which link it decides on: one decision per link, whatever the titles say."""
        child, parent = self.pair
        return (child, self.level, self.child_key, parent, self.parent_key)

    def where(self) -> str:
        return f"{self.path or '<decisions>'}:{self.line}" if self.line else (self.path or "")

    def describe(self) -> str:
        return (
            f"{self.decision} {self.level} {self.child_doc} {self.child_key} → "
            f"{self.parent_doc} {self.parent_key}"
        )

    def to_line(self) -> str:
        """The decision as one line of the file (no newline)."""
        fields = (
            self.child_doc,
            self.level,
            str(self.child_key),
            self.child_title,
            self.parent_doc,
            str(self.parent_key),
            self.parent_title,
            self.decision,
            self.note,
        )
        return "\t".join(_one_field(value) for value in fields)


def _one_field(value: str) -> str:
    # A tab or line break inside a title or note would split the line into wrong columns.
    return " ".join(value.replace("\t", " ").splitlines()).strip()


# -- reading ---------------------------------------------------------------------------------


def _key(value: str, column: str, path: str, line: int) -> int:
    try:
        key = int(value.strip())
    except ValueError:
        raise DecisionsFileError(
            f"{column} must be a number, got {value!r}", path=path, line=line
        ) from None
    if key < 1:
        raise DecisionsFileError(f"{column} must be 1 or more, got {key}", path=path, line=line)
    return key


def _read_text(p: Path) -> str:
    where = str(p)
    try:
        # Bytes decoded as they are: read_text would turn CRLF into LF, and a write would then
        # change every line of a file saved on Windows.
        return p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DecisionsFileError("decisions file not found", path=where) from None
    except UnicodeDecodeError as exc:
        raise DecisionsFileError(
            f"decisions file is not UTF-8 ({exc.reason})", path=where
        ) from None


def parse_decisions(text: str, where: str) -> tuple[Decision, ...]:
    """The decisions in a file's text; a malformed line raises DecisionsFileError."""
    decisions: list[Decision] = []
    seen: dict[tuple[str | None, str, int, str | None, int], Decision] = {}
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen and fields[0].strip() == COLUMNS[0]:
            header_seen = True
            if [f.strip() for f in fields[: len(COLUMNS)]] != list(COLUMNS[: len(fields)]):
                raise DecisionsFileError(
                    f"header must be {' / '.join(COLUMNS)} separated by tabs",
                    path=where,
                    line=number,
                )
            continue
        if len(fields) not in (len(COLUMNS) - 1, len(COLUMNS)):
            raise DecisionsFileError(
                f"expected {len(COLUMNS)} tab-separated fields ({', '.join(COLUMNS)}), "
                f"got {len(fields)}" + (" (spaces instead of tabs?)" if len(fields) == 1 else ""),
                path=where,
                line=number,
            )
        fields = [f.strip() for f in fields] + [""] * (len(COLUMNS) - len(fields))
        child_doc, level, ckey, ctitle, parent_doc, pkey, ptitle, decision, note = fields
        if not child_doc or not parent_doc:
            raise DecisionsFileError(
                "child_doc and parent_doc must not be empty", path=where, line=number
            )
        if level not in LEVELS:
            raise DecisionsFileError(
                f"level must be one of {', '.join(LEVELS)}, got {level!r}", path=where, line=number
            )
        if decision not in DECISIONS:
            raise DecisionsFileError(
                f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}",
                path=where,
                line=number,
            )
        d = Decision(
            child_doc=child_doc,
            level=level,
            child_key=_key(ckey, "child_key", where, number),
            child_title=ctitle,
            parent_doc=parent_doc,
            parent_key=_key(pkey, "parent_key", where, number),
            parent_title=ptitle,
            decision=decision,
            note=note,
            path=where,
            line=number,
        )
        if d.link in seen:
            first = seen[d.link]
            raise DecisionsFileError(
                f"second decision on the same link (first at line {first.line}: "
                f"{first.decision}); keep one",
                path=where,
                line=number,
            )
        seen[d.link] = d
        decisions.append(d)
    return tuple(decisions)


def read_decisions_file(path: str | Path) -> tuple[Decision, ...]:
    """Read a decisions file; a malformed line raises DecisionsFileError naming file and line."""
    p = Path(path)
    return parse_decisions(_read_text(p), str(p))


# -- writing ---------------------------------------------------------------------------------

# One writer at a time within a process (the API's worker threads); the rename makes each
# write whole for readers in other processes (a build running meanwhile).
_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Recorded:
    """What `record_decision` did: the decision as now in the file, and what it replaced."""

    decision: Decision
    replaced: Decision | None


def record_decision(path: str | Path, decision: Decision) -> Recorded:
    """Write `decision` into the file at `path`, replacing a decision on the same link.

    Every other line, comments included, stays as it was. A missing file is created with the
    explanatory header; a file that does not read as a decisions file is left alone and
    DecisionsFileError raised, so a write never makes a broken file worse.
    """
    p = Path(path)
    where = str(p)
    if decision.level not in LEVELS or decision.decision not in DECISIONS:
        raise ValueError(f"not a decision: {decision.level} {decision.decision}")
    new_line = decision.to_line()
    # The line as it will read back; checked before anything is written.
    [check] = parse_decisions(new_line, where)
    with _WRITE_LOCK:
        text = _read_text(p) if p.exists() else NEW_FILE_HEADER
        existing = parse_decisions(text, where)
        lines = text.splitlines(keepends=True)
        replaced = next((d for d in existing if d.link == check.link), None)
        if replaced is not None and replaced.line is not None:
            ending = "\r\n" if lines[replaced.line - 1].endswith("\r\n") else "\n"
            lines[replaced.line - 1] = new_line + ending
            line_number = replaced.line
        else:
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += "\n"
            lines.append(new_line + "\n")
            line_number = len(lines)
        # A file saved with a byte-order mark (Excel, Notepad) keeps it.
        bom = "\ufeff" if p.exists() and p.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        _replace_file(p, bom + "".join(lines))
    written = Decision(**{**check.__dict__, "path": where, "line": line_number})
    return Recorded(decision=written, replaced=replaced)


def _replace_file(p: Path, text: str) -> None:
    """Write `text` to a temporary file beside `p`, then rename it over `p` (atomic)."""
    p.parent.mkdir(parents=True, exist_ok=True)
    mode = p.stat().st_mode & 0o777 if p.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, p)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
