"""The shipped charge catalogue (罪名) matches the official determinations.

Plain pytest, no database: the catalogue is a JSON file built by tools/build_charges.py from the
legal texts in shared/data/law (最高人民检察院 1997 罪名意见 and 补充规定（一）to（八）).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CATALOGUE_PATH = REPO / "src" / "bihuan" / "cases" / "data" / "charges.json"
BUILD_SCRIPT = REPO / "tools" / "build_charges.py"
BASE_FILE = "最高人民检察院关于适用刑法分则规定的犯罪的罪名的意见(1997-12-25).md"

CATALOGUE = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
BY_NAME = {charge["name"]: charge for charge in CATALOGUE}

CHAPTERS = [
    "第一章 危害国家安全罪",
    "第二章 危害公共安全罪",
    "第三章 破坏社会主义市场经济秩序罪",
    "第四章 侵犯公民人身权利、民主权利罪",
    "第五章 侵犯财产罪",
    "第六章 妨害社会管理秩序罪",
    "第七章 危害国防利益罪",
    "第八章 贪污贿赂罪",
    "第九章 渎职罪",
    "第十章 军人违反职责罪",
]

# Every name of 补充规定（七）(2021-02-26), row by row, with its article.
SUPPLEMENT_7 = {
    "妨害安全驾驶罪": "133-2",
    "强令、组织他人违章冒险作业罪": "134",
    "危险作业罪": "134-1",
    "生产、销售、提供假药罪": "141",
    "生产、销售、提供劣药罪": "142",
    "妨害药品管理罪": "142-1",
    "欺诈发行证券罪": "160",
    "为境外窃取、刺探、收买、非法提供商业秘密罪": "219-1",
    "负有照护职责人员性侵罪": "236-1",
    "袭警罪": "277",
    "冒名顶替罪": "280-2",
    "高空抛物罪": "291-2",
    "催收非法债务罪": "293-1",
    "侮辱国旗、国徽、国歌罪": "299",
    "侵害英雄烈士名誉、荣誉罪": "299-1",
    "组织参与国（境）外赌博罪": "303",
    "非法采集人类遗传资源、走私人类遗传资源材料罪": "334-1",
    "非法植入基因编辑、克隆胚胎罪": "336-1",
    "危害珍贵、濒危野生动物罪": "341",
    "非法猎捕、收购、运输、出售陆生野生动物罪": "341",
    "破坏自然保护地罪": "342-1",
    "危害国家重点保护植物罪": "344",
    "非法引进、释放、丢弃外来入侵物种罪": "344-1",
    "妨害兴奋剂管理罪": "355-1",
    "食品、药品监管渎职罪": "408-1",
}

# The one change of 补充规定（八）(2024-01-30).
SUPPLEMENT_8 = {"徇私舞弊低价折股、出售公司、企业资产罪": "169"}

# Names the supplements cancel (取消…罪名), merge away or replace, quoted from the texts.
REMOVED = [
    "投毒罪",  # 补充规定（一）: 投放危险物质罪
    "过失投毒罪",  # 补充规定（一）
    "非法买卖、运输核材料罪",  # 补充规定（一）
    "盗窃、抢夺枪支、弹药、爆炸物罪",  # 补充规定（一）: …、危险物质罪
    "徇私舞弊造成破产、亏损罪",  # 补充规定（一）
    "中介组织人员提供虚假证明文件罪",  # 补充规定（一）
    "奸淫幼女罪",  # 补充规定（一）: merged into 强奸罪
    "非法占用耕地罪",  # 补充规定（一）
    "国家机关工作人员徇私舞弊罪",  # 补充规定（一）
    "枉法追诉、裁判罪",  # 补充规定（一）: 徇私枉法罪
    "走私固体废物罪",  # 补充规定（二）: 走私废物罪 (Art. 152 para. 2)
    "非法采伐、毁坏珍贵树木罪",  # 补充规定（二）
    "提供虚假财会报告罪",  # 补充规定（三）
    "公司、企业人员受贿罪",  # 补充规定（三）
    "操纵证券交易价格罪",  # 补充规定（一）: 操纵证券、期货交易价格罪 (implicit, see the script)
    "操纵证券、期货交易价格罪",  # 补充规定（三）: 操纵证券、期货市场罪
    "违法向关系人发放贷款罪",  # 补充规定（三）: merged into 违法发放贷款罪
    "窝藏、转移、收购、销售赃物罪",  # 补充规定（三）
    "偷税罪",  # 补充规定（四）: 逃税罪
    "走私珍稀植物、珍稀植物制品罪",  # 补充规定（四）
    "生产、销售不符合卫生标准的食品罪",  # 补充规定（五）
    "强迫职工劳动罪",  # 补充规定（五）
    "重大环境污染事故罪",  # 补充规定（五）: 污染环境罪
    "资助恐怖活动罪",  # 补充规定（六）: 帮助恐怖活动罪
    "强制猥亵、侮辱妇女罪",  # 补充规定（六）
    "出售、非法提供公民个人信息罪",  # 补充规定（六）: merged into 侵犯公民个人信息罪
    "非法获取公民个人信息罪",  # 补充规定（六）
    "伪造、变造居民身份证罪",  # 补充规定（六）
    "盗窃、侮辱尸体罪",  # 补充规定（六）
    "走私制毒物品罪",  # 补充规定（六）: merged
    "非法买卖制毒物品罪",  # 补充规定（六）: merged
    "嫖宿幼女罪",  # 补充规定（六）: abolished outright
    "战时拒绝军事征用罪",  # 补充规定（六）
    "强令违章冒险作业罪",  # 补充规定（七）
    "生产、销售假药罪",  # 补充规定（七）
    "欺诈发行股票、债券罪",  # 补充规定（七）
    "侮辱国旗、国徽罪",  # 补充规定（七）
    "非法猎捕、杀害珍贵、濒危野生动物罪",  # 补充规定（七）: merged
    "非法收购、运输、出售珍贵、濒危野生动物、珍贵、濒危野生动物制品罪",  # 补充规定（七）: merged
    "非法采伐、毁坏国家重点保护植物罪",  # 补充规定（七）: merged
    "食品监管渎职罪",  # 补充规定（七）
    "徇私舞弊低价折股、出售国有资产罪",  # 补充规定（八）
]

WELL_KNOWN = {
    "危险驾驶罪": ("133-1", "第一百三十三条之一"),
    "盗窃罪": ("264", "第二百六十四条"),
    "诈骗罪": ("266", "第二百六十六条"),
    "帮助信息网络犯罪活动罪": ("287-2", "第二百八十七条之二"),
    "故意伤害罪": ("234", "第二百三十四条"),
    "交通肇事罪": ("133", "第一百三十三条"),
    "开设赌场罪": ("303", "第三百零三条"),
    # Added by 补充规定（一）and still in force (not cancelled by any later supplement).
    "投放虚假危险物质罪": ("291-1", "第二百九十一条之一"),
    "投放危险物质罪": ("114", "第一百一十四条"),
    "强奸罪": ("236", "第二百三十六条"),
    "侵犯公民个人信息罪": ("253-1", "第二百五十三条之一"),
}

CN_DIGITS = "零一二三四五六七八九"


def cn_to_int(text: str) -> int:
    total = digit = 0
    for char in text:
        if char == "百":
            total, digit = total + digit * 100, 0
        elif char == "十":
            total, digit = total + (digit or 1) * 10, 0
        elif char != "零":
            digit = CN_DIGITS.index(char)
    return total + digit


def test_count_is_483():
    # 414 names in the 1997 意见; +4 by 补充规定（一）(6 added, 2 removed) = 418; +4 by（二）= 422;
    # +13 by（三）= 435; +9 by（四）= 444; +7 by（五）= 451; +17 by（六）(20 added, 3 removed) = 468;
    # +15 by（七）(17 added, 2 merged away) = 483;（八）only renames a charge. The build script
    # prints these steps.
    assert len(CATALOGUE) == 483


def test_supplement_8_and_7_names_are_present_with_their_articles():
    for name, number in {**SUPPLEMENT_7, **SUPPLEMENT_8}.items():
        assert name in BY_NAME, name
        assert BY_NAME[name]["article_no"] == number, name
    assert all(BY_NAME[name]["source"] == "补充规定（七）" for name in SUPPLEMENT_7)
    assert BY_NAME["徇私舞弊低价折股、出售公司、企业资产罪"]["source"] == "补充规定（八）"


def test_cancelled_and_replaced_names_are_absent():
    present = [name for name in REMOVED if name in BY_NAME]
    assert present == []


def test_well_known_charges_have_their_articles():
    for name, (number, article) in WELL_KNOWN.items():
        assert BY_NAME[name]["article_no"] == number, name
        assert BY_NAME[name]["article"] == article, name
    assert BY_NAME["危险驾驶罪"]["chapter"] == "第二章 危害公共安全罪"
    assert BY_NAME["盗窃罪"]["chapter"] == "第五章 侵犯财产罪"


def test_names_and_codes_are_unique():
    names = [charge["name"] for charge in CATALOGUE]
    codes = [charge["code"] for charge in CATALOGUE]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)


def test_records_are_well_formed():
    for charge in CATALOGUE:
        assert set(charge) == {"code", "name", "article", "article_no", "chapter", "source"}
        assert charge["name"].endswith("罪") and " " not in charge["name"], charge
        assert charge["chapter"] in CHAPTERS, charge
        assert charge["code"].startswith(charge["article_no"] + "."), charge
        assert re.fullmatch(r"\d{2}", charge["code"].rsplit(".", 1)[1]), charge
        if charge["article_no"] == "D1":
            continue
        match = re.fullmatch(r"第([一二三四五六七八九十百零]+)条(?:之([一二三四五六七八九十]+))?", charge["article"])
        assert match, charge
        number = str(cn_to_int(match.group(1))) + (f"-{cn_to_int(match.group(2))}" if match.group(2) else "")
        assert number == charge["article_no"], charge
        assert 102 <= int(number.split("-")[0]) <= 451, charge


def test_sources_name_the_documents():
    sources = {charge["source"] for charge in CATALOGUE}
    labels = {"罪名意见（1997）"} | {f"补充规定（{n}）" for n in "一二三四五六七八"}
    assert sources == labels


def test_catalogue_is_in_article_order():
    def key(charge):
        if charge["article_no"] == "D1":
            # 骗购外汇罪 (Art. 1 of the 1998 NPCSC Decision) sits right after 逃汇罪 (Art. 190).
            return (190, 0, 1, charge["code"])
        main, _, sub = charge["article_no"].partition("-")
        return (int(main), int(sub or 0), 0, charge["code"])

    assert sorted(CATALOGUE, key=key) == CATALOGUE
    chapters = [charge["chapter"] for charge in CATALOGUE]
    assert sorted(set(chapters), key=chapters.index) == CHAPTERS


def test_codes_are_pinned():
    # Codes are stored on case cards: renumbering them would orphan data. A renamed charge keeps
    # its code, a removed charge's code is never reused (186.01 was 违法向关系人发放贷款罪).
    assert BY_NAME["危险驾驶罪"]["code"] == "133-1.01"
    assert BY_NAME["投放危险物质罪"]["code"] == "114.04"
    assert BY_NAME["违法发放贷款罪"]["code"] == "186.02"
    assert BY_NAME["走私废物罪"]["code"] == "152.02"
    assert BY_NAME["开设赌场罪"]["code"] == "303.02"
    assert BY_NAME["骗购外汇罪"]["code"] == "D1.01"
    assert BY_NAME["为境外窃取、刺探、收买、非法提供军事秘密罪"]["code"] == "431.02"


def find_law_dir():
    candidates = [os.environ.get("BIHUAN_LAW_DIR")] + [
        str(base / "shared" / "data" / "law") for base in (REPO, REPO.parent)
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / BASE_FILE).is_file():
            return Path(candidate)
    return None


def test_build_script_regenerates_the_shipped_file(tmp_path):
    law_dir = find_law_dir()
    if law_dir is None:
        pytest.skip("law texts not found (set BIHUAN_LAW_DIR to shared/data/law)")
    outputs = []
    # Two runs under different hash seeds: the output must not depend on set or dict order.
    for seed in ("1", "2"):
        out = tmp_path / f"charges-{seed}.json"
        subprocess.run(
            [sys.executable, str(BUILD_SCRIPT), "--out", str(out), "--law-dir", str(law_dir)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == CATALOGUE_PATH.read_bytes()
