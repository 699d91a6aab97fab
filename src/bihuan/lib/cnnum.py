"""Chinese numerals and dates as legal documents write them.

Dates appear as 2024年3月5日, ２０２４年３月５日 (full-width digits) or 二〇二四年三月五日 (the signing
date of a document); article numbers as 第一百三十三条之一. Everything here is pure: text in,
values out.
"""

import re
from datetime import date

# Full-width digits and Latin letters map one to one onto ASCII, so a translated text keeps every
# character at the same index and spans found in it are spans of the original. Chinese punctuation
# (，；：（）) is left alone: it is the normal form in legal documents.
HALFWIDTH = {
    code: code - 0xFEE0
    for start, end in (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ"))
    for code in range(ord(start), ord(end) + 1)
} | {0x3000: 0x20}

DIGIT_VALUES = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}

# Building blocks for patterns elsewhere: a year, month and day in Arabic or Chinese numerals.
CN_DIGITS = "〇○零一二两三四五六七八九"
CN_NUMBER = f"[{CN_DIGITS}十百千]+"
YEAR = rf"(?:[12]\d{{3}}|[一二][{CN_DIGITS}]{{3}})"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE = rf"{YEAR}\s?年\s?{MONTH}\s?月\s?{DAY}\s?日"
MONTH_DAY = rf"{MONTH}\s?月\s?{DAY}\s?日"

DATE_RE = re.compile(rf"({YEAR})\s?年\s?({MONTH})\s?月\s?({DAY})\s?日")
MONTH_DAY_RE = re.compile(rf"({MONTH})\s?月\s?({DAY})\s?日")
ARTICLE_RE = re.compile(rf"(?:第)?(\d+|{CN_NUMBER})条(?:之([{CN_DIGITS}十]+|\d+))?")


def to_halfwidth(text: str) -> str:
    """Full-width digits and letters (and the ideographic space) to ASCII; the length never changes."""
    return text.translate(HALFWIDTH)


def cn_to_int(text: str) -> int:
    """A number in Arabic or Chinese numerals: 一百三十三 → 133, 十五 → 15, 二〇二四 → 2024, ２４ → 24.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit():
        # int() reads full-width digits as well.
        return int(text)
    if not text or any(c not in DIGIT_VALUES and c not in UNIT_VALUES for c in text):
        raise ValueError(f"not a number: {text!r}")
    if not any(c in UNIT_VALUES for c in text):
        # Digit by digit, as years are written: 二〇二四.
        return int("".join(str(DIGIT_VALUES[c]) for c in text))
    total = 0
    digit = None
    for c in text:
        if c in DIGIT_VALUES:
            digit = DIGIT_VALUES[c]
        else:
            # A unit without a digit before it counts once: 十五 = 15.
            total += (1 if digit is None else digit) * UNIT_VALUES[c]
            digit = None
    return total + (digit or 0)


def parse_date(text: str) -> date | None:
    """The first date in the text (2024年3月5日, ２０２４年３月５日, 二〇二四年三月五日), or None."""
    match = DATE_RE.search(to_halfwidth(text))
    if match is None:
        return None
    return make_date(*match.groups())


def make_date(year: str, month: str, day: str) -> date | None:
    """A date from its three numerals, or None when they do not make a real date."""
    try:
        return date(cn_to_int(year), cn_to_int(month), cn_to_int(day))
    except ValueError:
        return None


def article_number(text: str) -> str:
    """The number of a statute article with Arabic digits: 第一百三十三条之一 → 133条之一, 第264条 → 264条.

    Raises ValueError when the text holds no article number.
    """
    match = ARTICLE_RE.search(to_halfwidth(text))
    if match is None:
        raise ValueError(f"no article number in {text!r}")
    number = f"{cn_to_int(match.group(1))}条"
    if match.group(2):
        number += f"之{int_to_cn(cn_to_int(match.group(2)))}"
    return number


def int_to_cn(n: int) -> str:
    """A small number (0 < n < 100) in Chinese numerals, as the 之一/之二 of an article: 1 → 一, 12 → 十二."""
    if not 0 < n < 100:
        raise ValueError(f"out of range: {n}")
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")
