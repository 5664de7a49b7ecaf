"""A deterministic corpus of district plans implementing one city plan, with the true alignment.

    children = generate_children(parent, n=100, seed=0)   # parent: Plan, plan text or path
    children[0].text     # a plan in the genre (cover, 主要目标, 重点任务, 保障措施, footer)
    children[0].truth    # {child task number: (parent task numbers...)}; () = local initiative

Each child is written from the parent's parsed items, the way a district office rewrites the
city's plan: another district (the 16 Shanghai districts, in turn) with invented towns, its own
document number citing the parent by title and number, every task reworded (synonym swaps,
sentences shuffled, figures scaled down), tasks dropped and reordered within their group, now
and then two city tasks merged into one, local initiatives with no city parent added, and
layouts that vary (PDF-style wrapped lines with blank lines, half- or full-width punctuation,
markdown heading marks, a running header). The texts go through the real parser, so a build of
the corpus exercises reading, parsing, extraction, alignment and graph building together.

`score_alignments` compares the task links of a build with the truth (micro precision, recall,
F1 over (child plan, child task, parent task) triples).

The same (parent, n, seed) gives the same texts on every machine: all randomness comes from a
`random.Random` seeded per child with a string, and nothing depends on hash order.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.model import Plan

# (district, abbreviation in its government's document numbers)
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("浦东新区", "浦"),
    ("黄浦区", "黄"),
    ("徐汇区", "徐"),
    ("长宁区", "长"),
    ("静安区", "静"),
    ("普陀区", "普"),
    ("虹口区", "虹"),
    ("杨浦区", "杨"),
    ("闵行区", "闵"),
    ("宝山区", "宝"),
    ("嘉定区", "嘉"),
    ("金山区", "金"),
    ("松江区", "松"),
    ("青浦区", "青"),
    ("奉贤区", "奉"),
    ("崇明区", "崇"),
)

# Invented place names: a first and a second character. Real Shanghai towns are avoided so the
# gazetteer does not attach them to a real district.
_TOWN_FIRST = "澄翠棠榆枫荻芷蔚霁璟岫澜"
_TOWN_SECOND = "溪湾埭汀塘泾垛渚"

# Near-synonyms a district office swaps in. Each pair is tried both ways; none is part of an
# industry or agency name the extractor looks for.
_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("加快", "加速"),
    ("推动", "推进"),
    ("提升", "提高"),
    ("打造", "建设"),
    ("布局", "部署"),
    ("加强", "强化"),
    ("支持", "鼓励"),
    ("实施", "开展"),
    ("构建", "搭建"),
    ("健全", "完善"),
    ("培育", "培养"),
    ("积极", "大力"),
    ("一批", "若干"),
    ("持续", "不断"),
    ("重点", "重要"),
    ("先进材料", "新材料"),
)
_SWAP = {a: b for a, b in _SYNONYMS} | {b: a for a, b in _SYNONYMS}
_SWAP_RE = re.compile("|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)))

# City bureaus and their district counterparts (区经委 mirrors 市经济信息化委).
_COUNTERPART = {"市经济信息化委": "区经委", "上海科创办": "区科委"}
_CITY_ONLY = re.compile(r"管委会$|区政府$|^国家|^上海")

# Local initiatives: tasks a district adds that no city task asks for. Some sit close to a
# city topic (a trade fair, skills training) so the aligner meets hard negatives too.
_LOCAL_INITIATIVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "建设影视产业集聚区",
        "推动影视拍摄、后期制作与数字内容企业集聚发展。建设虚拟制片棚和影视工业化基地，"
        "引进头部影视制作企业{k}家。举办影视产业推介活动，擦亮{district}影视名片。",
        ("区委宣传部", "区文化旅游局"),
    ),
    (
        "打造{town}特色产业小镇",
        "依托{town}现有产业基础，编制特色小镇建设方案。完善道路、人才公寓和商业服务配套，"
        "推动镇域经济转型。每年举办特色小镇招商推介会。",
        ("{town}", "区规划资源局"),
    ),
    (
        "推进乡村产业融合发展",
        "发展都市现代农业，建设农产品加工和冷链物流设施。培养农业龙头企业{k}家，"
        "推动农旅结合和休闲农业发展，带动农民增收。",
        ("区农业农村委", "{town}"),
    ),
    (
        "改善产业园区通勤环境",
        "推进园区周边道路整治和河道清洁，完善园区公共交通接驳。新增园区通勤班车线路{k}条，"
        "改善职工通勤条件。",
        ("区建设管理委", "区交通委"),
    ),
    (
        "建设产教融合实训基地",
        "推动区内职业院校与企业共建实训中心，开设订单班和现代学徒制项目。"
        "每年培养技能人才{k}00名，举办职业技能竞赛。",
        ("区教育局", "区人力资源社会保障局"),
    ),
    (
        "举办区域特色产品博览会",
        "每年举办{district}特色产品博览会，建设产品展销中心和直播电商基地。"
        "组织本地企业参加国内外展会，扩大本地产品的市场影响力。",
        ("区商务委", "区经委"),
    ),
    (
        "完善职工生活服务配套",
        "推进社区养老、托育和健康服务设施建设，完善十五分钟社区生活圈。"
        "在产业园区新建职工食堂和人才公寓{k}处，提升园区生活便利度。",
        ("区民政局", "区住房保障局"),
    ),
    (
        "加强工业企业安全生产",
        "开展工业企业安全隐患排查整治，推进危险化学品企业搬迁改造。"
        "建立安全生产信用评价体系，每年开展应急演练{k}次。",
        ("区应急局", "区经委"),
    ),
    (
        "开发工业旅游线路",
        "整合{district}历史文化资源和工业遗存，开发工业旅游精品线路{k}条。"
        "将闲置老厂房改造为文化创意园区，举办工业文化节。",
        ("区文化旅游局", "{town}"),
    ),
)

_DATE_LAYOUTS = ("{y}年{m}月{d}日", "{y} 年 {m} 月 {d} 日")


@dataclass(frozen=True)
class GeneratedChild:
    """One generated district plan and what it truly implements."""

    text: str
    district: str
    doc_number: str
    title: str
    truth: dict[int, tuple[int, ...]]  # child task number -> parent task numbers
    measure_truth: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @property
    def local_initiatives(self) -> list[int]:
        return [number for number, parents in self.truth.items() if not parents]

    def links(self) -> set[tuple[int, int]]:
        return {(c, p) for c, parents in self.truth.items() for p in parents}


# -- public ------------------------------------------------------------------------------------


def generate_children(
    parent: Plan | str | Path, n: int, seed: int = 0, *, parent_doc_number: str | None = None
) -> list[GeneratedChild]:
    """`n` district plans implementing `parent` (a Plan, a plan's text, or a path to one)."""
    plan = _as_plan(parent)
    if not plan.tasks:
        raise ValueError("the parent plan has no tasks to implement")
    doc_number = parent_doc_number or plan.doc_number
    if not doc_number:
        raise ValueError("the parent plan has no document number for children to cite")
    return [_child(plan, doc_number, k, seed) for k in range(n)]


def write_children(children: Iterable[GeneratedChild], folder: Path) -> list[Path]:
    """Write the texts as UTF-8 files named so that folder order is generation order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, child in enumerate(children):
        path = folder / f"child_{k:05d}.txt"
        path.write_text(child.text, encoding="utf-8")
        paths.append(path)
    return paths


def score_alignments(
    alignments: Mapping[Any, Mapping[str, Any]],
    children: Iterable[GeneratedChild],
    level: str = "tasks",
) -> dict[str, float | int]:
    """Micro precision/recall/F1 of `alignments` (BuildResult.alignments, or any mapping whose
    values are Alignment.to_dict()) against the generated truth at `level` (tasks|measures).

    A child the build did not align at all counts every true link as missed.
    """
    truth: set[tuple[str, int, int]] = set()
    local = 0
    for child in children:
        table = child.truth if level == "tasks" else child.measure_truth
        truth |= {(child.doc_number, c, p) for c, ps in table.items() for p in ps}
        local += sum(1 for ps in table.values() if not ps)
    found: set[tuple[str, int, int]] = set()
    for data in alignments.values():
        doc = _doc_key(data["child"]["doc_number"])
        for link in data[level]["links"]:
            found.add((doc, int(link["child"]), int(link["parent"])))
    truth = {(_doc_key(d), c, p) for d, c, p in truth}
    hits = len(truth & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_links": len(truth),
        "found_links": len(found),
        "correct_links": hits,
        "local_initiatives": local,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# -- one child ---------------------------------------------------------------------------------


def _as_plan(parent: Plan | str | Path) -> Plan:
    if isinstance(parent, Plan):
        return parent
    from ingest.parsing import parse_file, parse_text

    if isinstance(parent, Path):
        return parse_file(parent)
    return parse_text(parent)


def _doc_key(doc_number: str | None) -> str:
    return re.sub(r"\s+", "", doc_number or "")


def _child(parent: Plan, parent_doc: str, k: int, seed: int) -> GeneratedChild:
    rng = random.Random(f"plangraph-corpus/{seed}/{k}")
    district, abbr = DISTRICTS[k % len(DISTRICTS)]
    short = district.removesuffix("区") if district != "浦东新区" else district
    towns = _towns(rng)
    year = rng.choice((2023, 2024))
    doc_number = f"沪{abbr}府〔{year}〕{100 + k}号"
    core = _title_core(parent.title)
    title = f"{district}{core}（{_period(parent)}年）"
    writer = _Writer(rng, district, towns)

    tasks_text, truth = _tasks(parent, writer, rng)
    measures_text, measure_truth = _measures(parent, writer, rng)
    goals_text = _goals(parent, writer, rng)

    cited_doc = parent_doc if rng.random() < 0.7 else parent_doc.replace("号", " 号")
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = rng.choice(_DATE_LAYOUTS).format(y=year, m=month, d=day)
    notice = [
        f"上海市{district}人民政府",
        f"关于印发《{title}》的通知",
        "",
        f"{'、'.join(towns)}人民政府，各街道办事处，区政府各委、办、局：",
        f"现将《{title}》印发给你们，请认真按照执行。",
        "",
        date,
        "",
    ]
    cover = [*notice, f"{district}人民政府文件", "", doc_number, title, ""]
    if rng.random() < 0.5:  # the city's layout: running header and number above the notice
        cover = [f"{district}人民政府文件", "", doc_number, "", *notice, title, ""]
    preamble = (
        f"制造业是{short}经济发展的重要支撑。为全面落实《{parent.title}》（{cited_doc}），"
        f"结合{district}实际，特制定本行动计划。"
    )
    body = [
        preamble,
        "",
        "一、主要目标",
        *goals_text,
        "二、重点任务",
        *tasks_text,
        "三、保障措施",
        *measures_text,
        f"抄送：区委各部门，区人大常委会办公室，区政协办公室。{district}人民政府办公室"
        f"{year}年{month}月{day}日印发",
    ]
    text = writer.layout(cover, body)
    return GeneratedChild(
        text=text,
        district=district,
        doc_number=doc_number,
        title=title,
        truth=truth,
        measure_truth=measure_truth,
    )


def _towns(rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < 4:
        name = rng.choice(_TOWN_FIRST) + rng.choice(_TOWN_SECOND) + "镇"
        if name not in names:
            names.append(name)
    return names


def _title_core(title: str) -> str:
    core = re.sub(r"[（(]\s*\d{4}.*?[)）]\s*$", "", title).strip()
    core = re.sub(r"^上海市", "", core)
    return re.sub(r"\s+", "", core)


def _period(parent: Plan) -> str:
    start, end = parent.period or (2023, 2025)
    return f"{start}-{end}"


def _sentences(text: str) -> list[str]:
    return [s + "。" for s in re.split(r"。", text) if s.strip()]


class _Writer:
    """Rewording and layout for one child, drawing from its own random stream."""

    def __init__(self, rng: random.Random, district: str, towns: list[str]):
        self.rng = rng
        self.district = district
        self.towns = towns
        self.width = rng.choice((None, None, 26, 30))  # PDF-converted plans wrap paragraphs
        self.blank_between = rng.random() < 0.6
        self.half_width = rng.random() < 0.4
        self.markdown = self.width is None and rng.random() < 0.5

    def reword(self, text: str) -> str:
        text = _SWAP_RE.sub(lambda m: _SWAP[m.group(0)] if self.rng.random() < 0.5 else m[0], text)
        text = text.replace("全市", "全区").replace("本市", "本区")
        return re.sub(r"\d+(?:\.\d+)?", self._scale, text)

    def _scale(self, match: re.Match[str]) -> str:
        raw = match.group(0)
        if "." in raw or (len(raw) == 4 and raw.startswith("20")):
            return raw  # rates and years stay
        value = int(raw)
        if value < 10:
            return raw
        return str(max(1, round(value * self.rng.uniform(0.05, 0.3))))

    def agencies(self, city: list[str]) -> list[str]:
        out: list[str] = []
        for name in city:
            if name == "各区政府":
                mapped = self.rng.choice(["各街镇", *self.rng.sample(self.towns, 2)])
            elif name in _COUNTERPART:
                mapped = _COUNTERPART[name]
            elif name.startswith("市") and not _CITY_ONLY.search(name):
                mapped = "区" + name[1:]
            else:
                continue
            for m in mapped if isinstance(mapped, list) else [mapped]:
                if m not in out:
                    out.append(m)
        if not out:
            out = ["区经委"]
        if self.rng.random() < 0.25:
            extra = self.rng.choice(self.towns)
            if extra not in out:
                out.append(extra)
        return out

    def responsibility(self, agencies: list[str]) -> str:
        label = "牵头单位" if self.rng.random() < 0.15 else "责任单位"
        return f"（{label}：{'、'.join(agencies)}）"

    def layout(self, cover: list[str], body: list[str]) -> str:
        lines = list(cover)
        for paragraph in body:
            if self.markdown and re.match(r"^[一二三四五六七八九十]+、", paragraph):
                paragraph = "## " + paragraph
            elif self.markdown and re.match(r"^（[一二三四五六七八九十]+）.{2,12}行动$", paragraph):
                paragraph = "### " + paragraph
            lines.extend(self._wrap(paragraph))
        text = "\n".join(lines) + "\n"
        if self.half_width:
            text = text.translate(str.maketrans("（），：；", "(),:;"))
        return text

    def _wrap(self, paragraph: str) -> list[str]:
        if not self.width or len(paragraph) <= self.width:
            return [paragraph, ""] if self.blank_between else [paragraph]
        pieces = [
            paragraph[i : i + self.width] for i in range(0, len(paragraph), self.width)
        ]  # fmt: skip
        out: list[str] = []
        for i, piece in enumerate(pieces):
            # Now and then a page break: the continuation line starts with a space.
            if i and self.rng.random() < 0.03:
                piece = " " + piece
            out.append(piece)
            if self.blank_between:
                out.append("")
        return out


def _task_body(task_text: str, writer: _Writer) -> tuple[str, list[str]]:
    """Title and shuffled, reworded body sentences of one city task."""
    sentences = _sentences(task_text)
    title, rest = sentences[0], sentences[1:]
    writer.rng.shuffle(rest)
    if len(rest) > 3 and writer.rng.random() < 0.3:
        rest.pop()  # districts often leave a clause out
    return writer.reword(title), [writer.reword(s) for s in rest]


def _tasks(
    parent: Plan, writer: _Writer, rng: random.Random
) -> tuple[list[str], dict[int, tuple[int, ...]]]:
    lines: list[str] = []
    truth: dict[int, tuple[int, ...]] = {}
    number = 0
    groups = [a for a in parent.actions if a.tasks]
    locals_pool = list(range(len(_LOCAL_INITIATIVES)))
    rng.shuffle(locals_pool)
    for g, action in enumerate(groups, start=1):
        kept = [t for t in action.tasks if rng.random() >= 0.15] or [rng.choice(action.tasks)]
        rng.shuffle(kept)
        items: list[tuple[str, str, list[str], tuple[int, ...]]] = []
        i = 0
        while i < len(kept):
            task = kept[i]
            title, body = _task_body(task.text, writer)
            agencies = writer.agencies(task.agencies)
            parents = (task.number,)
            if i + 1 < len(kept) and rng.random() < 0.08:  # one district task for two city tasks
                other = kept[i + 1]
                _, other_body = _task_body(other.text, writer)
                body += other_body
                agencies += [a for a in writer.agencies(other.agencies) if a not in agencies]
                parents = (task.number, other.number)
                i += 1
            if rng.random() < 0.3:
                town = rng.choice(writer.towns)
                body.insert(rng.randint(0, len(body)), f"支持{town}先行先试，形成可复制经验。")
            items.append((title, "".join(body), agencies, parents))
            i += 1
        if locals_pool and rng.random() < 0.45:
            template = _LOCAL_INITIATIVES[locals_pool.pop()]
            fill = {"district": writer.district, "town": rng.choice(writer.towns)}
            fill["k"] = str(rng.randint(2, 9))
            title = template[0].format(**fill) + "。"
            owners = [a.format(**fill) for a in template[2]]
            items.insert(
                rng.randint(0, len(items)), (title, template[1].format(**fill), owners, ())
            )
        group_title = writer.reword(action.title or f"第{g}组任务")
        lines.append(f"（{_CN[g]}）{group_title}")
        for title, body, agencies, parents in items:
            number += 1
            dot = "．" if rng.random() < 0.3 else "."
            lines.append(f"{number}{dot}{title}{body}{writer.responsibility(agencies)}")
            truth[number] = parents
    return lines, truth


def _measures(
    parent: Plan, writer: _Writer, rng: random.Random
) -> tuple[list[str], dict[int, tuple[int, ...]]]:
    lines: list[str] = []
    truth: dict[int, tuple[int, ...]] = {}
    kept = [m for m in parent.measures if rng.random() >= 0.1]
    for order, measure in enumerate(kept, start=1):
        sentences = _sentences(measure.text)[1:]
        rng.shuffle(sentences)
        body = "".join(writer.reword(s) for s in sentences)
        title = writer.reword(measure.title)
        owners = writer.responsibility(writer.agencies(measure.agencies))
        lines.append(f"（{_CN[order]}）{title}。{body}{owners}")
        truth[order] = (measure.order,)
    return lines, truth


def _goals(parent: Plan, writer: _Writer, rng: random.Random) -> list[str]:
    lines = []
    if parent.overview:
        lines.append(writer.reword(parent.overview).replace("全市", "全区"))
    for goal in parent.goals:
        sentences = _sentences(goal.text)
        rest = sentences[1:]
        rng.shuffle(rest)
        lines.append(
            "——" + writer.reword(goal.title) + "。" + "".join(writer.reword(s) for s in rest)
        )
    return lines


_CN = {i + 1: c for i, c in enumerate("一二三四五六七八九十")} | {
    11 + i: "十" + c for i, c in enumerate("一二三四五六七八九")
}
