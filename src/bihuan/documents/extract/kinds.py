"""Field extractors per document kind (DocumentKind values), built on the helpers in fields.py.

The 起诉书 follows the published layout (domain-rules §5.3): header with 文号, one paragraph per
被告人, 本案由…移送起诉 (with 其间… for extensions and returns), 经依法审查查明, evidence,
本院认为 (articles, charges, 认罪认罚, 量刑建议), 此致 the court, signatures, date, 附件.
Section starts use the boundary cues of §5.3.
"""

import re
from collections.abc import Callable, Iterator

from bihuan.documents.extract.fields import (
    CUSTODY_FREE,
    CUSTODY_PLACE,
    DATE_SPAN,
    Field,
    Names,
    Text,
    charges_in,
    criminal_law_articles,
    date_at,
    date_range,
    date_ranges,
    dated,
    dedupe,
    doc_number,
    iso,
    person_fields,
    recommendation_fields,
    relative_date,
    sentence_bounds,
    text_field,
    trimmed,
)
from bihuan.lib.cnnum import DATE, DAY, MONTH_DAY, cn_to_int

# A person paragraph is a line that starts with the role. Before 本案由 that is all a 起诉书 or
# 不起诉决定书 needs; in documents whose body also starts lines with the role ("犯罪嫌疑人张某涉嫌
# 盗窃罪一案，…" in an 起诉意见书) the line must also give the gender within its first items.
PERSON_LINE = re.compile(r"^[ \t]*(?:被告人|被不起诉人|犯罪嫌疑人)(?!单位)", re.M)
PERSON_LINE_STRICT = re.compile(
    r"^[ \t]*(?:被告人|被不起诉人|犯罪嫌疑人)(?!单位)(?=[^\n。]{0,90}?[，,](?:性别)?(?:男|女)[，,。])", re.M
)
PROCEDURE = re.compile(r"本案由|本案系|本案经")
FACTS = re.compile(r"经(?:本院)?(?:依法)?审查(?:查明|认定)|现查明|经审查，?查明")
REASONING = re.compile(r"本院(?:审查|仍然?)?认为|综上所述")
CLOSING = re.compile(r"此\s*致")
ATTACHMENT = re.compile(r"附\s*(?:件|项|注)?\s*[:：]")
TRANSFER = re.compile(rf"于\s*({DATE})\s*(?:向本院|向我院)?移送(?:本院|我院)?(?:审查)?起诉")
RECEIVED = re.compile(rf"(?:本院)?于\s*({DATE})\s*(?:依法)?受理")
NOTIFIED = re.compile(rf"于\s*({DATE}|同年\s*{MONTH_DAY}|同月\s*{DAY}\s*日)\s*(?:依法)?(?:已)?告知")
SUSPECTED = re.compile(r"涉嫌((?:(?!涉嫌|被告人|犯罪嫌疑人)[^，,。；]){2,80}罪)")
MEANWHILE = re.compile(r"其间[，,：:]?")
PERIOD_MARK = re.compile(r"延长审查起诉期限|退回[^，,。；（(]{0,10}?补充(?:侦查|调查)")
RETURNED = re.compile(
    rf"于\s*({DATE})\s*(?:将本案)?退回[^，,。；]{{0,10}}?补充(?:侦查|调查)[^。]{{0,60}}?于\s*({DATE}|{MONTH_DAY})"
    r"\s*(?:补充(?:侦查|调查)完毕)?(?:后)?(?:重新|再次)?移送"
)
CHARGE_CLAUSE = re.compile(r"以([^。；，,]{2,80}罪)(?=追究|论处|定罪)|(?<!不)构成([^。；，,]{2,80}罪)")
PLEA = re.compile(r"认罪认罚|签署了?《?认罪认罚具结书")
PLEA_NEGATIVE = re.compile(r"不认罪|拒不|拒绝签署|未签署|不同意|不愿|可能导致")
# Signature names are often spaced out to two characters' width: 王　丽.
SIGNER = r"([\u4e00-\u9fff·](?:[ \t]{0,2}[\u4e00-\u9fff·]){1,7})"
PROSECUTOR = re.compile(r"检[ \t]*察[ \t]*(?:官|员)(?![ \t]*助理)[ \t:：]*" + SIGNER)
ASSISTANT = re.compile(r"检察官助理[ \t:：]*" + SIGNER)
JOINED = re.compile(r"\s*[、和及与]\s*(?:被告人)?\s*")
ITEM = re.compile(r"[^；;。\n]+")
COURT = re.compile(r"此\s*致\s*[\n ]\s*([^\n]{2,40}?人民法院)")


