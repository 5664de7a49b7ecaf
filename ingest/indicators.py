"""Numeric and directional targets in plan text → `Indicator`s.

How a target is read (the genre's grammar, not any one document's wording):

* The text is cut into sentences (。；！？) and clauses (，：). A number with a unit (家, 个, 亿元,
  %, 个百分点, 台/万人, …) is a target; numbers without a unit (years, 5G, G60, L2, “2+(3+6)”,
  anything inside quotes or 《titles》) are not, and neither are clauses that start with 对
  (they describe support for firms above a threshold, not a target).
* In one clause, targets are separated at 、/和/及: `打造20家标杆性智能工厂、200家示范性智能工厂`
  gives two. A second number inside the same noun phrase (`15家产值超过100亿元的制造业企业`) is a
  qualifier, not a target.
* The metric is the document's noun phrase: the counted noun after the number when there is one
  (`1800个技术改造项目`), else the phrase before it (`工业增加值超过1.3万亿元`), trimmed of framing
  verbs (推进, 实现, 打造, 达到, …) and of the comparator. 新增 / 新引进 / 淘汰 are kept, since a
  flow is a different metric from a stock; 年均 moves into the period. A clause that starts with
  占 takes the previous metric as its subject (`…，占地区生产总值比重达25%以上`), and a bare ratio
  (`数字化转型比例`) takes the entity of the clause before (`规模以上制造业企业`).
* Comparator from the wording: 超过/超/突破/高于 >, 以上/不少于/不低于 >=, 左右/约 ~,
  不超过/以内 <=, 下降/节约/减少/提高 decrease/increase; plain 达/为/提高到 =. A range (2-3家,
  二至三个) is `between` (value, value_max). Numbers are Arabic (full or half width) or Chinese
  (十家, 一百二十家, 两千; a bare 一 is an article, not a count); 三成 is 30 %. A time span
  followed by 内 (30天内, 一个月内) is a task's deadline, not a target, unless a time is what is
  measured (审批时限压缩至40个工作日以内). Money granted (给予最高…万元) is support, not a target.
* Period: 每年/年产 annual, 年均/平均每年 annual-average, 累计/三年内 cumulative, else by-end.
  `year` is the year it holds by: a milestone's (到2027年, 2027年底前; carried over the ；-parts
  of a sentence), else the plan's end year. 每年 and 累计 carry to the following clauses of the
  sentence; 年均 stays in its clause. 力争/争取 mark the clause hedged, and carry when they open
  a clause of their own (`力争到2025年，…`).
* `subject`: the named place a target belongs to when the plan directs it (推动临港新片区…) or
  several are listed (嘉定新城、青浦新城…); never 全市/全区 or `plan_region`.
* `X全覆盖` is X覆盖率 = 100 % (基本实现全覆盖: ~).
* `X持续下降` (and `持续/稳步提高`) with no number is a directional target.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ingest.model import Indicator
from schema.normalize import matching_shadow

MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6}
MULTIPLIERS["万"] = 1e4
MULTIPLIERS["千"] = 1e3
# Longest first, so 台/万人 is a unit and not 台 followed by a multiplier.
_UNITS = [
    "台/万人",
    "元/人",
    "个百分点",
    "个工作日",
    "工作日",
    "个月",
    "小时",
    "平方公里",
    "平方米",
    "千瓦时",
    "%",
    "元",
    "家",
    "个",
    "条",
    "项",
    "台",
    "座",
    "所",
    "名",
    "人",
    "次",
    "件",
    "款",
    "套",
    "亩",
    "吨",
    "户",
    "种",
    "位",
    "辆",
    "架",
    "艘",
    "颗",
    "发",
    "公里",
    "倍",
    "天",
]
_UNITS.append("周")
_UNITS.append("成")  # 三成 = 30 %
_UNITS.sort(key=len, reverse=True)
# Chinese numerals: a bare 一 is an article (一个良好环境, 一件事), not a count, so a numeral
# is two characters or more (一百, 十五) or one of 两..十; a lone 百/千/万 is an idiom (千家万户).
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = (
    r"(?:[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]+|[两二三四五六七八九十])"
)
_ARABIC = r"\d+(?:\.\d+)?"
_NUM = rf"(?:{_ARABIC}|{_CN_NUMERAL})"
_MULT = r"(万亿|千亿|百亿|千万|百万|亿|万|千)"
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9.+\-/:第数几每之{_CN_DIGITS}十百千])({_NUM}){_MULT}?"
    rf"(?:[-~～—–至到]({_NUM}){_MULT}?)?"
    r"(余|多)?"
    r"(" + "|".join(re.escape(u) for u in _UNITS) + r")"
    r"(以上|以下|左右|以内|内|多)?(?![A-Za-z0-9])"
)
# A time span followed by 内 is a task's deadline (30天内完成, 3周以内, 一个月内), not a target,
# unless the sentence states it as a measure of time (审批时间压缩至5个工作日以内).
_TIME_UNITS = ("天", "周", "个月", "小时", "个工作日", "工作日")
_DEADLINE = re.compile(
    rf"(?<![0-9{_CN_DIGITS}十百千])({_NUM})(?:个)?(?:工作日|日|天|周|星期|个月|月|小时)(?:以)?内"
)
_TIME_METRIC = re.compile(
    r"(?:时间|时限|周期|时长|用时|天数|办结|压缩|缩短|控制在|不超过|降[至到])"
)
_SENTENCE_END = "。；;！!？?"
_CLAUSE_END = "，,：:"
_DELIMITERS = "、和及与"
_QUOTES = {"“": "”", "‘": "’", '"': '"', "「": "」", "《": "》"}

_PERIOD_CARRY = (
    (re.compile(r"(?:三年|[0-9]+年)?累计|三年内|[0-9一二三四五]年内"), "cumulative"),
    (re.compile(r"(?<!平均)每年|年产(?!值)"), "annual"),
    (re.compile(r"[到至](20\d\d)年|(20\d\d)年(?:底|末)?(?:前|以前)"), "by-end"),
)
_YEAR = re.compile(r"[到至](20\d\d)年|(20\d\d)年(?:底|末)?(?:前|以前)")
_PERIOD_CLAUSE = re.compile(r"年均|平均每年|平均年|年平均")
_HEDGE = re.compile(r"力争|争取")
# Money a measure grants (给予最高3000万元的经费支持, 奖励, 补贴) is support, not a target.
_SUPPORT = re.compile(r"给予|补贴|补助|资助|奖励|^最高")

PREFIX_COMPARATORS = (
    (re.compile(r"(?:不超过|不高于|控制在|(?<!不)低于|(?:压缩|缩短|降)[至到])$"), "<="),
    (re.compile(r"(?:不少于|不低于|至少)$"), ">="),
    (re.compile(r"(?:超过|突破|高于|多于|大于|超)(?:全市|全区|全国|平均水平|平均)?$"), ">"),
    (re.compile(r"(?:下降|降低|减少|节约|压减|削减)$"), "decrease"),
    (re.compile(r"(?:提高|提升|增加|上升)$"), "increase"),
    (re.compile(r"约$"), "~"),
)
SUFFIX_COMPARATORS = {
    "以上": ">=",
    "多": ">",
    "余": ">",
    "左右": "~",
    "以内": "<=",
    "内": "<=",
    "以下": "<=",
}

# Framing verbs and adverbs in front of a metric; 新增/新引进/淘汰 are part of it and stay.
_LEAD_TRIM = re.compile(
    r"^(?:[到至]20\d\d年|其中|进一步|持续|积极|全面|将|力争|争取|计划|确保|每年|平均每年|平均年|三年内|三年累计|三年|"
    r"累计|再|并|同时|全区|全市|推进建设|推进|推动|实现|打造|培育推荐|滚动培育|梯度培育|"
    r"动态培育|培育|创建|建设|遴选|实施|形成|带动|保障|完成|认定|评定|达到|引进培育|加快|"
    r"支持|新建|有|约)+"
)
_TAIL_TRIM = re.compile(
    r"(?:达到|达|超过|超|突破|为|稳定在|保持在|控制在|不少于|不低于|不超过|不高于|至少|高于全市|"
    r"高于全区|高于|低于|约|力争|争取|累计|完成|实现|下降|降低|减少|节约|压减|削减|"
    r"压缩至|压缩到|缩短至|缩短到|降至|降到|(?:提高|提升|增加|上升)[到至]?)+$"
)
_KEEP_VERB = re.compile(r"^(新增|新引进|淘汰)")
_ENTITY = re.compile(r"企业|产业|工业|制造业|园区|经济|产值|投资|单位")
_RATIO = re.compile(r"(?:比例|比重|占比|率|密度|强度)$")
_DIRECTION = re.compile(
    r"^(?P<metric>.{2,}?)(?P<adverb>持续|稳步|逐步|不断|逐年)(?P<verb>下降|降低|减少|提高|提升|增长|上升|增加)$"
)


@dataclass
class _Hit:
    start: int  # offsets in the compact clause text
    end: int
    low: float
    unit: str
    suffix: str | None
    high: float | None = None  # a range's upper bound (2-3家)

    @property
    def ranged(self) -> bool:
        return self.high is not None


@dataclass
class _Piece:
    """One target of a clause with the words around it, before its metric is built."""

    hit: _Hit
    pre: str  # words before the number, comparator left in
    post: str  # words after the number up to the next target (the counted noun, if any)
    comparator: str
    keep: str  # framing verb kept in the metric (新增, 新引进, 淘汰), or ""
    seg_start: int  # segment bounds in the clause, for the indicator's raw text
    raw_end: int


def _compact(text: str) -> tuple[str, list[int]]:
    """Matching shadow of `text` without whitespace or markdown emphasis, with the original
    offset of every kept character."""
    shadow = matching_shadow(text)
    chars: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(shadow):
        if ch.isspace() or ch in "*#":
            continue
        chars.append(ch)
        where.append(index)
    return "".join(chars), where


_CN_SHIELD = set("零〇一二两三四五六七八九十百千万亿")


def _shielded(compact: str) -> str:
    """Digits inside quotes, titles and responsibility lines replaced, same length."""
    out = list(compact)
    closing: list[str] = []
    paren_depth_owner = 0
    for i, ch in enumerate(compact):
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _QUOTES and not (ch == '"' and closing and closing[-1] == '"'):
            closing.append(_QUOTES[ch])
        elif ch == "(" and re.match(r"\((?:责任|牵头)", compact[i : i + 4]):
            paren_depth_owner += 1
        elif ch == ")" and paren_depth_owner:
            paren_depth_owner -= 1
        if (closing or paren_depth_owner) and (ch.isdigit() or ch in _CN_SHIELD):
            out[i] = "#"
    return "".join(out)


def _split(text: str, ends: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_VALUES |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_PLACES = {"十": 10, "百": 100, "千": 1000}


def number_value(text: str) -> float:
    """The value of an Arabic (1.3) or Chinese (十五, 一百二十, 两千零五) numeral."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total, digit = 0, None
    for ch in text:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
        elif ch in _CN_PLACES:
            total += (1 if digit is None else digit) * _CN_PLACES[ch]
            digit = None
        else:
            raise ValueError(text)
    return float(total + (digit or 0))


