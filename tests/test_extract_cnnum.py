"""Chinese numerals and dates as legal documents write them (bihuan.lib.cnnum)."""

from datetime import date

import pytest

from bihuan.lib.cnnum import article_number, cn_to_int, parse_date, to_halfwidth


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百三十三", 133),
        ("十五", 15),
        ("二十", 20),
        ("三百零三", 303),
        ("一千零一十", 1010),
        ("二〇二四", 2024),
        ("二○二四", 2024),
        ("２４", 24),
        ("7", 7),
        ("两", 2),
    ],
)
def test_numbers(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "三x", "abc"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        cn_to_int(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二〇二四年三月五日", date(2024, 3, 5)),
        ("二〇二四年十二月三十一日", date(2024, 12, 31)),
        ("二〇二三年十月二十日", date(2023, 10, 20)),
        ("二○二四年一月十一日", date(2024, 1, 11)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024年03月05日", date(2024, 3, 5)),
        ("２０２４年３月５日", date(2024, 3, 5)),
        ("于2024年12月31日向本院移送起诉", date(2024, 12, 31)),
        ("2024 年 3 月 5 日", date(2024, 3, 5)),
    ],
)
def test_dates(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["2024年2月30日", "二〇二三年二月二十九日", "1981年**月**日", "三月五日", ""])
def test_impossible_or_partial_dates_give_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("第一百三十三条之一", "133条之一"),
        ("一百三十三条之一", "133条之一"),
        ("第二百八十七条之二", "287条之二"),
        ("第二百六十四条", "264条"),
        ("第264条", "264条"),
        ("第三百零三条第二款", "303条"),
    ],
)
def test_article_numbers(text, value):
    assert article_number(text) == value


def test_halfwidth_keeps_every_index():
    text = "２０２４年ＡＢ，（）　"
    assert to_halfwidth(text) == "2024年AB，（） "
    assert len(to_halfwidth(text)) == len(text)