def _starts(t: Text) -> dict[str, int]:
    """Where each section of a 起诉书 begins (the end of the text when it is missing)."""
    n = len(t.norm)

    def first(pattern: re.Pattern[str], after: int) -> int:
        m = pattern.search(t.norm, after)
        return m.start() if m else n

    persons = first(PERSON_LINE, 0)
    procedure = first(PROCEDURE, persons)
    facts = first(FACTS, min(procedure, n))
    reasoning = first(REASONING, min(facts, n) if facts < n else procedure)
    closing = first(CLOSING, min(reasoning, n) if reasoning < n else procedure)
    attachment = first(ATTACHMENT, closing if closing < n else procedure)
    return {
        "persons": persons,
        "procedure": procedure,
        "facts": facts,
        "reasoning": reasoning,
        "closing": closing,
        "attachment": attachment,
    }


def _persons(t: Text, start: int, end: int, strict: bool = False) -> tuple[Names, list[Field]]:
    """Each person paragraph between start and end: from a line starting with the role up to the next
    one (or `end`); in strict mode, where other text follows the persons, up to the end of its line."""
    lines = [m.start() for m in (PERSON_LINE_STRICT if strict else PERSON_LINE).finditer(t.norm, start, end)]
    names: list[str] = []
    out: list[Field] = []
    for i, line_start in enumerate(lines):
        line_end = lines[i + 1] if i + 1 < len(lines) else end
        if strict and (newline := t.norm.find("\n", line_start, line_end)) >= 0:
            line_end = newline
        head = trimmed(t, line_start, line_end)[0]
        name, fields = person_fields(t, head, line_end, i + 1)
        names.append(name)
        out += fields
    return Names(names), out


def date_field(t: Text, name: str, m: re.Match[str]) -> Field | None:
    """The date of group 1 as field `name`, or None when it is no real date (2024年2月30日)."""
    d = date_at(t, m)
    return None if d is None else Field(name, iso(d), m.start(1), m.end(1))


def _procedure(t: Text, start: int, end: int) -> Iterator[Field | None]:
    if m := TRANSFER.search(t.norm, start, end):
        yield date_field(t, "transfer_date", m)
    if m := RECEIVED.search(t.norm, start, end):
        yield date_field(t, "received_date", m)
    if m := NOTIFIED.search(t.norm, start, end):
        # 于同年3月11日 / 于同月16日 count from the 移送 date before it.
        transfer = TRANSFER.search(t.norm, start, m.start())
        notified = relative_date(t, m.start(1), m.end(1), date_at(t, transfer) if transfer else None)
        if notified is not None:
            yield Field("notified_date", iso(notified), m.start(1), m.end(1))
    for m in SUSPECTED.finditer(t.norm, start, end):
        for name, s, e in charges_in(t, m.start(1), m.end(1)):
            yield Field("transfer_charge", name, s, e)
    if m := MEANWHILE.search(t.norm, start, end):
        stop = t.norm.find("。", m.end(), end)
        stop = end if stop < 0 else stop
        marks = list(PERIOD_MARK.finditer(t.norm, m.end(), stop))
        for i, mark in enumerate(marks):
            name = "extension" if mark.group().startswith("延长") else "supplementary"
            yield from date_ranges(t, name, mark.end(), marks[i + 1].start() if i + 1 < len(marks) else stop)
    for m in RETURNED.finditer(t.norm, start, end):
        # 本院于X退回…补充侦查，…于Y重新移送: the range X/Y.
        yield date_range(t, "supplementary", m)


