"""The view registry: every queries/*.cypher file, described by its own comment header.

A view file starts with Cypher comments the registry reads (and Neo4j Browser ignores):

    // title: Tasks by agency
    // purpose: Every task and safeguard measure an agency owns …
    // param: agency (string) — the bureau as written, its full name or id, example: 区经委
    // param: include_collective (bool, true) — also through 各区政府-style lines, example: true
    // param: depth (int 1..3, 1) — hops from the node, example: 2

`(type)` alone means required; `(type, default)` optional. Types: string, int, float, bool,
plan (an id, a document number with or without spaces, or a region such as 松江区; the store
resolves it to the plan id before running the view) and query (free text; segmented with
jieba into space-separated terms, which is the form the view reads). The rest of the file is
the query, with parameters as $name, so it runs unchanged as a Browser favourite.
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
PARAM_TYPES = ("string", "int", "float", "bool", "plan", "query")

_HEADER_LINE = re.compile(r"^//\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*\((?P<type>[a-z]+)(?:\s+(?P<lo>-?\d+)\.\.(?P<hi>-?\d+))?"
    r"(?:\s*,\s*(?P<default>[^)]*))?\)\s*[—–-]+\s*(?P<description>.*?)"
    r"(?:,\s*example:\s*(?P<example>.*))?$"
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
class ViewSpec:
    name: str
    title: str
    purpose: str
    params: tuple[ParamSpec, ...]
    cypher: str
    path: Path

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
    if not isinstance(raw, str | int):
        raise bad(f"expected text, got {type(raw).__name__}")
    text = str(raw).strip()
    if spec.type == "query":
        terms = query_terms(text)
        if not terms:
            raise bad("no searchable words (single characters and punctuation are ignored)")
        return " ".join(terms)
    return text


def query_terms(text: str) -> list[str]:
    """Search terms of free text: jieba words of two or more characters, in query order.

    Single characters are dropped: they match nearly every task and, for Chinese, the
    Neo4j CJK analyzer indexes bigrams, so a one-character term cannot use the index.
    Quotes and backslashes are dropped because the Neo4j twin quotes each term as a
    Lucene phrase.
    """
    import jieba

    jieba.setLogLevel(60)
    terms: list[str] = []
    for chunk in text.split():
        for word in jieba.lcut(chunk):
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
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _HEADER_LINE.match(line.strip())
        if not line.lstrip().startswith("//"):
            break
        if not match:
            continue
        key, value = match["key"], match["value"]
        if key == "param":
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
    for key in ("title", "purpose"):
        if not header.get(key):
            raise ViewHeaderError(f"{path.name}: header lacks '// {key}:'")
    for spec in params:
        if spec.example is None:
            raise ViewHeaderError(f"{path.name}: parameter {spec.name} has no example")
        if f"${spec.name}" not in text:
            raise ViewHeaderError(f"{path.name}: parameter {spec.name} is never used")
    return ViewSpec(
        name=path.stem,
        title=header["title"],
        purpose=header["purpose"],
        params=tuple(params),
        cypher=text,
        path=path,
    )


def view_files() -> list[Path]:
    return sorted(VIEWS_DIR.glob("*.cypher"))


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
