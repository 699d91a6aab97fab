"""QR codes of case-code links (segno): PNG and SVG files, and SVG to put inside a page."""

from io import BytesIO

import segno

# Error correction M (15 %): a printed notice survives a fold or a smudge; the 4-module quiet
# zone is the one ISO/IEC 18004 asks for.
ERROR = "m"
BORDER = 4


def _code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    out = BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    out = BytesIO()
    _code(url).save(out, kind="svg", scale=scale, border=BORDER, title="案件码")
    return out.getvalue()


def qr_svg_inline(url: str, *, scale: int = 4) -> str:
    """An <svg> element for a page (no XML declaration)."""
    return _code(url).svg_inline(scale=scale, border=BORDER, title="案件码")