def _reasoning(t: Text, names: Names, start: int, end: int) -> Iterator[Field | None]:
    yield from criminal_law_articles(t, start, end)
    for m in CHARGE_CLAUSE.finditer(t.norm, start, end):
        s0, _ = sentence_bounds(t, m.start(), start, end)
        groups = names.or_all(names.in_span(t, s0, m.start()))
        which = 1 if m.group(1) else 2
        for name, s, e in charges_in(t, m.start(which), m.end(which)):
            for group in groups:
                yield Field("charge", name, s, e, group)
    yield from recommendation_fields(t, names, start, end)


def _plea(t: Text, names: Names, start: int, end: int) -> Iterator[Field | None]:
    """认罪认罚 statements after the procedure paragraph, one per person named (CPL 15, 174)."""
    for m in PLEA.finditer(t.norm, start, end):
        s0, s1 = sentence_bounds(t, m.start(), start, end, stops="。\n")
        if PLEA_NEGATIVE.search(t.norm, s0, s1):
            continue
        for group in names.or_all(names.in_span(t, s0, s1)):
            yield Field("plea", "是", s0, s1, group)


def _closing(t: Text, start: int, end: int) -> Iterator[Field | None]:
    if m := COURT.search(t.norm, start, end):
        yield text_field(t, "court", m.start(1), m.end(1))
    sign_from = start
    for m in PROSECUTOR.finditer(t.norm, start, end):
        yield signer(t, "prosecutor", m)
        sign_from = m.end()
    for m in ASSISTANT.finditer(t.norm, start, end):
        yield signer(t, "assistant", m)
        sign_from = max(sign_from, m.end())
    yield from dated("signed_date")(t, sign_from, end)


def signer(t: Text, name: str, m: re.Match[str]) -> Field:
    """A signing person's name, with the spacing between its characters removed from the value."""
    return Field(name, re.sub(r"\s", "", t.raw[m.start(1) : m.end(1)]), m.start(1), m.end(1))


def _attachment(t: Text, names: Names, start: int, end: int) -> Iterator[Field | None]:
    """附件 item 1: 被告人X、Y现羁押于…看守所，被告人Z现被取保候审 — one status per person named
    (the only person when the document has one); names joined by 、 share what follows them."""
    for item in ITEM.finditer(t.norm, start, end):
        named = list(names.pattern.finditer(t.norm, item.start(), item.end())) if names.pattern else []
        if not named and len(names) != 1:
            continue
        if not named:
            spans = [(1, item.start(), item.end())]
        else:
            ends = [m.start() for m in named[1:]] + [item.end()]
            spans = [(names.groups[m.group()], m.end(), stop) for m, stop in zip(named, ends, strict=True)]
        status: list[Field | None] = []
        for group, s0, s1 in reversed(spans):
            if JOINED.fullmatch(t.norm, s0, s1) and status:
                status = [None if f is None else Field(f.name, f.value, f.start, f.end, group) for f in status]
            elif held := CUSTODY_PLACE.search(t.norm, s0, s1):
                status = [
                    Field("custody_status", "在押", held.start(), held.end(), group),
                    text_field(t, "custody_place", held.start(1), held.end(1), group),
                ]
            elif free := CUSTODY_FREE.search(t.norm, s0, s1):
                status = [Field("custody_status", free.group(1), free.start(1), free.end(1), group)]
            else:
                status = []
            yield from status