def _deadlines(clause: str) -> list[tuple[int, int]]:
    """Spans of task deadlines (30天内, 3周以内, 一个月内) in `clause`."""
    spans = []
    for match in _DEADLINE.finditer(clause):
        if not _TIME_METRIC.search(clause[: match.start()]):
            spans.append(match.span())
    return spans


def _hits(clause: str) -> list[_Hit]:
    hits = []
    deadlines = _deadlines(clause)
    for match in _NUMBER.finditer(clause):
        low_text, low_mult, high_text, high_mult, more, unit, suffix = match.groups()
        if any(a <= match.start() < b for a, b in deadlines):
            continue
        if (
            unit in _TIME_UNITS
            and suffix == "内"
            and not _TIME_METRIC.search(clause[: match.start()])
        ):
            continue
        try:
            low = number_value(low_text)
            high = number_value(high_text) if high_text else None
        except ValueError:
            continue
        # 1-1.5万亿元: a multiplier written once applies to both ends.
        low *= MULTIPLIERS.get(low_mult or high_mult or "", 1.0)
        if high is not None:
            high *= MULTIPLIERS.get(high_mult or "", 1.0)
            if high <= low:
                high = None
        if unit == "成":
            low, high, unit = low * 10, high * 10 if high is not None else None, "%"
        hits.append(_Hit(match.start(), match.end(), low, unit, suffix or more, high=high))
    return hits


