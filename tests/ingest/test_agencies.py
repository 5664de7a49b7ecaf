"""Responsibility lines → owners: lead and co-owners, collectives, unknown names."""

from __future__ import annotations

from ingest.agencies import resolve_owners


def test_lead_is_first_listed_and_the_rest_are_co_owners():
    owners, unknown = resolve_owners(["区经委", "区科委", "区发展改革委"], plan_region="松江区")
    assert [(o.canonical, o.role) for o in owners] == [
        ("区经委", "lead"),
        ("区科委", "co"),
        ("区发展改革委", "co"),
    ]
    assert all(o.level == "district" and o.kind == "bureau" and o.via is None for o in owners)
    assert unknown == []


def test_written_name_is_kept_and_canonical_resolved():
    owners, _ = resolve_owners(["市發改委", "区市\n场监管局"], plan_region="松江区")
    assert [(o.name, o.canonical) for o in owners] == [
        ("市發改委", "市发展改革委"),
        ("区市场监管局", "区市场监管局"),
    ]


def test_district_governments_collective_expands_in_a_city_plan():
    owners, _ = resolve_owners(["市经济信息化委", "市财政局", "各区政府"], plan_region="上海市")
    collective = [o for o in owners if o.canonical == "各区政府"]
    assert len(collective) == 1
    assert collective[0].kind == "collective" and collective[0].via is None
    assert collective[0].role == "co"
    expanded = [o for o in owners if o.via == "各区政府"]
    assert len(expanded) == 16
    names = {o.canonical for o in expanded}
    assert {"松江区政府", "闵行区政府", "浦东新区政府"} <= names
    assert all(o.kind == "government" and o.role == "co" for o in expanded)
    # The collective comes first, its members right after it, in document order.
    assert owners.index(collective[0]) == 2


def test_collective_leading_the_line_makes_its_members_lead():
    owners, _ = resolve_owners(["各区政府", "市经济信息化委"], plan_region="上海市")
    assert owners[0].canonical == "各区政府" and owners[0].role == "lead"
    assert all(o.role == "lead" for o in owners if o.via == "各区政府")
    assert owners[-1].canonical == "市经济信息化委" and owners[-1].role == "co"


def test_directly_listed_member_is_not_repeated_through_the_collective():
    owners, _ = resolve_owners(["闵行区政府", "各区政府"], plan_region="上海市")
    minhang = [o for o in owners if o.canonical == "闵行区政府"]
    assert len(minhang) == 1 and minhang[0].via is None and minhang[0].role == "lead"
    assert len([o for o in owners if o.via == "各区政府"]) == 15


def test_town_line_expands_to_the_plan_districts_towns_and_streets():
    owners, _ = resolve_owners(["区经委", "各街镇", "经开区"], plan_region="松江区")
    via = [o for o in owners if o.via == "各街镇"]
    assert len(via) == 17
    kinds = {o.canonical: o.kind for o in via}
    assert kinds["九亭镇"] == "town" and kinds["岳阳街道"] == "street"
    assert owners[-1].canonical == "经开区" and owners[-1].kind == "zone"


def test_new_city_line_stays_a_collective():
    owners, unknown = resolve_owners(["区经委", "松江新城范围内各街镇"], plan_region="松江区")
    assert [(o.canonical, o.kind, o.via) for o in owners] == [
        ("区经委", "bureau", None),
        ("松江新城范围内各街镇", "collective", None),
    ]
    assert unknown == []


def test_unknown_names_are_kept_and_reported():
    owners, unknown = resolve_owners(["市经信局", "西湖区政府", "某某公司"], plan_region="杭州市")
    assert unknown == ["市经信局", "西湖区政府", "某某公司"]
    assert [(o.name, o.kind, o.level) for o in owners] == [
        ("市经信局", "unknown", "city"),
        ("西湖区政府", "unknown", "district"),
        ("某某公司", "unknown", None),
    ]


def test_shanghai_bureau_names_do_not_resolve_in_another_citys_plan():
    owners, unknown = resolve_owners(["市财政局"], plan_region="杭州市")
    assert unknown == ["市财政局"]
    assert owners[0].kind == "unknown"


def test_empty_line():
    assert resolve_owners([], plan_region="上海市") == ([], [])
    assert resolve_owners(["", "  "], plan_region=None) == ([], [])
