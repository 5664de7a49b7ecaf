"""A plan's responsibility line (责任单位) → resolved `Owner`s.

Each unit keeps the role its line gives it (lead, co, support: see ingest/parsing/owners.py);
without roles the first listed unit leads and the rest are co-owners. A collective line
(各区政府, 各街镇) stays an owner of kind ``collective`` and is followed by its members, each
with ``via`` naming the collective and the collective's role: every district government leads
a task whose line starts with 各区政府. A unit listed directly is never repeated through a
collective. Names the lexicon does not know are kept as written, with kind ``unknown``, and
returned for reporting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.model import Owner
from schema.lexicon import Lexicon, load_lexicon

# A level guess for unknown names from how the genre writes them (市X / 区X / X镇 / X街道).
_LEVEL_HINTS = (
    (re.compile(r"^(?:各)?市"), "city"),
    (re.compile(r"^(?:各)?[区县]|[区县](?:人民)?政府$"), "district"),
    (re.compile(r"(?:镇|乡|街道)(?:人民政府|办事处)?$"), "town"),
)


def _clean(name: str) -> str:
    # PDF noise splits names across lines; the wording itself is kept.
    return "".join(name.split())


def _guess_level(name: str) -> str | None:
    for pattern, level in _LEVEL_HINTS:
        if pattern.search(name):
            return level
    return None


def resolve_owners(
    agencies: Iterable[str],
    *,
    roles: Sequence[str] = (),
    plan_region: str | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[list[Owner], list[str]]:
    """Owners for a responsibility line in document order, and the names no entry matched."""
    lexicon = lexicon or load_lexicon()
    pairs = [
        (_clean(name), roles[i] if i < len(roles) else ("lead" if i == 0 else "co"))
        for i, name in enumerate(agencies)
    ]
    pairs = [(name, role) for name, role in pairs if name]
    written = [name for name, _ in pairs]
    entries = [lexicon.agency(name, plan_region) for name in written]
    direct = {entry.name for entry in entries if entry is not None}

    owners: list[Owner] = []
    unknown: list[str] = []
    seen: set[tuple[str, str | None]] = set()

    def add(owner: Owner) -> None:
        key = (owner.canonical, owner.via)
        if key not in seen:
            seen.add(key)
            owners.append(owner)

    for (name, role), entry in zip(pairs, entries, strict=True):
        if entry is None:
            unknown.append(name)
            add(Owner(name, name, role, _guess_level(name), "unknown"))
            continue
        add(Owner(name, entry.name, role, entry.level, entry.kind))
        if entry.kind != "collective":
            continue
        for member in lexicon.collective_members(entry.name, plan_region):
            if member.name not in direct:
                add(Owner(member.name, member.name, role, member.level, member.kind, entry.name))
    return owners, unknown
