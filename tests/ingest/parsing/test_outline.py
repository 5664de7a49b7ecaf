"""Layout families of the genre, one small document each, written for these tests.

Each is the shape of a family (not the wording of any corpus file): the reader must infer the
outline from the numbering and classify the parts by what their headings say.
"""

from __future__ import annotations

from ingest.parsing import parse_text

TITLE = "某市促进某产业发展行动方案\n"


def test_groups_as_top_level_sections_with_run_on_numbering() -> None:
    text = TITLE + (
        "一、总体要求\n以某思想为指导。\n"
        "二、做强创新引擎\n（一）建设实验室。内容。（责任单位：市科委）\n（二）培育企业。内容。\n"
        "三、优化产业生态\n（三）完善金融。内容。（市金融局负责）\n（四）强化人才。内容。\n"
        "四、保障措施\n（五）加强领导。内容。\n"
    )
    plan = parse_text(text)
    assert [a.title for a in plan.actions] == ["做强创新引擎", "优化产业生态"]
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4]
    assert [m.title for m in plan.measures] == ["加强领导"]
    assert plan.tasks[2].agencies == ["市金融局"]


def test_one_level_document_whose_items_are_the_tasks() -> None:
    text = TITLE + (
        "为推动发展，提出如下措施。\n"
        "一、支持企业研发。对企业给予补贴。（责任单位：市科委、市财政局）\n"
        "二、支持人才引进。给予安家补助。（责任单位：市人社局）\n"
        "三、强化组织实施。各部门抓好落实。\n"
    )
    plan = parse_text(text)
    assert [t.title for t in plan.tasks] == ["支持企业研发", "支持人才引进"]
    assert plan.actions[0].title is None
    assert plan.tasks[0].roles == ["lead", "co"]
    assert [m.title for m in plan.measures] == ["强化组织实施"]


def test_three_levels_and_restarting_numbers() -> None:
    text = TITLE + (
        "一、主要任务\n（一）强链行动\n1.打造集群。内容。\n2.提升能级。内容。\n"
        "（二）强基行动\n1.攻关技术。内容。\n"
        "二、保障措施\n（一）加强统筹。内容。\n"
    )
    plan = parse_text(text)
    assert [(a.title, [t.number for t in a.tasks]) for a in plan.actions] == [
        ("强链行动", [1, 2]),
        ("强基行动", [1]),
    ]


def test_heading_on_its_own_line_keeps_its_intro_as_group_text() -> None:
    text = TITLE + (
        "一、重点任务\n（一）提升创新能力\n围绕重点领域，集中力量攻关，形成一批成果，带动产业整体跃升。\n"
        "1.建设平台。内容。\n2.培育主体。内容。\n二、保障措施\n（一）加强领导。内容。\n"
    )
    plan = parse_text(text)
    assert plan.actions[0].title == "提升创新能力"
    assert plan.actions[0].text.startswith("围绕重点领域")


def test_unnumbered_tasks_closed_by_labels_with_support_roles() -> None:
    text = TITLE + (
        "一、主要任务\n（一）强化顶层设计。建立指标体系，发挥引领作用。"
        "（甲部牵头，乙部、丙局参与）健全统计制度，统一口径。（丁局负责）\n"
        "（二）推进绿色生产。推广清洁工艺，减少排放。（戊部指导）开展秸秆利用，就地还田。（己部负责）\n"
        "二、保障措施\n（一）加强组织领导。内容。\n"
    )
    plan = parse_text(text)
    first = plan.actions[0]
    assert first.title == "强化顶层设计"
    assert [t.title for t in first.tasks] == [
        "建立指标体系，发挥引领作用",
        "健全统计制度，统一口径",
    ]
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4]
    assert list(zip(first.tasks[0].agencies, first.tasks[0].roles, strict=True)) == [
        ("甲部", "lead"),
        ("乙部", "support"),
        ("丙局", "support"),
    ]


def test_box_lines_are_not_tasks_and_numbering_beyond_the_box_continues() -> None:
    text = TITLE + (
        "一、重点任务\n（一）夯实基础。内容。\n专栏1 重点工程\n1.工程甲。\n2.工程乙。\n"
        "（二）扩大应用。内容。\n二、保障措施\n（一）加强领导。内容。\n"
    )
    plan = parse_text(text)
    assert [t.title for t in plan.tasks] == ["夯实基础", "扩大应用"]
    assert [p.kind for p in plan.outline] == ["tasks", "measures"]


def test_numbering_that_runs_on_is_read_whole_not_cut_at_the_restart() -> None:
    groups = "".join(
        f"（{cn}）第{cn}组\n" + "".join(f"{n}.任务{n}。内容。\n" for n in numbers)
        for cn, numbers in (("一", (1, 2)), ("二", (3, 4, 5)), ("三", (6,)))
    )
    plan = parse_text(TITLE + "一、重点任务\n" + groups + "二、保障措施\n（一）加强领导。内容。\n")
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4, 5, 6]
    assert not [w for w in plan.warnings if "numbered line" in w]


