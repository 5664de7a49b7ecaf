"""The reader on ten real documents of the genre, against hand-checked goldens.

tests/golden/corpus/corpus_NN.json were written by reading each document (NOTES.md there
records the judgement calls); the parser is compared to them, not the other way round.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.model import Plan
from ingest.parsing import parse_file
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT
CORPUS = ROOT / "tests" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "corpus"
GOLDENS = sorted(GOLDEN.glob("corpus_*.json"))


def _squash(text: str | None) -> str | None:
    return None if text is None else "".join(text.split())


def _owners(agencies: list[str], roles: list[str]) -> list[list[str]]:
    return [[_squash(name) or "", role] for name, role in zip(agencies, roles, strict=True)]


def project(plan: Plan) -> dict[str, Any]:
    """The parse in the golden's shape."""
    return {
        "title": _squash(plan.title) if plan.title else None,
        "doc_number": plan.doc_number,
        "issuers": plan.issuers,
        "level": plan.level,
        "region": plan.region,
        "issued_on": plan.issued_on,
        "lead_rule": plan.lead_rule,
        "actions": [
            {
                "title": _squash(action.title),
                "tasks": [
                    {
                        "number": task.number,
                        "title": _squash(task.title),
                        "owners": _owners(task.agencies, task.roles),
                    }
                    for task in action.tasks
                ],
            }
            for action in plan.actions
        ],
        "measures": [
            {"title": _squash(m.title), "owners": _owners(m.agencies, m.roles)}
            for m in plan.measures
        ],
    }


def _golden(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = _squash(data["title"])
    return data


@pytest.mark.parametrize("golden", GOLDENS, ids=[p.stem for p in GOLDENS])
def test_corpus_document_matches_hand_checked_golden(golden: Path) -> None:
    expected = _golden(golden)
    plan = parse_file(CORPUS / expected.pop("file"))
    got = project(plan)
    # Field by field first, so a failure names what differs.
    for key in ("title", "doc_number", "issuers", "level", "region", "issued_on", "lead_rule"):
        assert got[key] == expected[key], key
    assert [a["title"] for a in got["actions"]] == [a["title"] for a in expected["actions"]]
    for got_action, want_action in zip(got["actions"], expected["actions"], strict=True):
        assert got_action["tasks"] == want_action["tasks"], got_action["title"]
    assert got["measures"] == expected["measures"]


def test_every_new_corpus_document_has_a_golden() -> None:
    named = {json.loads(p.read_text(encoding="utf-8"))["file"] for p in GOLDENS}
    assert len(named) == len(GOLDENS) >= 6
    assert all((CORPUS / name).is_file() for name in named)
