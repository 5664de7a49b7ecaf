"""Errors a store raises that a caller (CLI, API) can act on.

Each carries the fields an answer needs: the view or parameter at fault and close matches
to suggest, so the API can map them to 404 / 422 / 503 without parsing messages.
"""

from __future__ import annotations

from collections.abc import Sequence


class StoreError(Exception):
    """Base of every store error."""


class StoreUnavailable(StoreError):
    """The graph database cannot be reached (or timed out); retrying later may work."""


class UnknownView(StoreError):
    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown view {name!r}{hint}")


class ViewParameterError(StoreError):
    """A view parameter is missing, of the wrong type, or names nothing in the graph."""

    def __init__(self, view: str, parameter: str, message: str, suggestions: Sequence[str] = ()):
        self.view = view
        self.parameter = parameter
        self.message = message
        self.suggestions = list(suggestions)
        super().__init__(f"{view}: parameter {parameter!r}: {message}")


class NameNotFound(StoreError):
    """A plan or agency reference that names nothing in the graph, or more than one thing.

    Every entry point answers it the same way: the CLI exits 2, the API answers 404, both with
    `suggestions` (the closest names). `view` and `parameter` say where the name came from
    when it was a view parameter.
    """

    def __init__(
        self,
        kind: str,
        ref: str,
        message: str,
        suggestions: Sequence[str] = (),
        view: str | None = None,
        parameter: str | None = None,
    ):
        self.kind = kind
        self.ref = ref
        self.message = message
        self.suggestions = list(suggestions)
        self.view = view
        self.parameter = parameter
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        where = f"{view}: parameter {parameter!r}: " if view and parameter else ""
        super().__init__(f"{where}{message}{hint}")


class ViewHeaderError(StoreError):
    """A .cypher view file whose header the registry cannot read (a developer error)."""
