"""Masking of personal data for pages shown outside the case team."""


def mask_name(name: str) -> str:
    """张三丰 → 张某某; 欧阳娜娜 → 欧阳某某 (compound surnames keep both characters)."""
    if not name:
        return name
    if "某" in name:
        return name
    surname_len = 2 if name[:2] in COMPOUND_SURNAMES else 1
    return name[:surname_len] + "某某"


def mask_id_number(number: str) -> str:
    """Keep the region and the last character: 371002********123X → 371002************X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 7) + number[-1]


COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "闻人",
        "赫连",
        "澹台",
        "端木",
    }
)
