"""The recommended term of 有期徒刑, 拘役 or 管制 in months (recommendation_term_min/max), read from a
person's 量刑建议 only when it is exact or a closed range (docs/extraction.md)."""

import pytest

from bihuan.documents.extract import extract_fields

INDICTMENT = """山东省威海市环翠区人民检察院
起诉书
威环检刑诉〔2024〕88号
被告人张某某，男，1990年5月17日出生，汉族，初中文化，无业，住威海市环翠区南山路88号。因涉嫌盗窃罪于2024年1月10日被威海市公安局环翠分局刑事拘留，同年1月21日被逮捕。
被告人李某某，女，1992年3月1日出生，汉族，高中文化，农民，住威海市环翠区北山路6号。因涉嫌盗窃罪于2024年1月10日被威海市公安局环翠分局取保候审。
本案由威海市公安局环翠分局侦查终结，以被告人张某某、李某某涉嫌盗窃罪，于2024年3月1日向本院移送起诉。
经依法审查查明：2023年12月，被告人张某某、李某某在威海市环翠区多次窃取他人财物，价值人民币二万元。
本院认为，被告人张某某、李某某以非法占有为目的，多次窃取他人财物，数额较大，其行为触犯了《中华人民共和国刑法》第二百六十四条，犯罪事实清楚，证据确实、充分，应当以盗窃罪追究其刑事责任。被告人张某某、李某某认罪认罚。建议判处被告人张某某有期徒刑{first}，并处罚金人民币五千元；被告人李某某{second}。根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉，请依法判处。
此致
威海市环翠区人民法院
检察官　王　丽
2024年4月1日
"""


def terms(text: str, kind: str = "indictment") -> dict[int, tuple[str, str]]:
    """(min, max) per person number, checking that each span is the term as written."""
    fields = extract_fields(kind, text)
    found: dict[int, dict[str, str]] = {}
    for f in fields:
        if f.name.startswith("recommendation_term_"):
            assert text[f.start : f.end].startswith(("有期徒刑", "拘役", "管制")), f
            found.setdefault(f.group, {})[f.name.removeprefix("recommendation_term_")] = f.value
    return {group: (values["min"], values["max"]) for group, values in found.items()}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("一年六个月", "拘役三个月", {1: ("18", "18"), 2: ("3", "3")}),
        ("一年至二年", "管制六个月", {1: ("12", "24"), 2: ("6", "6")}),
        ("六个月至一年", "有期徒刑一年以上二年以下，缓刑二年", {1: ("6", "12"), 2: ("12", "24")}),
        ("十年零六个月", "有期徒刑八个月，缓刑一年", {1: ("126", "126"), 2: ("8", "8")}),
        ("１年６个月", "有期徒刑一年至有期徒刑一年六个月", {1: ("18", "18"), 2: ("12", "18")}),
        # Open or approximate terms, and penalties without a term, are not read.
        ("三年以下", "拘役三个月左右", {}),
        ("一年六个月以下", "无期徒刑", {}),
        ("一年至二年以下", "单处罚金人民币五千元", {}),
        # Days are not read: the card holds whole months.
        ("一年六个月", "拘役一个月十五日", {1: ("18", "18")}),
    ],
)
def test_the_term_of_each_person_in_an_indictment(first, second, expected):
    assert terms(INDICTMENT.format(first=first, second=second)) == expected


def test_the_term_is_read_from_a_sentencing_recommendation_too():
    text = (
        "威海市环翠区人民检察院\n量刑建议书\n威环检量建〔2024〕8号\n"
        "被告人张某某涉嫌盗窃罪一案，经本院审查认为，被告人张某某的行为触犯了《中华人民共和国刑法》第二百六十四条。"
        "建议判处被告人张某某有期徒刑二年，缓刑三年，并处罚金人民币五千元。\n此致\n威海市环翠区人民法院\n2024年4月1日\n"
    )
    assert terms(text, "sentencing") == {1: ("24", "24")}
