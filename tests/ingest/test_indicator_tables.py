"""Target tables that lost their grid (one cell per line): found, and read row by row.

The variants are the shapes the genre prints: a serial column, merged category cells, a unit
column, a base year beside the target year, no serial column with units in brackets, and
cumulative values in square brackets. Lines that only look like a header are not a table."""

from __future__ import annotations

import pytest

from ingest.enrich import enrich
from ingest.indicator_tables import find_target_tables, table_indicators
from ingest.parsing import parse_text
from ingest.pipeline import load_plan


def cells(*lines: str, blank: bool = False) -> str:
    return ("\n\n" if blank else "\n").join(lines) + "\n"


SERIAL_TABLE = cells(
    "专栏1　“十四五”时期主要指标",
    "序号",
    "指　　标",
    "预期值",
    "属性",
    "1",
    "生产安全事故死亡人数",
    "下降15%",
    "约束性",
    "2",
    "年均每十万人受灾人次",
    "<15000",
    "预期性",
    "3",
    "灾害预警信息发布公众覆盖率",
    "≥90%",
    "预期性",
    blank=True,
)

CATEGORY_TABLE = cells(
    "表1　发展主要指标",
    "类别",
    "序号",
    "指标名称",
    "单位",
    "2020年",
    "2025年",
    "属性",
    "创新驱动",
    "1",
    "研发经费投入强度",
    "%",
    "4.1",
    "4.5",
    "预期性",
    "2",
    "每万人口高价值发明专利拥有量",
    "件",
    "40",
    "50左右",
    "预期性",
    "绿色发展",
    "3",
    "单位地区生产总值能耗降低",
    "%",
    "—",
    "[14]",
    "约束性",
)

NO_SERIAL_TABLE = cells(
    "指标",
    "2027年目标",
    "规模以上工业总产值（亿元）",
    "5000以上",
    "数字经济核心产业增加值占比（%）",
    "12",
    "新增专精特新企业（家）",
    "2-3",
)


def targets(text: str, end_year: int | None = 2025):
    (table,) = find_target_tables(text)
    return table_indicators(table.header, table.rows, end_year)


def test_a_table_with_a_serial_column():
    found = targets(SERIAL_TABLE)
    assert [(i.metric, i.comparator, i.value, i.unit, i.period, i.year) for i in found] == [
        ("生产安全事故死亡人数", "decrease", 15.0, "%", "by-end", 2025),
        ("每十万人受灾人次", "<", 15000.0, None, "annual-average", 2025),
        ("灾害预警信息发布公众覆盖率", ">=", 90.0, "%", "by-end", 2025),
    ]
    assert found[0].raw == "生产安全事故死亡人数 | 下降15% | 约束性"


def test_merged_category_cells_a_unit_column_and_a_base_year():
    found = targets(CATEGORY_TABLE, end_year=None)
    assert [(i.metric, i.comparator, i.value, i.unit, i.period, i.year) for i in found] == [
        ("研发经费投入强度", "=", 4.5, "%", "by-end", 2025),  # 2025年, not the 2020 base
        ("每万人口高价值发明专利拥有量", "~", 50.0, "件", "by-end", 2025),
        ("单位地区生产总值能耗降低", "=", 14.0, "%", "cumulative", 2025),  # [14]: five years
    ]
    # The category's later rows lack its merged cell; the rows still line up.
    table = find_target_tables(CATEGORY_TABLE)[0]
    assert [row[0] for row in table.rows] == ["创新驱动", "", "绿色发展"]


def test_no_serial_column_units_in_brackets_and_a_range():
    found = targets(NO_SERIAL_TABLE, end_year=2025)
    assert [(i.metric, i.comparator, i.value, i.value_max, i.unit, i.year) for i in found] == [
        ("规模以上工业总产值", ">=", 5000.0, None, "亿元", 2027),
        ("数字经济核心产业增加值占比", "=", 12.0, None, "%", 2027),
        ("新增专精特新企业", "between", 2.0, 3.0, "家", 2027),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Short lines that are headings and words, not columns.
        cells("主要指标", "一、总体要求", "二、主要任务", "三、保障措施"),
        # A header with no rows under it.
        cells("序号", "指标", "目标值", "属性", "各区要加强组织领导，确保各项指标按期完成。"),
        # One row is a list, not a table.
        cells("指标", "2025年", "地区生产总值", "增长6%", "各部门要按照职责分工抓好落实。"),
        # Prose that talks about indicators.
        cells("完善指标体系，强化目标考核。", "建立健全统计监测制度。"),
    ],
)
def test_lines_that_only_look_like_a_table_are_none(text):
    assert find_target_tables(text) == []


PLAN = (
    "某省制造业发展规划（2021—2025年）\n\n"
    "一、发展目标\n\n"
    "到2025年，制造业综合实力显著增强。\n\n" + SERIAL_TABLE + "\n"
    "二、重点任务\n\n"
    "（一）推进智能制造。建设一批智能工厂，新增智能工厂20家。\n\n"
    "（二）发展工业互联网。培育一批平台。\n"
)


def test_a_plan_reads_its_table_row_by_row_and_the_prose_around_it():
    plan = parse_text(PLAN, source="variant.txt")
    enrich(plan)
    assert len(plan.tables) == 1
    found = [*plan.indicators, *(i for goal in plan.goals for i in goal.indicators)]
    metrics = [i.metric for i in found]
    assert metrics == ["生产安全事故死亡人数", "每十万人受灾人次", "灾害预警信息发布公众覆盖率"]
    # The cells are not read as one run-on sentence.
    assert not any("序号" in m or "属性" in m or "约束性" in m for m in metrics)
    tasks = {i.metric for task in plan.tasks for i in task.indicators}
    assert tasks == {"新增智能工厂"}


HTML_PLAN = """<html><head><meta charset="utf-8"></head><body>
<h1>某省“十四五”制造业高质量发展规划</h1>
<p>一、发展目标</p>
<p>到2025年，制造业高质量发展取得显著成效。</p>
<table><tr><td>序号</td><td>指标名称</td><td>2020年</td><td>2025年</td><td>属性</td></tr>
<tr><td>1</td><td>制造业增加值占地区生产总值比重（%）</td><td>28.5</td><td>30</td><td>预期性</td></tr>
<tr><td>2</td><td>研发经费内部支出占营业收入比重（%）</td><td>1.5</td><td>2</td><td>预期性</td></tr>
</table>
<p>二、重点任务</p>
<p>（一）推进智能制造。建设智能工厂100家。（责任单位：省工信厅）</p>
<p>（二）培育产业集群。打造先进制造业集群10个。（责任单位：省工信厅）</p>
<p>三、保障措施</p><p>（一）加强组织领导。建立推进机制。</p>
</body></html>"""


def test_a_table_of_a_web_page_and_its_cells_that_look_like_numbering(tmp_path):
    # 1.5 in a cell is not item 1 of a list: a table's cells are never outline markers.
    path = tmp_path / "plan.html"
    path.write_text(HTML_PLAN, encoding="utf-8")
    plan = load_plan(path)
    found = [*plan.indicators, *(i for goal in plan.goals for i in goal.indicators)]
    assert [(i.metric, i.value, i.unit, i.year) for i in found] == [
        ("制造业增加值占地区生产总值比重", 30.0, "%", 2025),
        ("研发经费内部支出占营业收入比重", 2.0, "%", 2025),
    ]
    assert [t.title for t in plan.tasks] == ["推进智能制造", "培育产业集群"]
