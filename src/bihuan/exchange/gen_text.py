"""Chinese numerals, dates and the 起诉书 text written by `bihuan gencases`.

The 起诉书 follows the layout of a published one (domain-rules §5.3): header and 文号, one
paragraph per defendant, 本案由…移送起诉 with the 其间… sentence for extensions and returns,
经依法审查查明, evidence, 认罪认罚, 本院认为 with the article and the sentencing
recommendation, 此致 the court, the prosecutor, the date and the 附件.
"""

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from bihuan.cases.choices import CUSTODIAL_MEASURES, MeasureKind, Penalty

ARREST = MeasureKind.ARREST.label
DETENTION = MeasureKind.DETENTION.label
CUSTODIAL = frozenset(kind.label for kind in CUSTODIAL_MEASURES)
CRIMINAL_DETENTION = Penalty.CRIMINAL_DETENTION.label
DIGITS = "零一二三四五六七八九"
YEAR_DIGITS = "〇一二三四五六七八九"


def _section(n: int) -> str:
    """Numerals for 0 < n < 10000, with 零 for inner zeros (一千零一十)."""
    out = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero:
                out.append("零")
                zero = False
            out.append(DIGITS[digit] + unit)
        elif out:
            zero = True
    return "".join(out)


# The numerals and dates of a file come from small ranges (terms, fines, two years of days),
# so bounded caches serve nearly every call.
@lru_cache(maxsize=4096)
def cn_int(n: int) -> str:
    """A non-negative integer below 10^8 in Chinese numerals: 十五, 三千, 十二万五千."""
    if n == 0:
        return DIGITS[0]
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _section(low)
        return cn_int(high) + "万" + rest
    text = _section(n)
    return text[1:] if 10 <= n < 20 else text


@lru_cache(maxsize=1024)
def cn_months(months: int) -> str:
    """A term in months as written in judgments: 六个月, 一年, 二年六个月."""
    years, rest = divmod(months, 12)
    return (f"{cn_int(years)}年" if years else "") + (f"{cn_int(rest)}个月" if rest else "")


@lru_cache(maxsize=4096)
def cn_date(d: date) -> str:
    """The signing date of a document: 二〇二四年三月十九日."""
    return "".join(YEAR_DIGITS[int(c)] for c in str(d.year)) + f"年{cn_int(d.month)}月{cn_int(d.day)}日"


