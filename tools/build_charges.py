#!/usr/bin/env python3
"""Build the official catalogue of criminal charge names (罪名) from the legal texts.

Usage::

    python tools/build_charges.py                  # rewrites src/bihuan/cases/data/charges.json
    python tools/build_charges.py --out /tmp/x.json [--law-dir DIR]

Sources (``shared/data/law``, see its README), applied in this order:

1. 最高人民检察院《关于适用刑法分则规定的犯罪的罪名的意见》(1997-12-25): the base list, 414 names.
2. The eight 最高人民法院、最高人民检察院《关于执行〈中华人民共和国刑法〉确定罪名的补充规定》:
   2002 (officially unnumbered, called 补充规定（一） here), 2003（二）, 2007（三）, 2009（四）,
   2011（五）, 2015（六）, 2021（七）, 2024（八）. Each row of their tables names the new charge(s)
   for an article and, in brackets, the names it cancels (取消…罪名). A row that only cancels
   removes the charge; a new name paired with a cancelled name of the same article is a rename.
3. 《刑法》 (consolidated through Amendment XII) for the chapter of every article, and as a check:
   every article the catalogue cites exists, every paragraph a current charge cites exists, the
   1997 list's chapters agree with the law's, and every inserted article (第N条之M) has a charge.

Result (printed on every run): 414 names in 1997; 418 after 补充规定（一）, 422 after（二）, 435
after（三）, 444 after（四）, 451 after（五）, 468 after（六）, 483 after（七）, and 483 after（八）,
which only renames one charge.

The script stops with an error on anything it does not understand: an unparsed table row, a
cancelled name that is not in the catalogue, a pure addition that overlaps an existing charge's
provision without being classified below. Every correction of the transcriptions is listed in
``FIXES_1997`` and the other tables below, each with the file it concerns.

Output: a JSON list, one object per charge, sorted by article (main number, then 之N), then by code::

    {"code": "133-1.01", "name": "危险驾驶罪", "article": "第一百三十三条之一", "article_no": "133-1",
     "chapter": "第二章 危害公共安全罪", "source": "补充规定（五）"}

``code`` is ``<article_no>.<slot>``: ``slot`` is the two-digit rank, within the article, of the
charge in order of introduction (1997 list order first, then supplement order). A renamed charge
keeps its slot (投毒罪 → 投放危险物质罪 stays 114.04); an abolished or merged-away charge's slot is
never reused, so gaps mark removals (186.01 违法向关系人发放贷款罪 was merged into 186.02 违法发放贷款罪
in 2007). Codes therefore never change when a later supplement adds, renames or removes another
charge; only a charge whose article changes gets a new code (走私固体废物罪 at 155 → 走私废物罪 152.02).

骗购外汇罪 is the one charge defined outside the Criminal Law, by Art. 1 of the NPCSC Decision of
1998-12-29 on foreign-exchange fraud (named by 补充规定（一）). It gets ``article_no`` ``"D1"`` and
code ``"D1.01"``, the chapter of the exchange-control offences it belongs with (第三章), and sorts
right after 逃汇罪 (Art. 190, which the same Decision rewrote).

``source`` is the document that gave the charge its current name: ``罪名意见（1997）`` or
``补充规定（一）`` … ``补充规定（八）``. A supplement that only restates an existing name (强奸罪 in
2002, 违法发放贷款罪 in 2007) does not change it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "bihuan" / "cases" / "data" / "charges.json"

BASE_FILE = "最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见(1997-12-25).md"
BASE_LABEL = "罪名意见（1997）"
CRIMINAL_LAW_FILE = "刑法.md"
_SUPPLEMENT = "最高人民法院、最高人民检察院关于执行《刑法》确定罪名的补充规定"
# The order matters: each supplement amends the catalogue left by the ones before it.
SUPPLEMENTS: list[tuple[str, str]] = [
    ("补充规定（一）", f"{_SUPPLEMENT}(2002-03-15).md"),
    ("补充规定（二）", f"{_SUPPLEMENT}（二）(2003-08-15).md"),
    ("补充规定（三）", f"{_SUPPLEMENT}（三）(2007-10-25).md"),
    ("补充规定（四）", f"{_SUPPLEMENT}（四）(2009-10-14).md"),
    ("补充规定（五）", f"{_SUPPLEMENT}（五）(2011-04-27).md"),
    ("补充规定（六）", f"{_SUPPLEMENT}（六）(2015-10-30).md"),
    ("补充规定（七）", f"{_SUPPLEMENT}（七）(2021-02-26).md"),
    ("补充规定（八）", f"{_SUPPLEMENT}（八）(2024-01-30).md"),
]

# Article key of 骗购外汇罪 (see the module docstring): sorts after every charge of Art. 190.
DECISION_ARTICLE = (190, 0, 1)
# The title as 补充规定（一） cites it (without the issuing body), which keeps the text within 40
# characters (Charge.article is a CharField(max_length=40)).
DECISION_ARTICLE_TEXT = "《关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定》第一条"
DECISION_ARTICLE_NO = "D1"
DECISION_CHAPTER = "第三章 破坏社会主义市场经济秩序罪"

#
# Corrections and classifications of the transcriptions
#

# 1997 意见 file: text errors, replaced before parsing. Each must occur exactly once.
FIXES_1997: list[tuple[str, str, str]] = [
    # Item 13 has lost its number ("放火罪（第114条…" follows the chapter heading directly).
    ("\n放火罪（第114条", "\n13．放火罪（第114条", "item 13 lacks its number"),
    # Item 96: the official name has an enumeration comma, like item 97 and Art. 178 itself
    # (“伪造、变造国库券或者国家发行的其他有价证券”).
    ("96．伪造变造国家有价证券罪", "96．伪造、变造国家有价证券罪", "missing 、"),
    # Item 323: "第2条" for "第2款" (Art. 371 para. 2 is the 军事管理区 offence).
    ("（第371条第2条）", "（第371条第2款）", "条 for 款"),
    # Item 396: "剌" (là) is a look-alike of "刺" (cì); compare item 11 and Art. 431 para. 2.
    ("剌探", "刺探", "剌 for 刺"),
]

# 补充规定（一）(2002) lists amended names of amended articles without a 取消 clause. The amendment
# each row cites rewrote the article, so the new name replaces the 1997 one (补充规定（三）then
# cancels "操纵证券、期货交易价格罪", confirming that the 2002 name had replaced the 1997 one).
IMPLICIT_RENAMES: dict[tuple[str, str], str] = {
    ("补充规定（一）", "盗窃、抢夺枪支、弹药、爆炸物、危险物质罪"): "盗窃、抢夺枪支、弹药、爆炸物罪",
    ("补充规定（一）", "抢劫枪支、弹药、爆炸物、危险物质罪"): "抢劫枪支、弹药、爆炸物罪",
    ("补充规定（一）", "伪造、变造、转让金融机构经营许可证、批准文件罪"): "伪造、变造、转让金融机构经营许可证罪",
    ("补充规定（一）", "编造并传播证券、期货交易虚假信息罪"): "编造并传播证券交易虚假信息罪",
    ("补充规定（一）", "诱骗投资者买卖证券、期货合约罪"): "诱骗投资者买卖证券罪",
    ("补充规定（一）", "操纵证券、期货交易价格罪"): "操纵证券交易价格罪",
}

# Pure additions (no 取消 clause) whose provision overlaps a charge already in the catalogue. Each
# was checked against the amendment it cites: a new paragraph or offence beside the old one, not a
# rename. Any other overlapping addition stops the build, so that a silent rename cannot slip in.
CONFIRMED_ADDITIONS: set[tuple[str, str]] = {
    ("补充规定（三）", "强令违章冒险作业罪"),  # Art. 134 para. 2 beside 重大责任事故罪 (para. 1)
    ("补充规定（三）", "开设赌场罪"),  # Art. 303 para. 2 beside 赌博罪 (para. 1)
    ("补充规定（三）", "过失损坏武器装备、军事设施、军事通信罪"),  # Art. 369 para. 2
    ("补充规定（四）", "利用未公开信息交易罪"),  # Art. 180 para. 4 beside 内幕交易、泄露内幕信息罪
    ("补充规定（四）", "非法获取计算机信息系统数据、非法控制计算机信息系统罪"),  # Art. 285 para. 2
    ("补充规定（四）", "提供侵入、非法控制计算机信息系统程序、工具罪"),  # Art. 285 para. 3
    ("补充规定（五）", "对外国公职人员、国际公共组织官员行贿罪"),  # Art. 164 para. 2
    ("补充规定（六）", "编造、故意传播虚假信息罪"),  # Art. 291-1 para. 2
    ("补充规定（七）", "袭警罪"),  # Art. 277 para. 5 beside 妨害公务罪
    ("补充规定（七）", "组织参与国（境）外赌博罪"),  # Art. 303 para. 3
}

# Names that 补充规定（一）cancels but that the 1997 意见 never used: they come from the Supreme
# People's Court's own 1997 list, which the supplement unifies with the procuratorate's. The
# procuratorate's list already has the unified name, so there is nothing to remove.
CANCELLED_COURT_ONLY_NAMES: set[tuple[str, str]] = {
    ("补充规定（一）", "枉法裁判罪"),  # the 意见 already says 民事、行政枉法裁判罪 (item 356)
    ("补充规定（一）", "国家机关工作人员签订、履行合同失职罪"),  # the 意见 says …失职被骗罪 (item 365)
}

# 补充规定（一）, Art. 397 row: two names in one cell joined by "、" (elsewhere cells separate names
# by a space or "；"). Splitting on "罪、" in general would break names such as
# 拒绝提供间谍犯罪、恐怖主义犯罪、极端主义犯罪证据罪, so the split is made for this cell only.
SPLIT_CELLS: dict[str, list[str]] = {
    "滥用职权罪、玩忽职守罪": ["滥用职权罪", "玩忽职守罪"],
}

# Other transcription defects that need no correction, documented here so they are not "fixed" by
# accident: 补充规定（一）'s Art. 291-1 row is split over two lines, the second with an empty article
# cell (inherited from the row above); 补充规定（四）'s table is split in two and the second table's
# first data row sits in the header position (all non-separator rows are read, only the literal
# header "刑法条文 | 罪名" is skipped); 补充规定（七） breaks three names with a space
# ("非法提供 商业秘密罪", "走私 人类遗传资源材料罪", "出售 陆生野生动物罪"), joined again because the
# fragment before the space does not end in 罪; the citations "（《刑法修正案（七）》第11）"
# (补充规定（四）) and "（《刑法修正案（十》）" (补充规定（七）) are truncated, but only the Criminal
# Law article in front of them is read.

#
# Numbers and article references
#

CN_DIGITS = "零一二三四五六七八九"
CN_NUMBER = "[0-9零〇一二三四五六七八九十百]+"


def cn_to_int(text: str) -> int:
    """Parse an Arabic or Chinese number below 1000 ("一百三十三", "十二", "133")."""
    if text.isdigit():
        return int(text)
    total = 0
    digit = 0
    for char in text:
        if char in "零〇":
            continue
        if char == "百":
            total += digit * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = CN_DIGITS.index(char)
    return total + digit


def int_to_cn(number: int) -> str:
    """Write a number below 1000 as the Criminal Law does ("一百一十", "二百零五", "十二")."""
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += CN_DIGITS[hundreds] + "百"
    if tens:
        out += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += CN_DIGITS[ones]
    return out


# An article key is (main number, 之N number or 0, 0); 骗购外汇罪 uses DECISION_ARTICLE.
ArticleKey = tuple[int, int, int]


def article_text(key: ArticleKey) -> str:
    if key == DECISION_ARTICLE:
        return DECISION_ARTICLE_TEXT
    main, sub, _ = key
    return f"第{int_to_cn(main)}条" + (f"之{int_to_cn(sub)}" if sub else "")


def article_no(key: ArticleKey) -> str:
    if key == DECISION_ARTICLE:
        return DECISION_ARTICLE_NO
    main, sub, _ = key
    return f"{main}-{sub}" if sub else str(main)


@dataclass(frozen=True)
class Provision:
    """One article with the paragraphs (款) cited; no paragraphs means the whole article."""

    article: ArticleKey
    paragraphs: tuple[int, ...] = ()

    def overlaps(self, other: Provision) -> bool:
        if self.article != other.article:
            return False
        if not self.paragraphs or not other.paragraphs:
            return True
        return bool(set(self.paragraphs) & set(other.paragraphs))


REF_TOKEN = re.compile(rf"第({CN_NUMBER})(条|款|项)(?:之({CN_NUMBER}))?")


def parse_refs(text: str, context: ArticleKey | None = None) -> list[Provision]:
    """Parse "第114条、第115条第1款" or "第二百八十四条之一第一款、第二款" into provisions.

    A reference that starts with a paragraph ("第3款") belongs to ``context``, the article of the
    previous reference in the same cell. Items (项) are accepted and ignored.
    """
    text = text.strip()
    if text.startswith("《决定》"):
        return [Provision(DECISION_ARTICLE)]
    provisions: list[tuple[ArticleKey, list[int]]] = []
    first = REF_TOKEN.match(text)
    if context is not None and first and first.group(2) == "款":
        provisions.append((context, []))
    position = 0
    for match in REF_TOKEN.finditer(text):
        between = text[position : match.start()]
        if between.strip(" 、，和") != "":
            raise ValueError(f"unexpected text {between!r} in reference {text!r}")
        position = match.end()
        number, unit, sub = match.groups()
        if unit == "条":
            provisions.append(((cn_to_int(number), cn_to_int(sub) if sub else 0, 0), []))
        elif unit == "款":
            if not provisions:
                raise ValueError(f"paragraph without article in {text!r}")
            provisions[-1][1].append(cn_to_int(number))
        elif sub:
            raise ValueError(f"unexpected 之 after 项 in {text!r}")
    if text[position:].strip(" 、，") != "" or not provisions:
        raise ValueError(f"cannot parse reference {text!r}")
    return [Provision(key, tuple(paragraphs)) for key, paragraphs in provisions]


#
# The Criminal Law: chapters and articles
#

ARTICLE_HEADING = re.compile(r"^第([零一二三四五六七八九十百]+)条(?:之([一二三四五六七八九十]+))?\s")
ITEM_LINE = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class CriminalLaw:
    chapter_of: dict[ArticleKey, str] = field(default_factory=dict)
    paragraph_count: dict[ArticleKey, int] = field(default_factory=dict)


def read_criminal_law(path: Path) -> CriminalLaw:
    """Read the chapter of every article of the 分则 and count each article's paragraphs.

    Paragraphs are the article's lines other than enumerated items ("（一）…") and footnotes.
    """
    law = CriminalLaw()
    in_specific_part = False
    chapter = ""
    current: ArticleKey | None = None
    previous: ArticleKey = (0, 0, 0)
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            in_specific_part = line == "## 第二编 分则"
            current = None
            continue
        if not in_specific_part or not line:
            continue
        if line.startswith("### "):
            chapter = line[4:].strip()
            current = None
            continue
        if line.startswith("#"):
            continue
        heading = ARTICLE_HEADING.match(line)
        if heading:
            main = cn_to_int(heading.group(1))
            sub = cn_to_int(heading.group(2)) if heading.group(2) else 0
            current = (main, sub, 0)
            if current <= previous or article_text(current) != line[: heading.end()].strip():
                raise ValueError(f"{path.name}: article heading out of order or not canonical: {line[:20]}")
            previous = current
            law.chapter_of[current] = chapter
            law.paragraph_count[current] = 1
        elif current is not None and not ITEM_LINE.match(line) and not line.startswith("①"):
            law.paragraph_count[current] += 1
    if len(law.chapter_of) < 400:
        raise ValueError(f"{path.name}: only {len(law.chapter_of)} articles found in 第二编 分则")
    return law


#
# The catalogue being built
#


@dataclass
class Charge:
    name: str
    provisions: list[Provision]
    slot: int
    source: str
    # Identifies the charge across renames while the catalogue is built (never output).
    serial: int

    @property
    def article(self) -> ArticleKey:
        return self.provisions[0].article


@dataclass
class Catalogue:
    charges: list[Charge] = field(default_factory=list)
    # Highest slot ever used per article, removed charges included: slots are never reused.
    last_slot: dict[ArticleKey, int] = field(default_factory=dict)
    # The name each charge was created with, by serial.
    serials: list[str] = field(default_factory=list)

    def find(self, name: str) -> Charge | None:
        return next((charge for charge in self.charges if charge.name == name), None)

    def add(self, name: str, provisions: list[Provision], source: str) -> Charge:
        if self.find(name):
            raise ValueError(f"{source}: {name} is already in the catalogue")
        key = provisions[0].article
        self.last_slot[key] = self.last_slot.get(key, 0) + 1
        charge = Charge(name, provisions, self.last_slot[key], source, serial=len(self.serials))
        self.serials.append(name)
        self.charges.append(charge)
        return charge


ITEM_1997 = re.compile(r"^(?:(\d+)．)?(.+罪)（(第[^（）]*)）$")


def read_base_list(path: Path, law: CriminalLaw) -> Catalogue:
    """Read the 1997 意见: chapters ("## 第N章 …") and numbered items "N．名称罪（第X条…）"."""
    text = path.read_text(encoding="utf-8")
    for old, new, why in FIXES_1997:
        if text.count(old) != 1:
            raise ValueError(f"{path.name}: fix {old!r} ({why}) does not apply exactly once")
        text = text.replace(old, new)
    catalogue = Catalogue()
    chapter = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("## "):
            chapter = line[3:].strip()
            continue
        if not chapter or not line or line.startswith("#"):
            continue
        for token in line.split():
            match = ITEM_1997.match(token)
            if not match or not match.group(1):
                raise ValueError(f"{path.name}: cannot parse item {token!r}")
            number, name, ref = int(match.group(1)), match.group(2), match.group(3)
            if number != len(catalogue.charges) + 1:
                raise ValueError(f"{path.name}: item {number} out of sequence")
            provisions = parse_refs(ref)
            check_provisions(law, provisions, f"{path.name} item {number}")
            if law.chapter_of[provisions[0].article] != chapter:
                raise ValueError(f"{path.name}: item {number} {name} is not in {chapter}")
            catalogue.add(name, provisions, BASE_LABEL)
    return catalogue


def check_provisions(law: CriminalLaw, provisions: list[Provision], where: str, *, paragraphs: bool = False) -> None:
    """Every cited article must exist in the current Criminal Law.

    With ``paragraphs``, every cited paragraph must exist too. That holds only for the charges in
    the final catalogue: abolished charges may cite paragraphs repealed since (嫖宿幼女罪 cites
    Art. 360 para. 2, struck out by Amendment IX).
    """
    for provision in provisions:
        if provision.article == DECISION_ARTICLE:
            continue
        if provision.article not in law.chapter_of:
            raise ValueError(f"{where}: {article_text(provision.article)} is not in 刑法.md")
        count = law.paragraph_count[provision.article]
        if paragraphs and any(paragraph > count for paragraph in provision.paragraphs):
            raise ValueError(f"{where}: {article_text(provision.article)} has only {count} paragraphs")


#
# Supplements
#


@dataclass
class Row:
    """One change: names (each with its provisions) and the names the change cancels."""

    names: list[tuple[str, list[Provision]]]
    cancelled: list[str]


def split_parenthesised(cell: str) -> tuple[str, list[str]]:
    """Remove the "（取消…）" groups from a cell; keep other brackets, e.g. 国（边）境, in the text."""
    kept: list[str] = []
    cancels: list[str] = []
    depth = 0
    group = ""
    for char in cell:
        if char == "（":
            depth += 1
            if depth == 1:
                group = ""
                continue
        elif char == "）":
            depth -= 1
            if depth == 0:
                if group.startswith("取消"):
                    cancels.append(group)
                else:
                    kept.append(f"（{group}）")
                continue
        if depth:
            group += char
        else:
            kept.append(char)
    if depth:
        raise ValueError(f"unbalanced brackets in {cell!r}")
    return "".join(kept), cancels


def parse_cancel(clause: str) -> list[str]:
    """Parse a cancellation clause into names.

    "取消刑法原第155条第3项走私固体废物罪罪名" gives [走私固体废物罪]; "取消A罪和B罪罪名" gives [A罪, B罪].
    """
    body = clause.removeprefix("取消")
    body = re.sub(rf"^刑法原(?:第{CN_NUMBER}[条款项])+", "", body)
    body = body.removesuffix("罪名") if body.endswith("罪罪名") else body
    names = [part + "罪" for part in body.removesuffix("罪").split("罪和")]
    for name in names:
        if not name.endswith("罪") or len(name) < 3:
            raise ValueError(f"cannot parse cancellation {clause!r}")
    return names


def split_names(text: str) -> list[str]:
    """Split a cell's names at spaces and "；", joining fragments that do not end a name."""
    if text in SPLIT_CELLS:
        return SPLIT_CELLS[text]
    names: list[str] = []
    fragment = ""
    for part in re.split(r"[\s；]+", text.strip()):
        fragment += part
        if fragment.endswith("罪"):
            names.append(fragment)
            fragment = ""
    if fragment:
        raise ValueError(f"cannot split names in {text!r}")
    return names