def test_a_numbered_line_that_fits_nowhere_is_reported() -> None:
    text = TITLE + (
        "一、重点任务\n1.任务一。内容。\n2.任务二。内容。\n9.孤立条目。内容。\n二、保障措施\n（一）加强领导。内容。\n"
    )
    plan = parse_text(text)
    assert any("does not continue" in w and "line 5" in w for w in plan.warnings)


def test_chapters_with_sections_of_their_own_above_the_groups() -> None:
    # Five-year plans: 第一章 → 第一节 → 一、, where the 节 are the groups.
    text = (
        "某省制造业发展“十四五”规划\n"
        "第一章　发展基础\n“十三五”时期，全省制造业快速发展。\n"
        "第二章　重点任务\n"
        "第一节　提升产业链水平\n"
        "一、做强集成电路产业。建设产业基地。（责任单位：省经信厅、省发展改革委）\n"
        "二、发展软件产业。支持工业软件研发。（责任单位：省经信厅）\n"
        "第二节　推进数字化转型\n"
        "一、推进智能制造。建设智能工厂500家。（责任单位：省经信厅）\n"
        "二、发展智慧农业。推广数字农业技术。（责任单位：省农业农村厅）\n"
        "第三章　保障措施\n"
        "一、加强组织领导。建立工作推进机制。（责任单位：省发展改革委）\n"
    )
    plan = parse_text(text)
    assert [(a.title, [t.title for t in a.tasks]) for a in plan.actions] == [
        ("提升产业链水平", ["做强集成电路产业", "发展软件产业"]),
        ("推进数字化转型", ["推进智能制造", "发展智慧农业"]),
    ]
    assert [m.title for m in plan.measures] == ["加强组织领导"]
    assert plan.period == (2021, 2025)


def test_articles_whose_last_says_when_the_document_takes_effect() -> None:
    text = TITLE + (
        "为加快发展，制定如下措施。\n"
        "第一条　支持算力建设。对新建算力中心给予补助。（责任单位：市发改委、市经信局）\n"
        "第二条　支持模型研发。对备案模型给予奖励。（责任单位：市经信局）\n"
        "第三条　本措施自2024年1月1日起施行，由市经信局负责解释。\n"
    )
    plan = parse_text(text)
    assert [t.title for t in plan.tasks] == ["支持算力建设", "支持模型研发"]
    assert [m.title for m in plan.measures] == ["本措施自2024年1月1日起施行，由市经信局负责解释"]


def test_labels_without_brackets_closing_each_task() -> None:
    text = TITLE + (
        "一、重点任务\n"
        "1.建设智能工厂。新建智能工厂20家。\n牵头单位：市经信局；配合单位：市发改委、市财政局。\n"
        "2.培育创新平台。新建平台5个。\n责任单位：市科委\n"
        "3.推动数据开放。开放公共数据集100个。责任部门：市大数据局。\n"
        "二、保障措施\n（一）加强组织领导。建立推进机制。\n"
    )
    plan = parse_text(text)
    assert [(t.title, t.text, t.agencies) for t in plan.tasks] == [
        ("建设智能工厂", "建设智能工厂。新建智能工厂20家。", ["市经信局", "市发改委", "市财政局"]),
        ("培育创新平台", "培育创新平台。新建平台5个。", ["市科委"]),
        ("推动数据开放", "推动数据开放。开放公共数据集100个。", ["市大数据局"]),
    ]
    assert plan.tasks[0].roles == ["lead", "support", "support"]


def test_owners_named_by_a_group_heading_go_to_its_tasks_that_name_none() -> None:
    text = TITLE + (
        "一、主要任务\n"
        "（一）推进智能工厂建设（牵头单位：市经信局；配合单位：市发改委）\n"
        "1.建设一批智能工厂。新建智能工厂50家。\n"
        "2.推广工业机器人。新增工业机器人1000台。（责任单位：市科委）\n"
        "（二）开展“智改数转”（试点示范）\n"
        "3.培育服务商。培育服务商20家。\n"
        "二、保障措施\n（一）加强组织领导。建立推进机制。\n"
    )
    plan = parse_text(text)
    assert [a.title for a in plan.actions] == ["推进智能工厂建设", "开展“智改数转”（试点示范）"]
    assert [(t.agencies, t.roles) for t in plan.tasks] == [
        (["市经信局", "市发改委"], ["lead", "support"]),  # from its group's heading
        (["市科委"], ["lead"]),  # its own line wins
        ([], []),  # a bracket that names no units is part of the heading
    ]
