"""Masking of personal data for pages shown outside the case team."""


def mask_id_number(number: str) -> str:
    """Keep the region code and the check character: 37100219900517123X → 371002***********X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 7) + number[-1]
