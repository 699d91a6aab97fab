"""Uploaded bytes to text: the type is sniffed from the content, never taken from the file name.

DOCX (a zip with word/document.xml), PDF with a text layer (pypdf) and plain text (UTF-8, UTF-16
with a byte-order mark, GB18030) are read. Everything else, and every file that is too large,
encrypted, damaged or built to exhaust memory (zip bombs), is refused with a reason in Chinese.
"""

import io
import re
import zipfile
from xml.etree import ElementTree

MAX_BYTES = 20 * 1024 * 1024
# Limits checked on the zip directory before a single byte is inflated.
MAX_ZIP_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCUMENT_XML = 50 * 1024 * 1024
MAX_RATIO = 200  # Word XML compresses about 5–20 times; a ratio this high is a bomb.
RATIO_CHECK_FROM = 1024 * 1024  # small members may compress arbitrarily well
MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 5 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted Office Open XML file is an OLE compound file holding these streams (MS-OFFCRYPTO).
OLE_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
BINARY_MAGIC = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"MZ", "Windows 可执行文件"),
    (b"\x7fELF", "可执行文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"{\\rtf", "RTF 文档"),
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Rejected(Exception):
    """A file that cannot be read, with the reason shown to the user (in Chinese)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_text(data: bytes, filename: str = "", max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Return (file type, text) for an uploaded file: "docx", "pdf" or "txt". Raises Rejected.

    1. Empty and oversized files are refused before anything is parsed.
    2. The type comes from the first bytes: a zip (DOCX), %PDF- (PDF), an OLE compound file
       (encrypted Office file or legacy .doc, both refused), known binary formats (refused),
       otherwise text.
    `filename` only improves the wording of a refusal.
    """
    check_size(len(data), max_bytes)
    if data.startswith(b"PK\x03\x04"):
        return "docx", _read_docx(data)
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf", _read_pdf(data)
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in OLE_ENCRYPTED_MARKERS):
            raise Rejected("文件已加密，无法读取正文")
        raise Rejected("旧版 Office 文件（.doc 等）不受支持，请另存为 DOCX 后上传")
    if data.startswith(b"PK"):
        raise Rejected("压缩文件已损坏或不是 DOCX 文档")
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            raise Rejected(f"文件内容是{what}，不是 DOCX、PDF 或 TXT 文书" + _named(filename))
    return "txt", _read_txt(data)


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an empty or oversized file from its size alone, before anything is read or parsed."""
    if size == 0:
        raise Rejected("文件为空")
    if size > max_bytes:
        raise Rejected(f"文件大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB")


def _named(filename: str) -> str:
    return f"（文件名 {filename}）" if filename else ""


#
# DOCX
#


def _read_docx(data: bytes) -> str:
    """The paragraphs of word/document.xml, one a line, after checking the zip directory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise Rejected("文件已损坏，无法作为 DOCX 读取") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise Rejected(f"DOCX 内含 {len(members)} 个部件，超过上限 {MAX_ZIP_MEMBERS}，疑似恶意文件")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise Rejected("DOCX 解压后体积过大，疑似压缩炸弹，已拒绝")
    for member in members:
        if member.file_size > RATIO_CHECK_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise Rejected("DOCX 压缩比异常，疑似压缩炸弹，已拒绝")
        if member.flag_bits & 0x1:
            raise Rejected("文件已加密，无法读取正文")
    names = {member.filename: member for member in members}
    document = names.get("word/document.xml")
    if document is None:
        raise Rejected("压缩文件中没有 word/document.xml，不是 DOCX 文档")
    if document.file_size > MAX_DOCUMENT_XML:
        raise Rejected("DOCX 正文部件过大，已拒绝")
    try:
        with archive.open(document) as stream:
            # The directory may lie about sizes; never read more than the limit.
            xml = stream.read(MAX_DOCUMENT_XML + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise Rejected("文件已损坏，无法作为 DOCX 读取") from exc
    if len(xml) > MAX_DOCUMENT_XML:
        raise Rejected("DOCX 解压后体积过大，疑似压缩炸弹，已拒绝")
    return _docx_paragraphs(xml)


def _docx_paragraphs(xml: bytes) -> str:
    # Word never writes a DTD; one here can only serve entity expansion attacks.
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise Rejected("DOCX 正文含有不允许的 XML 声明，已拒绝")
    lines: list[str] = []
    parts: list[str] = []
    try:
        # Safe here: a DTD was refused above, so no entity can expand (and expat ≥ 2.4 limits amplification).
        for _event, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):  # noqa: S314
            tag = element.tag
            if tag == W + "t":
                parts.append(element.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "p":
                lines.append("".join(parts))
                parts = []
                element.clear()
    except ElementTree.ParseError as exc:
        raise Rejected("DOCX 正文 XML 已损坏，无法读取") from exc
    return _checked("\n".join(lines))


#
# PDF
#


def _read_pdf(data: bytes) -> str:
    """The text layer of every page; a PDF without one (a scan) is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Rejected("文件已加密，无法读取正文")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Rejected(f"PDF 超过 {MAX_PDF_PAGES} 页，已拒绝")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Rejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        # pypdf raises a wide range of errors on damaged files; any of them means "unreadable".
        if "decrypt" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise Rejected("文件已加密，无法读取正文") from exc
        raise Rejected("PDF 文件已损坏，无法读取") from exc
    text = "\n".join(reflow(page) for page in pages)
    if not text.strip():
        raise Rejected("PDF 无文字层（可能为扫描件）")
    return _checked(text)


PARAGRAPH_END = ("。", "：", ":", "；", ";", "！", "？")


def reflow(page: str) -> str:
    """Join the lines a PDF wraps inside a paragraph: a line as long as the page's full lines that does
    not end a sentence continues on the next line (出\n生 → 出生). Short lines (titles, signatures,
    the last line of a paragraph) keep their line break."""
    lines = page.split("\n")
    full = max((len(line.rstrip()) for line in lines), default=0)
    out = []
    for line in lines:
        out.append(line)
        stripped = line.rstrip()
        wrapped = full >= 20 and len(stripped) >= full * 0.85 and not stripped.endswith(PARAGRAPH_END)
        out.append("" if wrapped else "\n")
    return "".join(out[:-1])


#
# Text
#


def _read_txt(data: bytes) -> str:
    """Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise Rejected("无法识别文件编码（支持 UTF-8、GB18030），可能不是文本文件")
    if CONTROL_CHARS.search(text[:65536]) is not None:
        raise Rejected("文件含有二进制内容，不是 DOCX、PDF 或 TXT 文书")
    return _checked(text.replace("\r\n", "\n").replace("\r", "\n"))


def _checked(text: str) -> str:
    if not text.strip():
        raise Rejected("文件没有可读取的正文")
    if len(text) > MAX_TEXT_CHARS:
        raise Rejected("正文超过 500 万字，已拒绝")
    return text
