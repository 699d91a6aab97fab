"""公民身份号码 (GB 11643-1999): check digit, embedded birth date, gender digit."""

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def birth_date_of(number: str) -> date | None:
    """The birth date encoded in digits 7–14, or None when it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_of(number: str) -> str:
    """ "M" or "F" from the 17th digit (odd: male)."""
    return "M" if int(number[16]) % 2 else "F"


def validate(number: str, birth_date: date | None = None) -> list[str]:
    """Return the problems with an 18-character number; an empty list means it is valid."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return ["公民身份号码应为 18 位，前 17 位为数字，末位为数字或 X"]
    problems = []
    if check_char(number[:17]) != number[17]:
        problems.append("公民身份号码校验码错误（GB 11643）")
    embedded = birth_date_of(number)
    if embedded is None:
        problems.append("公民身份号码中的出生日期不是有效日期")
    elif birth_date is not None and embedded != birth_date:
        problems.append(f"公民身份号码中的出生日期 {embedded:%Y-%m-%d} 与出生日期 {birth_date:%Y-%m-%d} 不一致")
    return problems


def make(region: str, birth: date, order: int, gender: str) -> str:
    """Build a valid number: 6-digit region, birth date, 3-digit order with the gender parity."""
    order = order % 1000
    if (order % 2 == 1) != (gender == "M"):
        order = (order + 1) % 1000
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)
