"""Errors a user can act on: what is wrong and where."""

from __future__ import annotations


class PlanError(Exception):
    """The input cannot be read as a plan. Carries the file and, where known, the line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class PlanErrors(PlanError):
    """Several inputs of one run cannot be read as plans: all of them, in one line."""

    def __init__(self, errors: list[PlanError]):
        self.errors = errors
        super().__init__(
            f"{len(errors)} files cannot be read as plans: "
            + "; ".join(error.describe() for error in errors)
        )

    def describe(self) -> str:
        return self.message