def _is_qualifier(clause: str, hit: _Hit, hits: list[_Hit]) -> bool:
    """A number describing the counted things (产值超过100亿元的…), not a target."""
    before = clause[: hit.start]
    after = clause[hit.end : hit.end + 1]
    counts = [h for h in hits if h is not hit and h.unit not in ("元", "元/人", "%")]
    if re.search(
        r"(?:产值|营收|营业收入|总投资|投资额|规模)(?:首次)?(?:超过|超|达到|达|突破|在)?$", before
    ):
        return bool(counts) or after == "的"
    return after == "的" and hit.unit in ("元", "元/人") and bool(counts)


def _trim(metric: str) -> str:
    previous = None
    while previous != metric:
        previous = metric
        metric = _LEAD_TRIM.sub("", metric)
        metric = _TAIL_TRIM.sub("", metric)
        metric = metric.strip("的,，、:：")
    return metric.replace("年均", "")


def _comparator(pre: str, hit: _Hit) -> tuple[str, str]:
    """(comparator, pre without it)."""
    found = "="
    for pattern, comparator in PREFIX_COMPARATORS:
        match = pattern.search(pre)
        if match:
            found = comparator
            break
    if hit.suffix:
        suffix = SUFFIX_COMPARATORS[hit.suffix]
        found = suffix if found in ("=", ">", ">=") or suffix == "~" else found
    if hit.ranged and found in ("=", ">=", ">", "~"):
        found = "between"
    return found, pre


