"""Structured fields of legal documents, each with the span of text it came from.

Every extractor works on `Text`: the original text and a copy with full-width characters made
half-width (same length, so every index found in the copy is an index into the original).
A `Field` keeps the normalised value and the [start, end) span of the raw text; per-person fields
carry the person's number (1-based, in the order the document lists them) as `group`.
"""

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from bihuan.lib.cnnum import (
    DATE,
    DATE_RE,
    DAY,
    MONTH_DAY,
    MONTH_DAY_RE,
    article_number,
    cn_to_int,
    make_date,
    to_halfwidth,
)


@dataclass(frozen=True)
class Field:
    """One extracted field: `text[start:end]` is exactly the source text of `value`."""

    name: str
    value: str
    start: int
    end: int
    group: int = 0


# The field vocabulary (docs/extraction.md), with the labels pages and the CLI show.
FIELD_LABELS = {
    "doc_number": "文号",
    "court": "受文法院",
    "agency": "制作机关",
    "addressee": "主送机关",
    "transfer_date": "移送起诉日期",
    "transfer_charge": "移送罪名",
    "received_date": "受理日期",
    "notified_date": "权利告知日期",
    "extension": "延长审查起诉期限",
    "supplementary": "退回补充侦查",
    "round": "退查次数",
    "charge": "罪名",
    "article": "刑法条款",
    "plea": "认罪认罚",
    "recommendation": "量刑建议",
    "recommendation_kind": "量刑建议类型",
    "recommendation_term_min": "建议刑期下限（月）",
    "recommendation_term_max": "建议刑期上限（月）",
    "decision": "不起诉类型",
    "measure_kind": "强制措施种类",
    "prosecutor": "检察官",
    "assistant": "检察官助理",
    "lawyer": "辩护人/值班律师",
    "signed_date": "签发日期",
    "name": "姓名",
    "former_name": "曾用名",
    "alias": "绰号",
    "self_reported": "自报",
    "gender": "性别",
    "birth_date": "出生日期",
    "birthplace": "出生地",
    "id_number": "公民身份号码",
    "ethnicity": "民族",
    "education": "文化程度",
    "occupation": "职业",
    "address": "住址",
    "household_address": "户籍所在地",
    "measure": "强制措施",
    "custody_place": "羁押处所",
    "custody_status": "现在处所",
}