def indictment(t: Text) -> list[Field]:
    """起诉书 (CPL 176; Rule 358–359)."""
    s = _starts(t)
    names, persons = _persons(t, s["persons"], s["procedure"])
    out: list[Field | None] = [doc_number(t, 0, s["persons"])]
    out += persons
    out += _procedure(t, s["procedure"], s["facts"])
    out += _plea(t, names, s["facts"] if s["facts"] < len(t.norm) else s["procedure"], s["closing"])
    out += _reasoning(t, names, s["reasoning"], s["closing"])
    out += _closing(t, s["closing"], s["attachment"])
    out += _attachment(t, names, s["attachment"], len(t.norm))
    return dedupe(out)


#
# Other kinds
#

CPL_CITE = re.compile(
    r"《(?:中华人民共和国)?刑事诉讼法》((?:[、，,和及与]?第[一二三四五六七八九十百零\d]+条(?:第[一二三四五六七八九十\d]+款)?"
    r"(?:第[（(]?[一二三四五六七八九十\d]+[)）]?项)?)+)"
)
CPL_ITEM = re.compile(r"第([一二三四五六七八九十百零\d]+)条(?:第([一二三四五六七八九十\d]+)款)?")
# 不起诉 type by the CPL provision the decision rests on (domain-rules §5.3; CPL 16, 175, 177, 282).
NON_PROSECUTION_TYPES = {
    (177, 1): "法定不起诉",
    (16, 0): "法定不起诉",
    (175, 4): "存疑不起诉",
    (177, 2): "相对不起诉",
    (282, 1): "附条件不起诉",
}
SIGNED_BY = re.compile(r"(?:具结人|犯罪嫌疑人|被告人)(?:签名|签字)?[：:]\s*([\u4e00-\u9fff·]{2,8})")
LAWYER = re.compile(r"(?:值班律师|辩护人|辩护律师)(?:签名|签字)?[：:][ \t]*([\u4e00-\u9fff·]{2,8})")
SUSPECT_CASE = re.compile(
    r"(?:犯罪嫌疑人|被告人|被调查人|被不起诉人)((?:[\u4e00-\u9fff·]{1,12}?[、和])*[\u4e00-\u9fff·]{1,12}?)"
    r"(?:（[^）]{1,30}）)?(?:等[一二三四五六七八九十\d]*人)?涉嫌"
)
NAME_IN_LIST = re.compile(r"[^、和]+")
ROUND = re.compile(r"[（(]?第([一二三四五六七八九\d])次[）)]?")
ADDRESSEE = re.compile(r"^[ \t]*([^\n：:，。]{2,40}?(?:局|委员会|分局|大队|支队|检察院|人民法院|看守所))[：:]", re.M)
TITLE_MEASURE = re.compile(r"(指定居所监视居住|监视居住|取保候审|刑事拘留|拘留|逮捕)(?:决定书|通知书|执行通知书)")
MEASURE_FROM = re.compile(rf"(?:期限)?(?:从|自)\s*({DATE})\s*起(?:算)?")
SENT_TO = re.compile(r"送(?:往)?([^，。；\n]{2,30}?(?:看守所|拘留所))(?:羁押)?")


def _cpl_decision(t: Text) -> Iterator[Field]:
    for cite in CPL_CITE.finditer(t.norm):
        for item in CPL_ITEM.finditer(t.norm, cite.start(1), cite.end(1)):
            article = cn_to_int(item.group(1))
            paragraph = cn_to_int(item.group(2)) if item.group(2) else 0
            kind = NON_PROSECUTION_TYPES.get((article, paragraph)) or NON_PROSECUTION_TYPES.get((article, 0))
            if kind:
                yield Field("decision", kind, item.start(), item.end())


def _suspect_names(t: Text, start: int, end: int) -> tuple[Names, list[Field]]:
    """Persons of a document without person paragraphs, from 犯罪嫌疑人X涉嫌… / 被告人X涉嫌…."""
    names: list[str] = []
    out = []
    for m in SUSPECT_CASE.finditer(t.norm, start, end):
        for item in NAME_IN_LIST.finditer(t.norm, m.start(1), m.end(1)):
            if item.group() not in names:
                names.append(item.group())
                out.append(Field("name", item.group(), item.start(), item.end(), len(names)))
    return Names(names), out