def _subject(clause: str) -> str | None:
    """The entity a clause is about (推动全区规模以上制造业企业数字化… → 规模以上制造业企业)."""
    cut = clause.rfind("企业")
    if cut < 0:
        return None
    subject = _LEAD_TRIM.sub("", clause[: cut + 2])
    return subject or None


def _restore(metric: str, shadow: str, original: str) -> str:
    """`metric` (built from shadow text) in the document's own characters: each run of it is
    found in the clause's shadow and replaced by the original characters at that place."""
    out, i = [], 0
    while i < len(metric):
        for j in range(len(metric), i, -1):
            k = shadow.find(metric[i:j])
            if k >= 0:
                out.append(original[k : k + j - i])
                i = j
                break
        else:
            out.append(metric[i])
            i += 1
    return "".join(out)


_PLACE_NAME = (
    r"[\u4e00-\u9fff]{2,6}?(?:新片区|自贸试验区|自贸区|开发区|高新区|经开区|新区|新城|片区|"
    r"自治区|自治州|街道|区|县|市|镇|乡|省|州)(?![场民政值级域内外间委府属长])"
)
# A place is a target's own subject when the plan directs it (推动临港新片区…, 支持宝山区…) or
# when several are listed (嘉定新城、青浦新城…): a plan has one region of its own. A single
# place opening a plain statement is, without `plan_region` to tell, most often the plan's own.
_PLACE_SUBJECT = re.compile(
    r"^(?:力争|争取|其中|[到至]20\d\d年)*+(?P<verb>(?:推动|支持|鼓励|引导|促进|推进|加快|指导)*+)"
    rf"(?P<places>{_PLACE_NAME}(?:[、和及与]{_PLACE_NAME})*)"
)
_OWN_REGION = re.compile(
    r"^(?:力争|争取|其中|[到至]20\d\d年|推动|推进|实现)*+(?:全|本|我)[市区县省国]"
)
# A place word that is not a named place: the plan's own region (全市, 本区), a kind of zone
# (示范区, 园区), or a collective (各区).
_NOT_A_PLACE = re.compile(
    r"产业|企业|示范|先导|集聚|功能|承载|发展|制造|工业|重点|全|各|本|我|其他|周边|相关|所在|"
    r"城市|地区|社区|园区|城区|辖区|街区|景区|小区|特色|农村|城乡|城镇|试点|新兴|省市|区域|地市"
)
_COVERAGE = re.compile(r"(?P<approx>基本)?(?:实现|达到|完成)?全覆盖")


def _place_subject(words: str, plan_region: str | None) -> str | None:
    """The named place(s) a clause opens with (推动临港新片区集聚… → 临港新片区), unless it is
    the plan's own region."""
    match = _PLACE_SUBJECT.match(words)
    if not match:
        return None
    places = match.group("places")
    names = re.split(r"[、和及与]", places)
    if any(_NOT_A_PLACE.search(name) for name in names):
        return None
    if not (match.group("verb") or len(names) > 1 or plan_region):
        return None
    if plan_region and any(
        name == plan_region or plan_region.startswith(name) or name.startswith(plan_region)
        for name in names
    ):
        return None
    return places