class Text:
    """A document's text and its half-width copy, with the helpers every extractor shares."""

    __slots__ = ("norm", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.norm = to_halfwidth(raw)


#
# Patterns shared by the document kinds
#

DATE_SPAN = re.compile(DATE)
DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff()（）]{2,24}?)\s*[〔\[［(（]\s*((?:19|20)\d{2})\s*[〕\]］)）]\s*(?:第\s*)?(\d{1,6})\s*号"
)
CRIMINAL_LAW = re.compile(
    r"《(?:中华人民共和国)?刑法》((?:[、，,和及与]?第[〇零一二三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?"
    r"(?:第[一二三四五六七八九十\d]+款)?(?:第[(（]?[一二三四五六七八九十\d]+[)）]?项)?)+)"
)
ARTICLE_ITEM = re.compile(r"第[〇零一二三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?")
PENALTY_START = re.compile(r"(?:有期徒刑|拘役|管制|单处罚金|罚金|无期徒刑|死刑|免予刑事处罚|免除处罚)")
# The recommendation ends with its sentence, or at a comma that starts another request (，建议适用速裁程序).
PENALTY_END = re.compile(r"[。；;\n]|[，,](?=建议|根据|依照|依据|本案|可以|请|对被告人)")
RANGE_WORDS = re.compile(r"至|以上|以下|左右")
# The term of 有期徒刑, 拘役 or 管制 (刑法 第三十八条、第四十二条、第四十五条) in years and months, exact
# (一年六个月) or a closed range (一年至二年, 一年以上二年以下); open or approximate terms (三年以下,
# 一年左右) and 无期徒刑/死刑 are not read. Each term is three groups: years, months with years, months alone.
_NUMBER = r"([0-9]+|[一二两三四五六七八九十]+)"
_TERM = rf"(?:{_NUMBER}年(?:零?{_NUMBER}个?月)?|{_NUMBER}个?月)"
_PENALTY = r"(?:有期徒刑|拘役|管制)"
TERM = re.compile(
    rf"{_PENALTY}{_TERM}(?:(?:至|到|-|—|～|~){_PENALTY}?{_TERM}|以上{_TERM}以下)?"
    r"(?![以至到\-—～~左0-9一二两三四五六七八九十年个月])"
)
RECOMMEND = re.compile(r"(?:量刑建议为|建议(?:对(?:被告人|被告|其)?)?|(?<=[，,；;])对(?:被告人)?|(?<=[；;])被告人)")
DATE_RANGE = re.compile(rf"(?:自\s*)?({DATE})\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*({DATE}|{MONTH_DAY})\s*(?:止)?")
MEASURE_WORD = re.compile(
    r"(?<!行政)(?<!司法)(?<!解除)(?<!不批准)(?<!提请批准)(?<!申请)"
    r"(指定居所监视居住|监视居住|取保候审|刑事拘留|拘留(?!所)|逮捕|留置(?!场所))"
)
RELATIVE_DATE = re.compile(rf"({DATE})|同年\s*({MONTH_DAY})|(次日|翌日)|(同日|当日|当天)|同月\s*({DAY})\s*日")
CUSTODY_PLACE = re.compile(r"(?:羁押|关押|押)于([^，。；,;\s]{2,40}?(?:看守所|拘留所|监狱|留置场所|戒毒所))")
CUSTODY_FREE = re.compile(r"(?:现|均|已)(?:已|均)?(?:被|处于)?(?:依法)?(指定居所监视居住|监视居住|取保候审)")
MEASURE_LABEL = {"拘留": "刑事拘留"}
MEASURE_CUE = re.compile(r"因(?:涉嫌|本案|犯罪嫌疑)")
CLAUSE_END = re.compile(r"[。；;]")
EXECUTED = re.compile(
    rf"(?:{DATE}|同年\s*{MONTH_DAY}|同月\s*{DAY}\s*日|次日|翌日|同日|当日|当天)[^，,。；;]{{0,24}}?执行(?!逮捕|拘留|刑事拘留|取保|监视|指定)"
)