def _last_date(t: Text, name: str, start: int, end: int) -> Iterator[Field]:
    found = None
    for m in DATE_SPAN.finditer(t.norm, start, end):
        found = m
    if found is not None and (d := date_at(t, found, 0)) is not None:
        yield Field(name, iso(d), found.start(), found.end())


def non_prosecution(t: Text) -> list[Field]:
    """不起诉决定书 (CPL 177–178; Rule 377): persons, 移送 date, periods, articles, type, date."""
    s = _starts(t)
    names, persons = _persons(t, s["persons"], s["procedure"])
    appeal = t.norm.find("如不服", s["reasoning"])
    appeal = len(t.norm) if appeal < 0 else appeal
    out: list[Field | None] = [doc_number(t, 0, s["persons"]), *persons]
    out += _procedure(t, s["procedure"], s["facts"])
    out += criminal_law_articles(t, s["reasoning"], appeal)
    out += _cpl_decision(t)
    out += _last_date(t, "signed_date", appeal, len(t.norm))
    return dedupe(out)


def plea_agreement(t: Text) -> list[Field]:
    """认罪认罚具结书 (CPL 174; Rule 272): identity, charge, 量刑建议, signer's date, lawyer."""
    out: list[Field | None] = []
    head = re.search(r"姓名|具结人", t.norm)
    names = Names([])
    if head is not None:
        line_end = t.norm.find("\n", head.start())
        name, persons = person_fields(t, head.start(), len(t.norm) if line_end < 0 else line_end, 1)
        names = Names([name])
        out += persons
    out += _reasoning(t, names, 0, len(t.norm))
    signed = SIGNED_BY.search(t.norm)
    if signed is not None:
        out += dated("signed_date")(t, signed.end(), len(t.norm))
    for m in LAWYER.finditer(t.norm):
        out.append(text_field(t, "lawyer", m.start(1), m.end(1)))
    return dedupe(out)


def sentencing(t: Text) -> list[Field]:
    """量刑建议书 (Rule 364): number, defendant, charge, articles, recommendation, court, signer, date."""
    number = doc_number(t, 0, 400)
    body = number.end if number else 0
    found = CLOSING.search(t.norm, body)
    closing = found.start() if found else len(t.norm)
    names, persons = _suspect_names(t, body, closing)
    out: list[Field | None] = [number, *persons]
    out += _reasoning(t, names, body, closing)
    out += _closing(t, closing, len(t.norm))
    return dedupe(out)


def supplementary(t: Text) -> list[Field]:
    """退回补充侦查决定书 (CPL 175(2); Rule 342–343): number, addressee, persons, charge, 第几次, period, date."""
    number = doc_number(t, 0, 400)
    body = number.end if number else 0
    names, persons = _suspect_names(t, body, len(t.norm))
    out: list[Field | None] = [number, *persons]
    if m := ADDRESSEE.search(t.norm, body):
        out.append(text_field(t, "addressee", m.start(1), m.end(1)))
    for m in SUSPECTED.finditer(t.norm, body):
        out += [Field("charge", name, s0, s1) for name, s0, s1 in charges_in(t, m.start(1), m.end(1))]
        break
    if m := ROUND.search(t.norm, body):
        out.append(Field("round", str(cn_to_int(m.group(1))), m.start(), m.end()))
    out += date_ranges(t, "supplementary", body, len(t.norm))
    out += _last_date(t, "signed_date", body, len(t.norm))
    return dedupe(out)


