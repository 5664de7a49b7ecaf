"""Stable, readable node ids: the same input gives the same ids, run after run.

Ids are meant to be read and typed by analysts (URLs, Browser queries), so they keep the
Chinese words rather than hashing them:

* plan: the normalised document number, ``沪松府-2023-138``; without one, a slug of the title;
* plan items hang under their plan: ``沪松府-2023-138/task/7``, ``…/goal/2``, ``…/measure/1``,
  ``…/action/3``, and indicators under their owner: ``…/task/7/indicator/1``;
* agencies by their government and canonical name: ``agency/310117/松江区经委``,
  ``agency/CN/工业和信息化部``; places by their key: ``region/310117`` (a division code),
  ``region/310117/松江新城``; industries by name: ``industry/集成电路``.
"""

from __future__ import annotations

import re

from schema.graph_model import compact as _compact
from schema.graph_model import doc_key, split_doc_number

__all__ = [
    "agency_id",
    "doc_key",
    "indicator_id",
    "industry_id",
    "item_id",
    "plan_id",
    "region_id",
    "slug",
]

_SLUG_DROP = re.compile(r"[^\w\u3400-\u9fff]+")


def slug(text: str, max_length: int = 48) -> str:
    cleaned = _SLUG_DROP.sub("-", _compact(text)).strip("-_")
    return cleaned[:max_length].rstrip("-") or "untitled"


def plan_id(doc_number: str | None, title: str) -> str:
    if doc_number:
        parts = split_doc_number(doc_number)
        return "-".join(parts) if parts else slug(doc_number)
    return slug(title)


def item_id(plan: str, kind: str, ref: int | str) -> str:
    return f"{plan}/{kind}/{ref}"


def indicator_id(owner: str, position: int) -> str:
    return f"{owner}/indicator/{position}"


def agency_id(government: str, canonical: str) -> str:
    """`agency/310117/松江区经委`: qualified by the government the unit belongs to (a division
    code, `CN` for national bodies), so two cities' 市发展改革委 are two nodes."""
    return f"agency/{_compact(government)}/{_compact(canonical)}"


def region_id(key: str) -> str:
    """`region/310117` for a division (its code), `region/310117/松江新城` for a special area
    in one, `region/长三角` for a place in no division (ingest/places.py keys)."""
    return f"region/{_compact(key)}"


def industry_id(name: str) -> str:
    return f"industry/{_compact(name)}"