# Person paragraph of 被告人 / 被不起诉人 / 犯罪嫌疑人 (domain-rules §5.3): the name, an optional
# parenthesis with 曾用名/绰号/自报, then comma-separated items up to the first 。.
PERSON_HEAD = re.compile(
    r"(?:被告人|被不起诉人|犯罪嫌疑人|具结人|姓名)[：:\s]*([\u4e00-\u9fff·•A-Za-z]{1,24}?)\s*(?:[（(]([^）)]{1,80})[）)])?(?=[，,。；\s]|$)"
)
SEGMENT = re.compile(r"[^，,；;。]+")
GENDER = re.compile(r"(?:性别[：:]?)?(男|女)(?:性)?")
BORN_IN = re.compile(rf"((?:自报)?{DATE}出生)于(.+)")
BIRTH = re.compile(rf"(?:自报)?(?:出生日期[：:]?|出生于|生于)?({DATE})(?:出生|生)?")
ID_NUMBER = re.compile(r"(?:公民身份号码|居民身份证号码?|身份证号码?|身份号码)[：:为是\s]*(\d{17}[\dXx])(?!\d)")
ETHNICITY = re.compile(r"(?:民族[：:]?)?([\u4e00-\u9fff]{1,8}族)")
EDUCATION = re.compile(
    r"(?:文化程度[：:为]?)?"
    r"(文盲|半文盲|小学|初中|高中|中专|中技|职高|技校|大专|专科|大学本科|大学专科|大学|本科|硕士研究生|博士研究生|研究生)"
    r"(?:文化(?:程度)?|学历|毕业|肄业)?"
)
ADDRESS = re.compile(r"(?:自报)?(?:现住址|现住|住址|住所地|暂住|住)[：:在于]?(.+)")
HOUSEHOLD_AND_ADDRESS = re.compile(
    r"(?:户籍所在地|户籍地|户籍)(?:及|和|与)(?:现)?住(?:址|所地)?(?:均为|同为|均在|均系|均)[：:]?(.+)"
)
HOUSEHOLD = re.compile(r"(?:户籍所在地|户籍地|户籍)[：:为在是]?(.+)")
BIRTHPLACE = re.compile(r"(?:出生地|籍贯)[：:为是]?(.+)|(.{2,20}(?:省|市|县|区|旗|自治州)[^，]{0,12}人)")
FORMER_NAME = re.compile(r"曾用名[：:\s]*[“\"'‘]?([^”\"'’，、]+)[”\"'’]?")
ALIAS = re.compile(r"(?:绰号|外号|别名|化名)[：:\s]*[“\"'‘]?([^”\"'’，、]+)[”\"'’]?")
SELF_REPORTED = re.compile(r"自报[^，、]*")
NOT_OCCUPATION = re.compile(
    r"\d|\*|＊|文化|学历|不详|出生|身份|民族|国籍|户籍|^现?住|住址|捕|拘|押|涉嫌|党员|团员|群众|无党派|政治面貌"
)


def full(pattern: re.Pattern[str], segment: str) -> re.Match[str] | None:
    return pattern.fullmatch(segment.strip())


@cache
def charge_catalogue() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every charge name of the catalogue (cases/data/charges.json) as a pattern over half-width
    text, longest first, and the catalogue spelling of each match (偷越国（边）境罪)."""
    raw = resources.files("bihuan.cases").joinpath("data/charges.json").read_text(encoding="utf-8")
    names = {to_halfwidth(item["name"]): item["name"] for item in json.loads(raw)}  # same text unless digits
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in ordered)), names


def iso(d: date) -> str:
    return d.isoformat()


def date_at(t: Text, match: re.Match[str], group: int = 1) -> date | None:
    """The date written in one match group (an absolute date)."""
    parsed = DATE_RE.fullmatch(t.norm, match.start(group), match.end(group))
    return None if parsed is None else make_date(*parsed.groups())


def trimmed(t: Text, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding blanks."""
    while start < end and t.norm[start].isspace():
        start += 1
    while end > start and t.norm[end - 1].isspace():
        end -= 1
    return start, end


def text_field(t: Text, name: str, start: int, end: int, group: int = 0) -> Field | None:
    """A field whose value is its own text (names, places), without blanks and with ASCII digits."""
    start, end = trimmed(t, start, end)
    if start == end:
        return None
    return Field(name, t.norm[start:end], start, end, group)


def doc_number(t: Text, start: int = 0, end: int | None = None) -> Field | None:
    """文号: 七新检刑诉〔2024〕74号, with [] ［］ （） brackets and full-width digits normalised to 〔〕 and ASCII."""
    match = DOC_NUMBER.search(t.norm, start, len(t.norm) if end is None else end)
    if match is None:
        return None
    prefix = match.group(1).replace("(", "（").replace(")", "）")
    value = f"{prefix}〔{match.group(2)}〕{int(match.group(3))}号"
    return Field("doc_number", value, match.start(), match.end())


def criminal_law_articles(t: Text, start: int, end: int, name: str = "article") -> Iterator[Field]:
    """Articles of the Criminal Law cited between start and end: 第一百三十三条之一 → "133之一"."""
    for cite in CRIMINAL_LAW.finditer(t.norm, start, end):
        for item in ARTICLE_ITEM.finditer(t.norm, cite.start(1), cite.end(1)):
            yield Field(name, article_number(item.group()).replace("条", ""), item.start(), item.end())