def extension(t: Text) -> list[Field]:
    """延长审查起诉期限决定书 (CPL 172; Rule 351): number, persons, charge, receipt, the range, date."""
    number = doc_number(t, 0, 400)
    body = number.end if number else 0
    names, persons = _suspect_names(t, body, len(t.norm))
    out: list[Field | None] = [number, *persons]
    for m in SUSPECTED.finditer(t.norm, body):
        out += [Field("charge", name, s0, s1) for name, s0, s1 in charges_in(t, m.start(1), m.end(1))]
        break
    if m := RECEIVED.search(t.norm, body):
        out.append(date_field(t, "received_date", m))
    out += date_ranges(t, "extension", body, len(t.norm))
    out += _last_date(t, "signed_date", body, len(t.norm))
    return dedupe(out)


def measure(t: Text) -> list[Field]:
    """强制措施文书 (取保候审/监视居住/逮捕 决定书, Rule 103, 113): kind, person, start date, place, date."""
    number = doc_number(t, 0, 400)
    body = number.end if number else 0
    out: list[Field | None] = [number]
    title = TITLE_MEASURE.search(t.norm, 0, body or 200)
    names, persons = _persons(t, body, len(t.norm), strict=True)
    if not len(names):
        names, persons = _suspect_names(t, body, len(t.norm))
    out += [f for f in persons if f.name != "measure"]
    for m in SUSPECTED.finditer(t.norm, body):
        out += [Field("charge", name, s0, s1) for name, s0, s1 in charges_in(t, m.start(1), m.end(1))]
        break
    signed = list(_last_date(t, "signed_date", body, len(t.norm)))
    out += signed
    if title is not None:
        kind = title.group(1) if title.group(1) != "拘留" else "刑事拘留"
        out.append(Field("measure_kind", kind, title.start(1), title.end(1)))
        since = MEASURE_FROM.search(t.norm, body)
        started = date_at(t, since) if since else None
        when = iso(started) if started else (signed[0].value if signed else "")
        if when:
            out.append(Field("measure", f"{kind}@{when}", title.start(1), title.end(1), 1))
    for m in SENT_TO.finditer(t.norm, body):
        out.append(text_field(t, "custody_place", m.start(1), m.end(1), 1))
    return dedupe(out)


def recommendation(t: Text) -> list[Field]:
    """起诉意见书 / 提请批准逮捕书 (CPL 162, 87): agency, number, persons, charges, articles, addressee, date."""
    s = _starts(t)
    out: list[Field | None] = []
    if agency := AGENCY.match(t.norm):
        out.append(text_field(t, "agency", agency.start(1), agency.end(1)))
    out.append(doc_number(t, 0, s["persons"]))
    names, persons = _persons(t, s["persons"], len(t.norm), strict=True)
    out += persons
    conclusion = REASONING.search(t.norm, s["persons"])
    tail_from = conclusion.start() if conclusion else s["persons"]
    found = CLOSING.search(t.norm, tail_from)
    closing = found.start() if found else len(t.norm)
    for m in SUSPECTED.finditer(t.norm, tail_from, closing):
        out += [Field("charge", name, s0, s1) for name, s0, s1 in charges_in(t, m.start(1), m.end(1))]
    out += criminal_law_articles(t, tail_from, closing)
    if m := COURT_OR_PROCURATORATE.search(t.norm, closing):
        out.append(text_field(t, "addressee", m.start(1), m.end(1)))
    out += _last_date(t, "signed_date", closing, len(t.norm))
    return dedupe(out)


# The first line of an 起诉意见书 / 提请批准逮捕书 names the investigating agency.
AGENCY = re.compile(r"\s*([^\n]{2,40}?(?:局|分局|委员会|大队|支队|海关))[ \t]*\n")
COURT_OR_PROCURATORATE = re.compile(r"此\s*致\s*[\n ]\s*([^\n]{2,40}?(?:人民检察院|人民法院))")

EXTRACTORS: dict[str, Callable[[Text], list[Field]]] = {
    "indictment": indictment,
    "non_prosecution": non_prosecution,
    "plea_agreement": plea_agreement,
    "sentencing": sentencing,
    "supplementary": supplementary,
    "extension": extension,
    "measure": measure,
    "recommendation": recommendation,
    "arrest_request": recommendation,
}
