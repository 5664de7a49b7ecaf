"""The view registry: every queries/*.cypher file, described by its own comment header.

A view file starts with Cypher comments the registry reads (and Neo4j Browser ignores):

    // title: Tasks by agency
    // purpose: Every task and safeguard measure an agency owns …
    // param: agency (string) — the bureau as written, its full name or id, example: 区经委
    // param: include_collective (bool, true) — also through 各区政府-style lines, example: true
    // param: depth (int 1..3, 1) — hops from the node, example: 2
    // order: plan, kind, number nulls first, led desc, id
    // columns: agency, number, title, role

`(type)` alone means required; `(type, default)` optional. Types: string, int, float, bool,
plan (an id, a document number with or without spaces, a title or a region such as 松江区),
agency (an id, name, full name or alias) — the store resolves both to the node's id before the
view runs, so a view matches `{id: $plan}` and an unknown name fails the same way everywhere —
and query (free text, segmented with jieba; the view reads a list of `{word, at}` maps, `at`
being the word's position in the query).

`columns:` names the columns a terminal table shows, in order, as many as fit its width (JSON,
CSV and Excel carry every column).

`order:` lists the result columns rows are sorted by, each optionally `desc` and `nulls
first`/`nulls last` (default as Cypher: nulls last ascending, first descending). The store
sorts after the query on both engines, so engines that order nulls or break ties differently
still return identical rows; a view needs ORDER BY itself only before a LIMIT. Lists inside
a row are ordered the same way: `list: owners by via nulls first, order, id` sorts the map
items of a list column by their keys (no `by`: by the items themselves), `keep word` then keeps
one field of each, and `indicators.cascades_to` reaches a list inside each item.

The rest of the file is the query, with parameters as $name, so it runs unchanged as a Browser
favourite. A file `<view>.<engine>.cypher` beside it (engine: neo4j or ladybug) replaces the
query on that engine only, for what one engine cannot say like the other (full-text search);
it repeats no header.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from queries.errors import UnknownView, ViewHeaderError, ViewParameterError

VIEWS_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("string", "int", "float", "bool", "plan", "agency", "query")
# Parameter types the store resolves to a node id before the view runs.
RESOLVED_TYPES = ("plan", "agency")
ENGINES = ("neo4j", "ladybug")

_HEADER_LINE = re.compile(r"^//\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*\((?P<type>[a-z]+)(?:\s+(?P<lo>-?\d+)\.\.(?P<hi>-?\d+))?"
    r"(?:\s*,\s*(?P<default>[^)]*))?\)\s*[—–-]+\s*(?P<description>.*?)"
    r"(?:,\s*example:\s*(?P<example>.*))?$"
)
_ORDER_KEY = re.compile(
    r"^(?P<column>[a-z_][a-z0-9_]*)(?:\s+(?P<direction>asc|desc))?"
    r"(?:\s+nulls\s+(?P<nulls>first|last))?$"
)
_REQUIRED = object()


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    description: str
    default: Any = _REQUIRED
    example: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": None if self.required else self.default,
            "description": self.description,
            "example": self.example,
            "minimum": self.minimum,
            "maximum": self.maximum,
        }


@dataclass(frozen=True)
class OrderKey:
    column: str
    descending: bool = False
    nulls_first: bool = False

    def sort(self, rows: list[dict[str, Any]]) -> None:
        def key(row: dict[str, Any]) -> tuple[Any, ...]:
            value = row.get(self.column)
            # True sorts after False; reversing for desc flips where nulls land.
            null_last = (value is None) == (self.nulls_first == self.descending)
            return (null_last, _comparable(value))

        rows.sort(key=key, reverse=self.descending)


def _comparable(value: Any) -> Any:
    """A sort key for one cell: nulls together, numbers before text, lists element-wise."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, list | tuple):
        return (4, tuple(_comparable(v) for v in value))
    if isinstance(value, dict):  # key order differs between engines: compare sorted items
        return (5, tuple((k, _comparable(v)) for k, v in sorted(value.items())))
    return (6, repr(value))


@dataclass(frozen=True)
class ListOrder:
    """The order of the items of a list column (`owners`), or of a list inside its items
    (`indicators.cascades_to`): by the given keys of map items, else by the items' values."""

    path: tuple[str, ...]
    keys: tuple[OrderKey, ...] = ()
    # After sorting map items, keep only this field of each (`matched by at keep word`).
    keep: str | None = None

    def apply(self, row: dict[str, Any], depth: int = 0) -> None:
        value = row.get(self.path[depth])
        if not isinstance(value, list):
            return
        if depth + 1 < len(self.path):
            for item in value:
                if isinstance(item, dict):
                    self.apply(item, depth + 1)
            return
        if self.keys:
            for key in reversed(self.keys):
                key.sort(value)
        else:
            value.sort(key=_comparable)
        if self.keep:
            value[:] = [item.get(self.keep) if isinstance(item, dict) else item for item in value]