class _Reader:
    def __init__(self, text: str, plan_end_year: int | None, plan_region: str | None) -> None:
        self.text = text
        self.plan_end_year = plan_end_year
        self.plan_region = matching_shadow(plan_region) if plan_region else None
        self.compact, self.where = _compact(text)
        self.original = "".join(text[i] for i in self.where)
        self.shielded = _shielded(self.compact)
        self.out: list[Indicator] = []
        # The year a milestone (到2027年) names carries over the ；-parts of one sentence.
        self.carry_year: int | None = None
        self.year: int | None = None  # the year of the targets being read
        self.subject: str | None = None  # the place of the targets being read

    def raw(self, start: int, end: int) -> str:
        if start >= end or end > len(self.where):
            return ""
        original = self.text[self.where[start] : self.where[end - 1] + 1]
        return re.sub(r"\s*\n\s*", "", original).replace("*", "").strip()

    def run(self) -> list[Indicator]:
        for s_start, s_end in _split(self.shielded, _SENTENCE_END):
            self.sentence(s_start, s_end)
            if s_end >= len(self.shielded) or self.shielded[s_end] not in ";；":
                self.carry_year = None
        return self.out

    def sentence(self, s_start: int, s_end: int) -> None:
        carry_period: str | None = None
        carry_hedge = False
        sentence_subject: str | None = None
        previous_metric: str | None = None
        previous_clause = ""
        for c_start, c_end in _split(self.shielded[s_start:s_end], _CLAUSE_END):
            start, end = s_start + c_start, s_start + c_end
            clause = self.shielded[start:end]
            words = self.compact[start:end]
            hits = [h for h in _hits(clause)]
            targets = [h for h in hits if not _is_qualifier(clause, h, hits)]
            if re.match(r"^(?:并|同时)?对", words) or _SUPPORT.search(
                clause[: targets[0].start if targets else 0]
            ):
                targets = []
            first_target = targets[0].start if targets else len(clause)
            for pattern, kind in _PERIOD_CARRY:
                if pattern.search(clause[:first_target]):
                    carry_period = kind
            for match in _YEAR.finditer(clause[:first_target]):
                self.carry_year = int(match.group(1) or match.group(2))
            self.year = self.carry_year or self.plan_end_year
            own_subject = _place_subject(words, self.plan_region)
            if _OWN_REGION.match(words):
                sentence_subject = None  # …，全区规模以上制造业企业…: the plan's own again
            sentence_subject = own_subject or sentence_subject
            self.subject = sentence_subject
            clause_hedge = bool(_HEDGE.search(clause[:first_target]))
            if not targets:
                carry_hedge = carry_hedge or clause_hedge
                direction = self.directional(words, start, end, carry_hedge)
                if direction is not None:
                    previous_metric = direction.metric
                else:
                    self.coverage(words, start, carry_hedge)
                previous_clause = words
                continue
            annual_average = _PERIOD_CLAUSE.search(clause[:first_target]) is not None
            period = "annual-average" if annual_average else carry_period or "by-end"
            metric = self.clause_targets(
                words,
                start,
                targets,
                period,
                clause_hedge or carry_hedge,
                previous_metric,
                previous_clause,
            )
            previous_metric = metric or previous_metric
            previous_clause = words

    def without_subject(self, metric: str) -> str:
        """`metric` without the place it opens with (嘉定新城、…新城工业产值增速 → 工业产值增速)."""
        if self.subject and metric.startswith(self.subject) and len(metric) > len(self.subject):
            return metric[len(self.subject) :].lstrip("的")
        return metric

    def coverage(self, words: str, start: int, hedged: bool) -> None:
        """全覆盖 targets: 实现重点工业企业和园区“双千兆”网络全覆盖 → …网络覆盖率 = 100 %."""
        cut = 0
        for match in _COVERAGE.finditer(words):
            phrase = words[cut : match.start()]
            phrase = re.sub(r"(?<=.)(?:完成|实现)", "", phrase.lstrip(_DELIMITERS))
            metric = self.without_subject(_trim(phrase))
            seg_start, cut = cut, match.end()
            # 从火箭、卫星到终端的全覆盖 is the extent of a chain, not a share to measure.
            if len(metric) < 2 or re.search(r"从.+[到至]", phrase):
                continue
            metric += "覆盖率"
            self.out.append(
                Indicator(
                    metric=_restore(metric, words, self.original[start : start + len(words)]),
                    comparator="~" if match.group("approx") else "=",
                    value=100.0,
                    unit="%",
                    period="by-end",
                    hedged=hedged,
                    raw=self.raw(start + seg_start, start + match.end()),
                    year=self.year,
                    subject=self.subject,
                )
            )
            if cut < len(words) and words[cut] in _DELIMITERS:
                cut += 1

    def directional(self, words: str, start: int, end: int, hedged: bool) -> Indicator | None:
        match = _DIRECTION.match(words)
        if not match:
            return None
        metric = self.without_subject(_trim(match.group("metric")))
        if len(metric) < 2 or re.search(r"[0-9#]", metric):
            return None
        down = match.group("verb") in ("下降", "降低", "减少")
        indicator = Indicator(
            metric=_restore(metric, words, self.original[start:end]),
            comparator="decrease" if down else "increase",
            value=None,
            unit=None,
            period="by-end",
            hedged=hedged,
            raw=self.raw(start, end),
            year=self.year,
            subject=self.subject,
        )
        self.out.append(indicator)
        return indicator

    def clause_targets(
        self,
        words: str,
        offset: int,
        targets: list[_Hit],
        period: str,
        hedged: bool,
        previous_metric: str | None,
        previous_clause: str,
    ) -> str | None:
        # Segment bounds: a target's phrase starts after the last 、/和 before it (if that
        # delimiter follows the previous target) and ends where the next one starts.
        bounds: list[int] = [0]
        for before, after in itertools.pairwise(targets):
            gap = words[before.end : after.start]
            cut = max(gap.rfind(d) for d in _DELIMITERS)
            bounds.append(before.end + cut + 1 if cut >= 0 else before.end)
        bounds.append(len(words))

        pieces: list[_Piece] = []
        for index, hit in enumerate(targets):
            seg_start = bounds[index]
            seg_end = bounds[index + 1] if index + 1 < len(targets) else len(words)
            pre = words[seg_start : hit.start]
            post = words[hit.end : seg_end]
            if index + 1 < len(targets):
                post = post.rstrip(_DELIMITERS)
            post = re.sub(r"\([^()]*\)$", "", post).lstrip("的")
            comparator, pre = _comparator(pre, hit)
            keep = _KEEP_VERB.search(_LEAD_TRIM.sub("", pre))
            raw_end = seg_end - 1 if index + 1 < len(targets) else seg_end
            pieces.append(
                _Piece(
                    hit, pre, post, comparator, keep.group(1) if keep else "", seg_start, raw_end
                )
            )

        # A shared head noun written once at the end (…、1000个总投资亿元以上的重大产业项目).
        last_post = pieces[-1].post
        head = None
        if "的" in last_post:
            head = "的" + last_post.rsplit("的", 1)[1]
        else:
            level = re.match(r"^[^的]{0,6}?级(.+)$", last_post)
            head = level.group(1) if level else None
        for piece in pieces[:-1]:
            if head and re.search(r"(?:以上|以下|级)$", piece.post):
                piece.post = piece.post + head

        metric_out = None
        first_comparator = pieces[0].comparator
        first_keep = pieces[0].keep
        for index, piece in enumerate(pieces):
            post, comparator = piece.post, piece.comparator
            trimmed_pre = _trim(piece.pre)
            if index > 0 and not trimmed_pre and comparator == "=":
                comparator = first_comparator
            verb = piece.keep or (first_keep if index > 0 else "")
            if post:
                metric = verb + _trim(post) if not _trim(post).startswith(verb) else _trim(post)
            else:
                metric = trimmed_pre if trimmed_pre.startswith(verb) else verb + trimmed_pre
            if metric.startswith("占") and previous_metric:
                metric = previous_metric + metric
            elif _RATIO.search(metric) and not _ENTITY.search(metric):
                subject = _subject(previous_clause)
                if subject:
                    metric = subject + metric
            if not metric:
                continue
            if comparator == "decrease" and post:
                metric = _trim(post)
            metric = self.without_subject(metric)
            value, unit = piece.hit.low, piece.hit.unit
            original = self.original[offset : offset + len(words)]
            self.out.append(
                Indicator(
                    metric=_restore(metric, words, original),
                    comparator=comparator,
                    value=value,
                    unit=unit,
                    period=period,
                    hedged=hedged,
                    raw=self.raw(offset + piece.seg_start, offset + piece.raw_end),
                    value_max=piece.hit.high,
                    year=self.year,
                    subject=self.subject,
                )
            )
            metric_out = metric
        return metric_out


def read_indicators(
    text: str, *, plan_end_year: int | None = None, plan_region: str | None = None
) -> list[Indicator]:
    """Every target stated in `text`, in document order. Never raises on any string.

    `plan_end_year` is the year of targets no milestone dates; `plan_region` (松江区), when
    given, is never a target's `subject`, since the plan's own region is its default."""
    if not text:
        return []
    return _Reader(text, plan_end_year, plan_region).run()
