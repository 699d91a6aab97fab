"""Masking of personal data for pages shown outside the case team."""

from collections.abc import Iterable

# Compound surnames keep both characters when a name is masked (欧阳某某, not 欧某某).
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "夏侯", "长孙", "宇文", "司徒", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
)  # fmt: skip


def mask_id_number(number: str) -> str:
    """Keep the region code and the check character: 37100219900517123X → 371002***********X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 7) + number[-1]


def mask_name(name: str) -> str:
    """张三丰 → 张某某, 李四 → 李某, 欧阳娜娜 → 欧阳某某: the surname kept, every other character 某
    (at least one, so a one-character name still reads as masked: 王 → 王某)."""
    name = name.strip()
    if not name:
        return ""
    surname = 2 if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else 1
    return name[:surname] + "某" * max(len(name) - surname, 1)


def mask_names_in(text: str, names: Iterable[str]) -> str:
    """`text` with every occurrence of the given full names masked (`mask_name`), for free texts
    written about a case (reasons, decisions) shown outside the case team. Longer names are
    replaced first, so 张三丰 is not masked as 张三 + 丰."""
    for full in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(full, mask_name(full))
    return text
