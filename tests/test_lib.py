"""Pure helpers: 公民身份号码 (GB 11643-1999) and masking."""

from datetime import date

from bihuan.lib import idnumber
from bihuan.lib.masking import mask_id_number, mask_name, mask_names_in

# The worked example of GB 11643-1999 (a woman born on 31 December 1949 in Beijing).
STANDARD_EXAMPLE = "11010519491231002X"


def test_the_standard_example_is_valid():
    assert idnumber.check_char(STANDARD_EXAMPLE[:17]) == "X"
    assert idnumber.validate(STANDARD_EXAMPLE, date(1949, 12, 31)) == []
    assert idnumber.validate(STANDARD_EXAMPLE.lower()) == []
    assert idnumber.gender_of(STANDARD_EXAMPLE) == "F"


def test_problems_are_named():
    assert idnumber.validate("110105194912310021") == ["公民身份号码校验码错误（GB 11643）"]
    assert "不一致" in idnumber.validate(STANDARD_EXAMPLE, date(1949, 12, 30))[0]
    assert "18 位" in idnumber.validate("1101051949123")[0]
    bad_date = "110105194902300023"
    assert "不是有效日期" in " ".join(idnumber.validate(bad_date[:17] + idnumber.check_char(bad_date[:17])))


def test_made_numbers_are_valid_and_carry_birth_date_and_gender():
    for gender in ("M", "F"):
        number = idnumber.make("371002", date(2000, 2, 29), 17, gender)
        assert idnumber.validate(number, date(2000, 2, 29)) == []
        assert idnumber.gender_of(number) == gender
        assert idnumber.birth_date_of(number) == date(2000, 2, 29)


def test_masking_keeps_the_region_and_the_check_character():
    assert mask_id_number(STANDARD_EXAMPLE) == "110105***********X"
    assert mask_id_number("1234") == "****"


def test_names_are_masked_keeping_the_surname():
    assert mask_name("张伟明") == "张某某"
    assert mask_name("李四") == "李某"
    assert mask_name(" 欧阳娜娜 ") == "欧阳某某"  # a compound surname keeps both characters
    assert mask_name("欧阳") == "欧某"  # two characters: 欧 is the surname, 阳 the given name
    assert mask_name("王") == "王某"
    assert mask_name("") == ""


def test_names_inside_a_text_are_masked_longest_first():
    text = "张伟明伙同张伟、欧阳娜娜作案，张伟明供述反复；王某某另案处理。"
    names = ["张伟", "张伟明", "欧阳娜娜", "", "  "]
    # 张伟明 is masked as a whole (张某某), not as 张伟 + 明 (张某明).
    assert mask_names_in(text, names) == "张某某伙同张某、欧阳某某作案，张某某供述反复；王某某另案处理。"
    assert mask_names_in(text, []) == text