def read_supplement_table(path: Path) -> list[Row]:
    rows: list[Row] = []
    last_refs: list[list[Provision]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 2:
            raise ValueError(f"{path.name}: expected two cells in {line!r}")
        if set(cells[0]) <= set("-: ") and set(cells[1]) <= set("-: "):
            continue
        if cells == ["刑法条文", "罪名"]:
            continue
        ref_cell, name_cell = cells
        # The article precedes the citation of the amendment: "第152条第2款 （《刑法修正案（四）》第2条）".
        ref_cell = ref_cell.split("（")[0].strip()
        if ref_cell:
            groups: list[list[Provision]] = []
            for group in ref_cell.split():
                context = groups[-1][-1].article if groups else None
                groups.append(parse_refs(group, context))
            last_refs = groups
        elif not last_refs:
            raise ValueError(f"{path.name}: row without article {line!r}")
        # else: the continuation of a row split over two lines (see the note above SPLIT_CELLS).
        if name_cell.startswith("取消"):
            rows.append(Row([], parse_cancel(name_cell)))
            continue
        text, clauses = split_parenthesised(name_cell)
        names = split_names(text)
        if len(last_refs) == len(names):
            refs = last_refs
        elif len(last_refs) == 1:
            refs = last_refs * len(names)
        else:
            raise ValueError(f"{path.name}: {len(names)} names for {len(last_refs)} references in {line!r}")
        cancelled = [name for clause in clauses for name in parse_cancel(clause)]
        rows.append(Row(list(zip(names, refs, strict=True)), cancelled))
    if not rows:
        raise ValueError(f"{path.name}: no table rows found")
    return rows


RENAME_SENTENCE = re.compile(
    rf"将《中华人民共和国刑法》(第{CN_NUMBER}条(?:之{CN_NUMBER})?)(?:（.*?）)?的罪名由“(.+?)”修改为“(.+?)”"
)


def read_supplement(path: Path) -> list[Row]:
    """Read a supplement: a table (2002–2021) or sentences "将…第N条…的罪名由“X”修改为“Y”" (2024)."""
    text = path.read_text(encoding="utf-8")
    if "<!-- TABLE -->" in text:
        return read_supplement_table(path)
    rows = [Row([(new, parse_refs(ref))], [old]) for ref, old, new in RENAME_SENTENCE.findall(text)]
    if not rows:
        raise ValueError(f"{path.name}: neither a table nor a 修改为 sentence found")
    return rows


def apply_row(
    catalogue: Catalogue, row: Row, label: str, law: CriminalLaw, before: set[int], used: set[object]
) -> None:
    """Apply one row: restated names stay, fresh names rename a cancelled charge of the same
    article (in order) or are added, cancelled charges left over are removed.

    ``before`` holds the serials of the charges that existed before this supplement, against which
    a pure addition is checked for overlap. ``used`` collects the entries of the correction tables
    that applied, so that a stale entry is noticed.
    """
    cancelled = list(row.cancelled)
    for name, _ in row.names:
        implicit = IMPLICIT_RENAMES.get((label, name))
        if implicit:
            used.add((label, name))
            cancelled.append(implicit)
    targets: list[Charge] = []
    for name in cancelled:
        charge = catalogue.find(name)
        if charge is not None:
            targets.append(charge)
        elif (label, name) in CANCELLED_COURT_ONLY_NAMES:
            used.add((label, name))
        else:
            raise ValueError(f"{label}: cancels {name}, which is not in the catalogue")
    for name, provisions in row.names:
        check_provisions(law, provisions, f"{label} {name}")
        existing = catalogue.find(name)
        if existing is not None:
            if existing.article != provisions[0].article or existing in targets:
                raise ValueError(f"{label}: {name} restated under another article")
            existing.provisions = provisions
            continue
        target = next((charge for charge in targets if charge.article == provisions[0].article), None)
        if target is not None:
            targets.remove(target)
            target.name, target.provisions, target.source = name, provisions, label
            continue
        if (label, name) in CONFIRMED_ADDITIONS:
            used.add((label, name))
        elif not cancelled:
            clashes = [
                charge.name
                for charge in catalogue.charges
                if charge.serial in before and any(new.overlaps(old) for new in provisions for old in charge.provisions)
            ]
            if clashes:
                raise ValueError(f"{label}: new {name} overlaps {clashes}: classify it as a rename or an addition")
        catalogue.add(name, provisions, label)
    for charge in targets:
        catalogue.charges.remove(charge)


def build(law_dir: Path) -> tuple[list[dict[str, str]], list[tuple[str, int, int, int, int]]]:
    """Return the catalogue and, per document, (label, added, renamed, removed, total)."""
    law = read_criminal_law(law_dir / CRIMINAL_LAW_FILE)
    catalogue = read_base_list(law_dir / BASE_FILE, law)
    history = [(BASE_LABEL, len(catalogue.charges), 0, 0, len(catalogue.charges))]
    used: set[object] = set()
    for label, filename in SUPPLEMENTS:
        names_before = {charge.serial: charge.name for charge in catalogue.charges}
        for row in read_supplement(law_dir / filename):
            apply_row(catalogue, row, label, law, set(names_before), used)
        serials_after = {charge.serial for charge in catalogue.charges}
        added = sum(1 for charge in catalogue.charges if charge.serial not in names_before)
        removed = sum(1 for serial in names_before if serial not in serials_after)
        renamed = sum(1 for charge in catalogue.charges if names_before.get(charge.serial, charge.name) != charge.name)
        history.append((label, added, renamed, removed, len(catalogue.charges)))

    stale = (set(IMPLICIT_RENAMES) | CONFIRMED_ADDITIONS | CANCELLED_COURT_ONLY_NAMES) - used
    if stale:
        raise ValueError(f"correction table entries that no longer apply: {sorted(stale)}")

    # Every article inserted into the 分则 by an amendment ("第N条之M") creates an offence, so each
    # must carry a charge; this catches a supplement row lost in transcription. (Articles without
    # a charge of their own, such as 第二百六十九条 or 第三百八十三条, are all original articles.)
    cited = {charge.article for charge in catalogue.charges}
    uncovered = [article_text(key) for key in law.chapter_of if key[1] and key not in cited]
    if uncovered:
        raise ValueError(f"inserted articles without a charge: {uncovered}")

    records = []
    for charge in catalogue.charges:
        check_provisions(law, charge.provisions, charge.name, paragraphs=True)
    for charge in sorted(catalogue.charges, key=lambda charge: (charge.article, charge.slot)):
        key = charge.article
        chapter = DECISION_CHAPTER if key == DECISION_ARTICLE else law.chapter_of[key]
        records.append(
            {
                "code": f"{article_no(key)}.{charge.slot:02d}",
                "name": charge.name,
                "article": article_text(key),
                "article_no": article_no(key),
                "chapter": chapter,
                "source": charge.source,
            }
        )
    names = [record["name"] for record in records]
    if len(set(names)) != len(names):
        raise ValueError("duplicate charge names")
    return records, history


def find_law_dir() -> Path | None:
    """The law texts live outside the repository: $BIHUAN_LAW_DIR, ./shared or ../shared."""
    candidates = [os.environ.get("BIHUAN_LAW_DIR")] + [
        str(base / "shared" / "data" / "law") for base in (REPO, REPO.parent)
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / BASE_FILE).is_file():
            return Path(candidate)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.add_argument("--law-dir", type=Path, default=None, help="folder with the law texts")
    args = parser.parse_args(argv)
    law_dir = args.law_dir or find_law_dir()
    if law_dir is None:
        parser.error("law texts not found: pass --law-dir or set BIHUAN_LAW_DIR")
    records, history = build(law_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for label, added, renamed, removed, total in history:
        print(f"{label}: +{added} added, {renamed} renamed, -{removed} removed -> {total}", file=sys.stderr)
    print(f"wrote {len(records)} charges to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
