"""Plans whose tasks are only in a table that lost its grid (重点任务分工表, 任务清单).

Each document is the shape of a family, written for these tests: a serial column with lead and
co-operating units, merged category cells as groups with a single 责任单位 column and a
deadline column, no serial column, and a plan whose numbered tasks a 分工表 repeats."""

from __future__ import annotations

import pytest

from ingest.errors import PlanError
from ingest.parsing import parse_text


def lines(*cells: str) -> str:
    return "\n".join(cells) + "\n"


LEAD_AND_CO = (
    "某市2024年数字经济工作要点\n\n为推动数字经济发展，现将重点工作任务分解如下。\n\n"
    + lines(
        "重点工作任务分工表",
        "序号",
        "重点任务",
        "牵头单位",
        "配合单位",
        "1",
        "加快建设智能算力中心，新增算力规模1000P。",
        "市发改委",
        "市经信局、市数据局",
        "2",
        "推进工业互联网平台建设。",
        "市经信局",
        "—",
        "3",
        "开展数据要素市场化配置改革试点。",
        "市数据局",
        "市财政局",
    )
    + "\n各部门要加强协同，确保各项任务按期完成。\n"
)

CATEGORIES = "某区2024年营商环境改革任务清单\n\n" + lines(
    "类别",
    "序号",
    "工作任务",
    "责任单位",
    "完成时限",
    "政务服务",
    "1",
    "推行“一网通办”，实现高频事项全程网办。",
    "区政务服务办",
    "2024年6月",
    "2",
    "深化“一件事一次办”改革。",
    "区政务服务办、区司法局",
    "2024年底",
    "市场监管",
    "3",
    "推行包容审慎监管，建立轻微违法免罚清单。",
    "区市场监管局",
    "2024年9月",
)

NO_SERIAL = "某县乡村振兴重点任务\n\n" + lines(
    "主要任务",
    "牵头单位",
    "建设高标准农田5万亩。",
    "县农业农村局",
    "培育农业龙头企业10家。",
    "县农业农村局",
)


def test_tasks_from_a_table_with_lead_and_co_operating_units():
    plan = parse_text(LEAD_AND_CO)
    tasks = plan.tasks
    assert [t.title for t in tasks] == [
        "加快建设智能算力中心，新增算力规模1000P",
        "推进工业互联网平台建设",
        "开展数据要素市场化配置改革试点",
    ]
    assert [(t.agencies, t.roles) for t in tasks] == [
        (["市发改委", "市经信局", "市数据局"], ["lead", "support", "support"]),
        (["市经信局"], ["lead"]),  # a dash is an empty cell, not a unit
        (["市数据局", "市财政局"], ["lead", "support"]),
    ]
    # Each task points at its own rows of the file.
    assert [t.source.line_start for t in tasks] == [10, 14, 18]


def test_merged_category_cells_are_the_groups():
    plan = parse_text(CATEGORIES)
    assert [(a.title, [t.number for t in a.tasks]) for a in plan.actions] == [
        ("政务服务", [1, 2]),
        ("市场监管", [3]),
    ]
    assert plan.tasks[1].agencies == ["区政务服务办", "区司法局"]


def test_a_table_without_a_serial_column():
    plan = parse_text(NO_SERIAL)
    assert [(t.title, t.agencies) for t in plan.tasks] == [
        ("建设高标准农田5万亩", ["县农业农村局"]),
        ("培育农业龙头企业10家", ["县农业农村局"]),
    ]


def test_a_division_of_labour_table_does_not_double_numbered_tasks():
    text = (
        "某市促进某产业发展行动方案\n一、重点任务\n"
        "1.建设智能工厂。新建智能工厂20家。（责任单位：市经信局）\n"
        "2.培育创新平台。新建平台5个。（责任单位：市科委）\n"
        "二、保障措施\n（一）加强组织领导。建立推进机制。\n"
        + lines("附表：任务分工", "序号", "重点任务", "牵头单位", "1", "建设智能工厂", "市经信局")
        + lines("2", "培育创新平台", "市科委")
    )
    plan = parse_text(text)
    assert [t.title for t in plan.tasks] == ["建设智能工厂", "培育创新平台"]


def test_lines_with_no_task_table_are_still_not_a_plan():
    text = "某市关于某事的通知\n\n" + lines("序号", "事项", "备注", "1", "报送材料", "无")
    with pytest.raises(PlanError, match="not a plan"):
        parse_text(text)
