"""The parser on four real plans it was not written against (tests/corpus/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.parsing import parse_file
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT
CORPUS = ROOT / "tests" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "parse"

CASES = {
    "corpus_01_medical_devices": "01_shanghai-city_medical-devices-action-plan-2025.txt",
    "corpus_02_beidou": "02_shanghai-city_beidou-3yr-plan-2021-2023_pdf-artifacts.txt",
    "corpus_04_commercial_space": "04_shanghai-city_commercial-space-plan-2023-2025.txt",
    "corpus_08_agri_mechanization": (
        "08_shanghai-city_agri-mechanization-opinions-2022_cites-national-plan.txt"
    ),
}


def parse(name: str):
    return parse_file(CORPUS / CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_plan_matches_hand_checked_golden(name):
    data = json.loads(json.dumps(parse(name).to_dict(), ensure_ascii=False))
    data["source_file"] = Path(data["source_file"]).name
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert data == expected


def test_medical_devices_products_are_not_tasks():
    plan = parse("corpus_01_medical_devices")
    assert len(plan.tasks) == 20 and len(plan.actions) == 7
    assert plan.actions[0].title == "提升创新策源能级"
    assert "高端医学影像产品" not in {a.title for a in plan.actions}
    assert plan.tasks[0].title == "加强基础研究和前沿技术攻关"
    assert plan.tasks[14].agencies[-3:] == ["浦东新区政府", "闵行区政府", "嘉定区政府"]
    assert plan.tasks[5].agencies == [
        "市药品监管局",
        "国家药监局医疗器械技术审评检查长三角分中心",
    ]
    # The closing paragraph after task 20 is not part of it.
    assert "本方案各项任务" not in plan.tasks[-1].text
    assert plan.measures == []
    assert (plan.doc_number, plan.issued_on) == ("沪府办发〔2025〕17号", "2025-09-04")


def test_beidou_lead_label_pdf_damage_and_principles():
    plan = parse("corpus_02_beidou")
    assert len(plan.tasks) == 17
    assert [a.title for a in plan.actions] == [
        "关键技术攻关工程",
        "基础能力提升工程",
        "融合应用创新工程",
        "产业集聚工程",
        "生态促进工程",
    ]
    # 基本原则 1.–3. come first in the text but are not tasks.
    assert plan.tasks[0].title == "开展基于北斗三号的关键核心技术攻关"
    # （牵头部\n\n门：…） split by a page break.
    assert plan.tasks[7].agencies == ["市交通委", "市水务局", "市经济信息化委"]
    assert plan.measures[0].agencies == ["各有关单位"]
    assert len(plan.goals) == 5
    assert plan.title == "上海市北斗产业高质量发展三年行动计划（2021-2023年）"
    assert plan.period == (2021, 2023)


def test_commercial_space_without_responsibility_lines():
    plan = parse("corpus_04_commercial_space")
    assert [len(a.tasks) for a in plan.actions] == [4, 4, 4, 4]
    assert all(t.agencies == [] for t in plan.tasks)
    assert plan.tasks[-1].title == "推动卫星数据协同共享"
    assert len(plan.measures) == 5 and len(plan.goals) == 5
    # The notice lost its first character; the signature line still names the issuer.
    assert plan.issuer == "上海市人民政府办公厅"
    assert plan.issued_on == "2023-10-24"


def test_agri_opinions_paren_tasks_and_national_citation():
    plan = parse("corpus_08_agri_mechanization")
    assert len(plan.actions) == 1 and plan.actions[0].title is None
    assert [t.number for t in plan.tasks] == list(range(1, 11))
    assert plan.tasks[0].title == "聚焦减损提质，推动粮食生产机械化高质高效发展"
    assert [c.title for c in plan.cites] == ["“十四五”全国农业机械化发展规划"]
    assert plan.cites[0].doc_number is None
    assert [m.title for m in plan.measures] == ["加强组织领导", "加强扶持引导", "加强督促指导"]
    assert "更新时间" not in plan.measures[-1].text
    assert plan.issuer == "上海市农业农村委员会"