CHARGE_SEPARATOR = re.compile(r"[、，,和及与\s]+")
# A charge outside the catalogue (贩卖毒品罪, a selective name) ends in 罪 but not in 犯罪.
LOOSE_CHARGE = re.compile(r".+?(?<!犯)罪(?=[、，,和及与]|$)")


def charges_in(t: Text, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """Charge names listed between start and end (盗窃罪、诈骗罪): catalogue names where they fit,
    otherwise the text up to the next 罪 that ends an item."""
    pattern, spelling = charge_catalogue()
    pos = start
    while pos < end:
        if sep := CHARGE_SEPARATOR.match(t.norm, pos, end):
            pos = sep.end()
            continue
        m = pattern.match(t.norm, pos, end)
        if m is not None and (m.end() == end or t.norm[m.end()] in "、，,和及与"):
            yield spelling[m.group()], m.start(), m.end()
        else:
            m = LOOSE_CHARGE.match(t.norm, pos, end)
            if m is None:
                return
            yield t.norm[m.start() : m.end()], m.start(), m.end()
        pos = m.end()


def date_ranges(t: Text, name: str, start: int, end: int) -> Iterator[Field]:
    """Every 自…至… range between start and end as "YYYY-MM-DD/YYYY-MM-DD"; an end without a year
    takes the start's year (and the next year when it would fall before the start)."""
    for match in DATE_RANGE.finditer(t.norm, start, end):
        if found := date_range(t, name, match):
            yield found


def date_range(t: Text, name: str, match: re.Match[str]) -> Field | None:
    """The range from the date in group 1 to the date (or month and day) in group 2, spanning both."""
    first = date_at(t, match, 1)
    second = date_at(t, match, 2)
    md = MONTH_DAY_RE.fullmatch(t.norm, match.start(2), match.end(2)) if second is None else None
    if md is not None and first is not None:
        second = make_date(str(first.year), *md.groups())
        if second is not None and second < first:
            second = make_date(str(first.year + 1), *md.groups())
    if first is None or second is None:
        return None
    return Field(name, f"{iso(first)}/{iso(second)}", match.start(1), match.end(2))


def penalty_fields(t: Text, start: int, end: int, group: int) -> Iterator[Field]:
    """量刑建议 text from `start` up to the end of its clause, and 确定刑/幅度刑."""
    found = PENALTY_END.search(t.norm, start, end)
    start, stop = trimmed(t, start, end if found is None else found.start())
    if stop <= start or not PENALTY_START.match(t.norm, start):
        return
    yield Field("recommendation", t.norm[start:stop], start, stop, group)
    kind = "幅度刑" if RANGE_WORDS.search(t.norm, start, stop) else "确定刑"
    yield Field("recommendation_kind", kind, start, stop, group)
    if term := TERM.match(t.norm, start, stop):
        low = _months(*term.group(1, 2, 3))
        second = next((i for i in (4, 7) if any(term.group(i, i + 1, i + 2))), None)
        high = low if second is None else _months(*term.group(second, second + 1, second + 2))
        yield Field("recommendation_term_min", str(low), term.start(), term.end(), group)
        yield Field("recommendation_term_max", str(high), term.start(), term.end(), group)


def _months(years: str | None, months: str | None, months_alone: str | None) -> int:
    """A term of one TERM match (its three groups) in months: 一年六个月 → 18, 十个月 → 10."""
    if years is None:
        return cn_to_int(months_alone)
    return cn_to_int(years) * 12 + (cn_to_int(months) if months else 0)


def dedupe(fields: Iterable[Field | None]) -> list[Field]:
    """Drop empty results and repeats of the same (name, group, value), keeping the first."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for f in fields:
        if f is None:
            continue
        key = (f.name, f.group, f.value)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


#
# Persons
#


def person_fields(t: Text, start: int, end: int, group: int) -> tuple[str, list[Field]]:
    """The fields of one person paragraph between start and end, and the person's name.

    Items before the first 。 are the identity (Rule 358: 姓名、性别、出生年月日、公民身份号码、民族、
    文化程度、职业、住址、户籍地); the sentences after it hold 前科 and the coercive measures.
    """
    head = PERSON_HEAD.match(t.norm, start, end)
    if head is None:
        return "", []
    name = head.group(1)
    out: list[Field | None] = [text_field(t, "name", head.start(1), head.end(1), group)]
    if head.group(2):
        out += _aliases(t, head.start(2), head.end(2), group)
    stop = _identity_end(t, head.end(), end)
    occupation_done = False
    seen: set[str] = set()
    for seg in SEGMENT.finditer(t.norm, head.end(), stop):
        s0, s1 = trimmed(t, seg.start(), seg.end())
        if s0 == s1:
            continue
        segment = t.norm[s0:s1]
        if both := full(HOUSEHOLD_AND_ADDRESS, segment):
            # 户籍所在地及住址均为…: one place, both fields.
            out.append(text_field(t, "household_address", s0 + both.start(1), s0 + both.end(1), group))
            out.append(text_field(t, "address", s0 + both.start(1), s0 + both.end(1), group))
            occupation_done = True
            continue
        if born := full(BORN_IN, segment):
            out.append(text_field(t, "birthplace", s0 + born.start(2), s0 + born.end(2), group))
        found = _identity_item(t, segment, s0, group)
        if found is not None:
            out.append(found)
            seen.add(found.name)
            if found.name in ("address", "household_address"):
                occupation_done = True
            continue
        aliases = list(_aliases(t, s0, s1, group))
        if aliases:
            out += aliases
        elif not occupation_done and seen and not NOT_OCCUPATION.search(segment):
            # The item after 民族/文化程度 that is no other identity item is the occupation (Rule 358 order).
            out.append(text_field(t, "occupation", s0, s1, group))
            occupation_done = True
    out += measure_fields(t, stop, end, group)
    for place in CUSTODY_PLACE.finditer(t.norm, start, end):
        out.append(text_field(t, "custody_place", place.start(1), place.end(1), group))
    return name, dedupe(out)


def _identity_end(t: Text, start: int, end: int) -> int:
    """Where the identity items end: at the first 。, or earlier where the same sentence goes on to the
    case (…，2024年2月2日因涉嫌盗窃罪被刑事拘留) — from the item with 因涉嫌/因本案, or the date item before it."""
    stop = t.norm.find("。", start, end)
    stop = end if stop < 0 else stop
    cue = MEASURE_CUE.search(t.norm, start, stop)
    if cue is None:
        return stop
    item = max(t.norm.rfind("，", start, cue.start()), t.norm.rfind(",", start, cue.start())) + 1
    before = max(t.norm.rfind("，", start, item - 1), t.norm.rfind(",", start, item - 1)) + 1
    if item > start and DATE_SPAN.fullmatch(t.norm, *trimmed(t, before, item - 1)):
        return before
    return max(item, start)


def _identity_item(t: Text, segment: str, s0: int, group: int) -> Field | None:
    if m := full(GENDER, segment):
        return Field("gender", m.group(1), s0 + m.start(1), s0 + m.end(1), group)
    if m := full(BORN_IN, segment):
        # 1989年8月23日出生于山东省平度市: the date here, the place in person_fields.
        segment = m.group(1)
    if (m := full(BIRTH, segment)) and ("生" in segment or segment.endswith("日")):
        parsed = DATE_RE.fullmatch(m.group(1))
        birth = make_date(*parsed.groups()) if parsed else None
        if birth is None:
            return None
        return Field("birth_date", iso(birth), s0 + m.start(1), s0 + m.end(1), group)
    if m := full(ID_NUMBER, segment):
        return Field("id_number", m.group(1).upper(), s0 + m.start(1), s0 + m.end(1), group)
    if m := full(ETHNICITY, segment):
        return Field("ethnicity", m.group(1), s0 + m.start(1), s0 + m.end(1), group)
    if m := full(EDUCATION, segment):
        return Field("education", m.group(1), s0 + m.start(1), s0 + m.end(1), group)
    if m := full(HOUSEHOLD, segment):
        return text_field(t, "household_address", s0 + m.start(1), s0 + m.end(1), group)
    if (m := full(ADDRESS, segment)) and not segment.startswith("住院"):
        return text_field(t, "address", s0 + m.start(1), s0 + m.end(1), group)
    if m := full(BIRTHPLACE, segment):
        which = 1 if m.group(1) else 2
        return text_field(t, "birthplace", s0 + m.start(which), s0 + m.end(which), group)
    return None


def _aliases(t: Text, start: int, end: int, group: int) -> Iterator[Field]:
    for m in FORMER_NAME.finditer(t.norm, start, end):
        yield Field("former_name", t.raw[m.start(1) : m.end(1)], m.start(1), m.end(1), group)
    for m in ALIAS.finditer(t.norm, start, end):
        yield Field("alias", t.raw[m.start(1) : m.end(1)], m.start(1), m.end(1), group)
    for m in SELF_REPORTED.finditer(t.norm, start, end):
        yield Field("self_reported", "是", m.start(), m.end(), group)


def relative_date(t: Text, start: int, end: int, last: date | None) -> date | None:
    """The date written between start and end: absolute, or 同年M月D日 / 同月D日 / 次日 / 同日 after `last`."""
    m = RELATIVE_DATE.fullmatch(t.norm, start, end)
    if m is None:
        return None
    if m.group(1):
        return date_at(t, m, 1)
    if last is None:
        return None
    if m.group(2):
        return make_date(str(last.year), *MONTH_DAY_RE.fullmatch(m.group(2)).groups())
    if m.group(3):
        return last + timedelta(days=1)
    if m.group(5):
        return make_date(str(last.year), str(last.month), m.group(5))
    return last


def measure_fields(t: Text, start: int, end: int, group: int) -> list[Field]:
    """Coercive measures as "kind@date": each measure word takes the last date written before it in
    its sentence (同年…, 次日 and 同日 count from the previous date), else the first after it.
    Sentences about earlier sentences served (判处, 刑满释放) are skipped."""
    out: list[Field] = []
    last: date | None = None
    pos = start
    while pos < end:
        stop = CLAUSE_END.search(t.norm, pos, end)
        stop = end if stop is None else stop.end()
        sentence = t.norm[pos:stop]
        if "判处" in sentence or "刑满" in sentence or "释放" in sentence and "因涉嫌" not in sentence:
            # A previous conviction: its dates must not leak into this case's measures.
            pos = stop
            continue
        dates: list[tuple[int, date]] = []
        for m in RELATIVE_DATE.finditer(t.norm, pos, stop):
            d = relative_date(t, m.start(), m.end(), last)
            if d is not None:
                dates.append((m.start(), d))
                last = d
        in_sentence: list[Field] = []
        approval = False
        words = list(MEASURE_WORD.finditer(t.norm, pos, stop))
        for i, m in enumerate(words):
            following = words[i + 1].start() if i + 1 < len(words) else stop
            before = [d for p, d in dates if p < m.start()]
            after = [d for p, d in dates if p > m.start()]
            # 经本院批准逮捕，次日由公安局执行: the measure starts when it is executed.
            executed = [d for p, d in dates if m.end() < p < following and EXECUTED.match(t.norm, p)]
            when = executed[0] if executed else before[-1] if before else after[0] if after else None
            if when is None:
                continue
            kind = MEASURE_LABEL.get(m.group(1), m.group(1))
            found = Field("measure", f"{kind}@{iso(when)}", m.start(), m.end(), group)
            if in_sentence and in_sentence[-1].value.startswith(kind + "@") and approval:
                # 经本院批准逮捕，次日被执行逮捕: one arrest, executed on the later date.
                in_sentence[-1] = found
            else:
                in_sentence.append(found)
            approval = t.norm.endswith("批准", 0, m.start())
        out += in_sentence
        pos = stop
    return out


#
# Sentences and names
#


def sentence_bounds(t: Text, pos: int, start: int, end: int, stops: str = "。；;\n") -> tuple[int, int]:
    """The sentence around `pos` inside [start, end), ended by any of `stops`."""
    left = pos
    while left > start and t.norm[left - 1] not in stops:
        left -= 1
    right = pos
    while right < end and t.norm[right] not in stops:
        right += 1
    return trimmed(t, left, min(end, right + 1) if right < end and t.norm[right] == "。" else right)


class Names:
    """Finds which persons a sentence mentions (longest names first, so 张某某 is not read as 张某)."""

    def __init__(self, names: list[str]) -> None:
        self.groups = {name: i for i, name in enumerate(names, 1) if name}
        ordered = sorted(self.groups, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None

    def __len__(self) -> int:
        return len(self.groups)

    def in_span(self, t: Text, start: int, end: int) -> list[int]:
        if self.pattern is None:
            return []
        found = []
        for m in self.pattern.finditer(t.norm, start, end):
            group = self.groups[m.group()]
            if group not in found:
                found.append(group)
        return found

    def at(self, t: Text, pos: int) -> tuple[int, int]:
        """(group, end) of a name starting exactly at pos, or (0, pos)."""
        if self.pattern is not None and (m := self.pattern.match(t.norm, pos)):
            return self.groups[m.group()], m.end()
        return 0, pos

    def or_all(self, groups: list[int]) -> list[int]:
        """The groups named, or every person when none is named (其行为…)."""
        return groups or list(range(1, len(self.groups) + 1))


def recommendation_fields(t: Text, names: Names, start: int, end: int) -> Iterator[Field]:
    """建议判处被告人X有期徒刑一年… / 建议对被告人X判处… / 量刑建议为… for each person named."""
    for m in RECOMMEND.finditer(t.norm, start, end):
        pos = m.end()
        group, pos = names.at(t, pos)
        if t.norm.startswith("判处", pos):
            pos += 2
            if t.norm.startswith("被告人", pos):
                pos += 3
            if group == 0:
                group, pos = names.at(t, pos)
        elif not m.group().startswith(("量刑建议为", "被告人")):
            continue
        if m.group().startswith(("对", "被告人")) and group == 0:
            # ，对被告人Y判处… / ；被告人Y有期徒刑…: a further person of the same 建议, never an unnamed one.
            continue
        if t.norm.startswith("其", pos):
            pos += 1
        while pos < end and t.norm[pos] in "：: ":
            pos += 1
        if group == 0:
            s0, _ = sentence_bounds(t, m.start(), start, end)
            named = names.in_span(t, s0, m.start())
            group = named[-1] if named else (1 if len(names) == 1 else 0)
        yield from penalty_fields(t, pos, end, group)


def dated(name: str) -> Callable[[Text, int, int], Iterator[Field]]:
    """An extractor for the first date between start and end as field `name`."""

    def find(t: Text, start: int, end: int) -> Iterator[Field]:
        for m in DATE_SPAN.finditer(t.norm, start, end):
            d = date_at(t, m, 0)
            if d is not None:
                yield Field(name, iso(d), m.start(), m.end())
                return

    return find


def extract_fields(kind: str, text: str) -> list[Field]:
    """The fields of a document of `kind` (a DocumentKind value); unknown kinds give []."""
    from bihuan.documents.extract.kinds import EXTRACTORS

    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        return []
    return extractor(Text(text))
