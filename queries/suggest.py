"""Closest names for a 404: what the user probably meant.

Chinese short names are mostly the full name with characters left out (市经信委 for
市经济和信息化委员会), so after names that contain the query we rank names that contain its
characters in order, then plain string similarity. Related names (a bureau's counterpart at
the other level) follow the name they relate to: asking for 经委 should offer 区经委 and also
the city bureau it mirrors, 市经济信息化委.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def _in_order(query: str, name: str) -> int | None:
    """Span of the shortest window of `name` holding query's characters in order, or None."""
    best: int | None = None
    for start, char in enumerate(name):
        if char != query[0]:
            continue
        pos = start
        for wanted in query[1:]:
            pos = name.find(wanted, pos + 1)
            if pos < 0:
                break
        else:
            span = pos - start + 1
            best = span if best is None else min(best, span)
    return best


def closest(
    query: str,
    names: Iterable[str],
    *,
    related: Mapping[str, Iterable[str]] | None = None,
    limit: int = 5,
) -> list[str]:
    query = query.strip()
    pool = sorted(set(n for n in names if n))
    if not query or not pool:
        return []
    contains = sorted((n for n in pool if query in n), key=lambda n: (len(n), n))
    ordered = sorted(
        (
            (span, len(n), n)
            for n in pool
            if n not in contains and (span := _in_order(query, n)) is not None
        ),
    )
    similar = difflib.get_close_matches(query, pool, n=limit, cutoff=0.5)
    picked: list[str] = []

    def add(name: str) -> None:
        if name not in picked:
            picked.append(name)

    for name in contains:
        add(name)
        for other in sorted((related or {}).get(name, ())):
            add(other)
    for *_, name in ordered:
        add(name)
    for name in similar:
        add(name)
    return picked[:limit]