@lru_cache(maxsize=4096)
def ymd(d: date) -> str:
    """A date inside the body text: 2024年3月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def measure_sentence(measures: list, charge: str, org_name: str, supervision: bool, signed: date) -> str:
    """The 强制措施 sentence of a person paragraph, from the measures taken up to signing."""
    parts = []
    for kind, body, begin, _end, _place in measures:
        if begin > signed:
            break
        why = "" if parts else f"因涉嫌{charge}"
        if body != org_name:
            parts.append(f"{ymd(begin)}{why}被{body}{kind}")
        elif kind == ARREST and not supervision:
            parts.append(f"{ymd(begin)}{why}经本院批准逮捕")
        elif kind == DETENTION:
            parts.append(f"{ymd(begin)}{why}被本院先行拘留")
        else:
            parts.append(f"{ymd(begin)}{why}经本院决定{kind}")
    return "；".join(parts) + "。"


def custody_now(measures: list, signed: date) -> str:
    """Where the defendant is on the signing date, for the 附件: 现羁押于… or 现被取保候审."""
    kind, _body, _begin, _end, place = [m for m in measures if m[2] <= signed][-1]
    return f"现羁押于{place}" if kind in CUSTODIAL else f"现被{kind}"


def recommendation_clause(name: str, rec: dict | None, shift: int = 0) -> str:
    """建议判处被告人…, with the probation period the usual 1.5 × term (2 × for 拘役) and the fine.
    `shift` moves the printed term (a planted inconsistency with the card)."""
    if rec is None:
        return ""
    if rec["term_min"] is None:
        term = rec["penalty"]
    else:
        low, high = rec["term_min"] + shift, rec["term_max"] + shift
        term = rec["penalty"] + cn_months(low) + (f"至{cn_months(high)}" if high != low else "")
    clause = f"建议判处被告人{name}{term}"
    if rec["probation"] and rec["term_max"] is not None:
        if rec["penalty"] == CRIMINAL_DETENTION:
            probation = max(2, rec["term_max"] * 2)
        else:
            probation = max(12, rec["term_max"] * 3 // 2)
        clause += f"，缓刑{cn_months(min(probation, 60))}"
    if rec["fine"]:
        clause += f"，并处罚金人民币{cn_int(int(float(rec['fine'])))}元"
    return clause


class Defendant(NamedTuple):
    """What the 起诉书 prints about one defendant."""

    name: str
    gender: str
    birth: date
    id_number: str
    ethnicity: str
    education: str
    occupation: str
    household: str
    address: str
    prior: str
    measures: str  # the coercive-measure sentence, already written
    now: str  # 现羁押于… / 现被取保候审 for the 附件
    plea: bool
    recommendation: str  # 建议判处… clause, or ""


class Indictment(NamedTuple):
    org_name: str
    number: str
    agency: str
    supervision: bool  # 监察机关调查 rather than 侦查
    charge: str
    article: str
    received: date
    notified: date
    extension: tuple[date, date] | None
    returns: tuple[tuple[date, date], ...]
    facts: str
    conduct: str
    with_victim: bool
    defendants: tuple[Defendant, ...]
    court: str
    prosecutor: str
    assistant: str
    signed: date


def _person(d: Defendant) -> str:
    education = f"{d.education}文化" if d.education else "文化程度不详"
    prior = f"{d.prior}。" if d.prior else ""
    return (
        f"被告人{d.name}，{d.gender}，{ymd(d.birth)}出生，公民身份号码{d.id_number}，{d.ethnicity}，{education}，"
        f"{d.occupation}，户籍所在地{d.household}，现住{d.address}。{prior}{d.measures}"
    )


def _meanwhile(ind: Indictment) -> str:
    parts = []
    if ind.extension:
        start, end = ind.extension
        parts.append(f"因案件重大、复杂延长审查起诉期限一次（自{ymd(start)}至{ymd(end)}）")
    if ind.returns:
        spans = "；".join(f"自{ymd(a)}至{ymd(b)}" for a, b in ind.returns)
        what = "退回补充调查" if ind.supervision else "退回补充侦查"
        parts.append(f"因事实不清、证据不足{what}{cn_int(len(ind.returns))}次（{spans}）")
    return f"其间，{'，'.join(parts)}。" if parts else ""


def indictment_text(ind: Indictment) -> str:
    names = "、".join(d.name for d in ind.defendants)
    finished = "调查终结" if ind.supervision else "侦查终结"
    plea_names = "、".join(d.name for d in ind.defendants if d.plea)
    counsel = "值班律师" if plea_names else "辩护人"
    evidence = "1.书证；2.证人证言；3.被害人陈述；4.被告人的供述和辩解；5.鉴定意见；6.视听资料、电子数据。"
    if not ind.with_victim:
        evidence = "1.书证；2.证人证言；3.被告人的供述和辩解；4.鉴定意见；5.视听资料、电子数据。"
    lines = [ind.org_name, "起 诉 书", ind.number, ""]
    lines += [_person(d) for d in ind.defendants]
    lines.append(
        f"本案由{ind.agency}{finished}，以被告人{names}涉嫌{ind.charge}，于{ymd(ind.received)}向本院移送起诉。"
        f"本院受理后，于{ymd(ind.notified)}已告知被告人有权委托辩护人和认罪认罚可能导致的法律后果，依法讯问了被告人，"
        f"听取了被告人及其{counsel}的意见，审查了全部案件材料。{_meanwhile(ind)}"
    )
    lines.append(f"经依法审查查明：{ind.facts}")
    lines.append(f"认定上述事实的证据如下：{evidence}")
    if plea_names:
        lines.append(
            f"被告人{plea_names}自愿如实供述自己的罪行，承认指控的犯罪事实，愿意接受处罚，"
            f"并在值班律师见证下签署了认罪认罚具结书。"
        )
    joint = "，系共同犯罪" if len(ind.defendants) > 1 else ""
    reasoning = (
        f"本院认为，被告人{names}{ind.conduct}{joint}，其行为触犯了《中华人民共和国刑法》{ind.article}，"
        f"犯罪事实清楚，证据确实、充分，应当以{ind.charge}追究其刑事责任。"
    )
    if plea_names:
        reasoning += f"被告人{plea_names}认罪认罚，根据《中华人民共和国刑事诉讼法》第十五条的规定，可以从宽处理。"
    recommendations = "；".join(d.recommendation for d in ind.defendants if d.recommendation)
    if recommendations:
        reasoning += f"{recommendations}。"
    reasoning += "根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉，请依法判处。"
    lines += [reasoning, "此致", ind.court, "", f"检 察 官　{ind.prosecutor}"]
    if ind.assistant:
        lines.append(f"检察官助理　{ind.assistant}")
    lines += [cn_date(ind.signed), "（院印）", ""]
    attachments = ["；".join(f"被告人{d.name}{d.now}" for d in ind.defendants), "案卷材料和证据二册"]
    pleas = sum(d.plea for d in ind.defendants)
    if pleas:
        attachments.append(f"认罪认罚具结书{cn_int(pleas)}份")
    lines.append("附件：" + "；".join(f"{i}.{a}" for i, a in enumerate(attachments, 1)) + "。")
    return "\n".join(lines)