@dataclass(frozen=True)
class ViewSpec:
    name: str
    title: str
    purpose: str
    params: tuple[ParamSpec, ...]
    cypher: str
    path: Path
    order: tuple[OrderKey, ...] = ()
    lists: tuple[ListOrder, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()
    # The columns a terminal table shows first (`// columns:`); empty: the rows' own order.
    columns: tuple[str, ...] = ()

    def text(self, engine: str) -> str:
        """The query this view runs on `engine`: its override there, else the view itself."""
        return dict(self.overrides).get(engine, self.cypher)

    def sort(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows in the header's order (stable passes, last key first)."""
        for key in reversed(self.order):
            key.sort(rows)
        for list_order in self.lists:
            for row in rows:
                list_order.apply(row)
        return rows

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "purpose": self.purpose,
            "params": [p.describe() for p in self.params],
        }

    def validate(self, params: dict[str, Any] | None) -> dict[str, Any]:
        """Coerce and complete parameters; raise ViewParameterError naming the first fault."""
        given = dict(params or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(known), n=3)
            raise ViewParameterError(
                self.name,
                unknown[0],
                f"not a parameter of this view (it takes: {', '.join(sorted(known)) or 'none'})",
                close,
            )
        values: dict[str, Any] = {}
        for spec in self.params:
            raw = given.get(spec.name)
            if raw is None or (isinstance(raw, str) and raw.strip() == "" and spec.type != "bool"):
                if spec.required:
                    raise ViewParameterError(
                        self.name, spec.name, f"required ({spec.type}), e.g. {spec.example}"
                    )
                values[spec.name] = spec.default
                continue
            values[spec.name] = _coerce(self.name, spec, raw)
        return values


def _coerce(view: str, spec: ParamSpec, raw: Any) -> Any:
    def bad(message: str) -> ViewParameterError:
        return ViewParameterError(view, spec.name, message)

    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise bad(f"expected true or false, got {raw!r}")
    if spec.type == "int":
        if isinstance(raw, bool):
            raise bad(f"expected an integer, got {raw!r}")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise bad(f"expected an integer, got {raw!r}") from None
        if spec.minimum is not None and value < spec.minimum:
            raise bad(f"must be at least {spec.minimum}, got {value}")
        if spec.maximum is not None and value > spec.maximum:
            raise bad(f"must be at most {spec.maximum}, got {value}")
        return value
    if spec.type == "float":
        try:
            return float(str(raw).strip())
        except ValueError:
            raise bad(f"expected a number, got {raw!r}") from None
    if spec.type == "query" and _segmented(raw):
        return raw  # validated before (the API validates, then the store does again)
    if not isinstance(raw, str | int):
        raise bad(f"expected text, got {type(raw).__name__}")
    text = str(raw).strip()
    if spec.type == "query":
        terms = query_terms(text)
        if not terms:
            raise bad("no searchable words (single characters and punctuation are ignored)")
        return [{"word": word, "at": at} for at, word in enumerate(terms)]
    return text


def _segmented(value: Any) -> bool:
    """Whether `value` is a query as validation makes it: [{word, at}, ...] in order."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(term, dict)
            and set(term) == {"word", "at"}
            and isinstance(term["word"], str)
            and term["at"] == at
            for at, term in enumerate(value)
        )
    )


def query_terms(text: str) -> list[str]:
    """Search terms of free text: jieba words of two or more characters, in query order.

    Single characters are dropped: they match nearly every task and, for Chinese, the
    Neo4j CJK analyzer indexes bigrams, so a one-character term cannot use the index.
    Quotes and backslashes are dropped because the Neo4j override quotes each term as a
    Lucene phrase.
    """
    # jieba's default segmentation on the shared compact dictionary: the same words as
    # jieba.lcut, without holding jieba's ~70 MB dictionary in the server.
    from schema.segmenter import plain

    segmenter = plain()
    terms: list[str] = []
    for chunk in text.split():
        for word in segmenter.lcut(chunk):
            word = re.sub(r'["\\\s]', "", word)
            if len(word) > 1 and re.search(r"\w", word) and word not in terms:
                terms.append(word)
    return terms


def _parse_default(type_: str, text: str | None) -> Any:
    if text is None:
        return _REQUIRED
    text = text.strip()
    if text in ("required", ""):
        return _REQUIRED
    if text in ("null", "none"):
        return None
    if type_ == "bool":
        return text.lower() == "true"
    if type_ == "int":
        return int(text)
    if type_ == "float":
        return float(text)
    return text


def parse_view(path: Path) -> ViewSpec:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[ParamSpec] = []
    list_lines: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _HEADER_LINE.match(line.strip())
        if not line.lstrip().startswith("//"):
            break
        if not match:
            continue
        key, value = match["key"], match["value"]
        if key == "list":
            list_lines.append(value)
        elif key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise ViewHeaderError(f"{path.name}: cannot read parameter line {value!r}")
            if pm["type"] not in PARAM_TYPES:
                raise ViewHeaderError(f"{path.name}: unknown parameter type {pm['type']!r}")
            params.append(
                ParamSpec(
                    name=pm["name"],
                    type=pm["type"],
                    description=pm["description"].strip(),
                    default=_parse_default(pm["type"], pm["default"]),
                    example=(pm["example"] or "").strip() or None,
                    minimum=int(pm["lo"]) if pm["lo"] else None,
                    maximum=int(pm["hi"]) if pm["hi"] else None,
                )
            )
        else:
            header[key] = value
    order = _order_keys(path, header.get("order", ""))
    columns = tuple(c.strip() for c in header.get("columns", "").split(",") if c.strip())
    for column in columns:
        if not re.search(rf"\bAS\s+`?{re.escape(column)}`?(?![\w`])", text, re.IGNORECASE):
            raise ViewHeaderError(f"{path.name}: column {column!r} is not returned (AS {column})")
    lists = tuple(_list_order(path, line) for line in list_lines)
    for key in ("title", "purpose"):
        if not header.get(key):
            raise ViewHeaderError(f"{path.name}: header lacks '// {key}:'")
    for spec in params:
        if spec.example is None:
            raise ViewHeaderError(f"{path.name}: parameter {spec.name} has no example")
        if f"${spec.name}" not in text:
            raise ViewHeaderError(f"{path.name}: parameter {spec.name} is never used")
    overrides = []
    for engine in ENGINES:
        override = path.with_name(f"{path.stem}.{engine}.cypher")
        if override.exists():
            body = override.read_text(encoding="utf-8")
            for spec in params:
                if f"${spec.name}" not in body:
                    raise ViewHeaderError(f"{override.name}: parameter {spec.name} is never used")
            overrides.append((engine, body))
    return ViewSpec(
        name=path.stem,
        title=header["title"],
        purpose=header["purpose"],
        params=tuple(params),
        cypher=text,
        path=path,
        order=order,
        lists=lists,
        overrides=tuple(overrides),
        columns=columns,
    )


def _order_keys(path: Path, text: str) -> tuple[OrderKey, ...]:
    return tuple(_order_key(path, part) for part in text.split(",") if part.strip())


def _list_order(path: Path, text: str) -> ListOrder:
    text, _, keep = text.partition(" keep ")
    column, _, keys = text.partition(" by ")
    return ListOrder(
        tuple(column.strip().split(".")), _order_keys(path, keys), keep.strip() or None
    )


def _order_key(path: Path, part: str) -> OrderKey:
    match = _ORDER_KEY.match(part.strip().lower())
    if not match:
        raise ViewHeaderError(f"{path.name}: cannot read order key {part.strip()!r}")
    descending = match["direction"] == "desc"
    nulls = match["nulls"] or ("first" if descending else "last")
    return OrderKey(match["column"], descending, nulls == "first")


def view_files() -> list[Path]:
    """The views: every .cypher file here except engine overrides (`<view>.<engine>.cypher`)."""
    return sorted(
        path
        for path in VIEWS_DIR.glob("*.cypher")
        if not any(path.name.endswith(f".{engine}.cypher") for engine in ENGINES)
    )


@cache
def all_views() -> dict[str, ViewSpec]:
    """Every view by name, read once per process."""
    return {spec.name: spec for spec in map(parse_view, view_files())}


def get_view(name: str) -> ViewSpec:
    views = all_views()
    if name not in views:
        raise UnknownView(name, difflib.get_close_matches(name, sorted(views), n=3, cutoff=0.5))
    return views[name]


def list_views() -> list[dict[str, Any]]:
    return [spec.describe() for spec in all_views().values()]
