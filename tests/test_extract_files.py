"""Reading uploaded files: DOCX, PDF text layer, TXT; and refusing malformed and hostile ones."""

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfWriter

from bihuan.documents.extract import MAX_BYTES, Rejected, extract_fields, read_text
from bihuan.documents.extract.files import OLE_MAGIC, reflow

INDICTMENT = (Path(__file__).parent / "data" / "extract" / "indictments" / "07.txt").read_text(encoding="utf-8")


def docx_bytes(text: str) -> bytes:
    document = DocxDocument()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(words: str) -> bytes:
    """A one-page PDF whose text layer holds `words` (Helvetica, ASCII)."""
    stream = f"BT /F1 12 Tf 72 712 Td ({words}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def blank_pdf(password: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb(gigabytes: int) -> bytes:
    """A DOCX-shaped zip whose word/document.xml declares and would inflate to `gigabytes` GiB of zeros.

    The deflate stream is one fully flushed 1 MiB block of zeros repeated (each block stands alone after a
    full flush), so the file is a few MiB and is built instantly; the CRC is left at 0 since a reader that
    checks sizes first never gets that far.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks = gigabytes * 1024
    data = block * blocks + b"\x03\x00"  # a final, empty fixed-Huffman block
    size = blocks << 20
    members = [(b"[Content_Types].xml", zlib.compress(b"<Types/>")[2:-4], 8, 8), (b"word/document.xml", data, size, 8)]
    out = bytearray()
    central = bytearray()
    for name, payload, usize, method in members:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, 0, len(payload), usize, len(name), 0)
        out += name + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0,
            0,
            len(payload),
            usize,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


#
# Files that are read
#


def test_a_docx_reads_to_the_same_fields_as_its_text():
    file_type, text = read_text(docx_bytes(INDICTMENT), "起诉书.docx")
    assert file_type == "docx"
    assert text.strip() == INDICTMENT.strip()
    values = {(f.name, f.group, f.value) for f in extract_fields("indictment", text)}
    assert values == {(f.name, f.group, f.value) for f in extract_fields("indictment", INDICTMENT)}


def test_the_type_comes_from_the_content_not_the_name():
    assert read_text(docx_bytes("起诉书"), "起诉书.txt")[0] == "docx"
    assert read_text("起诉书".encode(), "起诉书.pdf") == ("txt", "起诉书")


def test_a_pdf_with_a_text_layer_is_read():
    assert read_text(text_pdf("Qi Su Shu 2024"), "a.pdf") == ("pdf", "Qi Su Shu 2024")


def test_lines_a_pdf_wraps_inside_paragraphs_are_joined_again():
    """A PDF's text layer breaks paragraphs at the page width (出\n生); the fields come out as from the original."""
    wrapped = "\n".join(
        "\n".join(paragraph[i : i + 38] for i in range(0, len(paragraph), 38)) if paragraph else ""
        for paragraph in INDICTMENT.split("\n")
    )
    assert "\n" in wrapped.split("被告人郑某甲")[1].split("被告人王某乙")[0]
    want = {(f.name, f.group, f.value) for f in extract_fields("indictment", INDICTMENT)}
    assert {(f.name, f.group, f.value) for f in extract_fields("indictment", reflow(wrapped))} == want


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_the_usual_encodings_is_read(encoding):
    assert read_text(INDICTMENT.encode(encoding))[1] == INDICTMENT


def test_windows_line_ends_become_newlines():
    assert read_text("被告人\r\n张某".encode()) == ("txt", "被告人\n张某")


#
# Files that are refused, with the reason
#


def refusal(data: bytes, filename: str = "") -> str:
    with pytest.raises(Rejected) as caught:
        read_text(data, filename)
    return caught.value.reason


def test_an_empty_file_is_refused():
    assert refusal(b"") == "文件为空"


def test_a_50_mb_file_is_refused_by_its_size_before_parsing():
    data = b"PK\x03\x04" + bytes(50 * 1024 * 1024)
    started = time.perf_counter()
    assert "超过上限 20 MB" in refusal(data, "big.docx")
    assert time.perf_counter() - started < 0.5
    assert len(data) > MAX_BYTES


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG 图片"),
        (b"MZ\x90\x00" + bytes(100), "Windows 可执行文件"),
        (b"\x7fELF" + bytes(100), "可执行文件"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG 图片"),
    ],
)
def test_other_binary_types_are_refused_whatever_their_name(data, what):
    assert refusal(data, "起诉书.docx") == f"文件内容是{what}，不是 DOCX、PDF 或 TXT 文书（文件名 起诉书.docx）"


def test_binary_noise_is_not_taken_for_text():
    assert "二进制" in refusal(b"abc\x00\x01\x02" * 50)


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating():
    bomb = zip_bomb(3)
    assert len(bomb) < 4 * 1024 * 1024
    started = time.perf_counter()
    assert refusal(bomb, "bomb.docx") == "DOCX 解压后体积过大，疑似压缩炸弹，已拒绝"
    assert time.perf_counter() - started < 0.5


def test_a_member_with_an_absurd_compression_ratio_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", bytes(20 * 1024 * 1024))
    assert refusal(out.getvalue()) == "DOCX 压缩比异常，疑似压缩炸弹，已拒绝"


def test_a_zip_with_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(2001):
            archive.writestr(f"word/m{i}.xml", b"")
    assert "超过上限 2000" in refusal(out.getvalue())


def test_a_zip_whose_directory_understates_the_size_never_reads_past_it():
    """The directory says 10 bytes; reading stops there and the damaged member is refused."""
    payload = zlib.compress(bytes(5 * 1024 * 1024))[2:-4]
    name = b"word/document.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(payload), 10, len(name), 0) + name
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0, len(payload), 10, len(name), 0, 0, 0, 0, 0, 0
    )
    data = local + payload + central + name
    data += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), len(local) + len(payload), 0)
    assert refusal(data) == "文件已损坏，无法作为 DOCX 读取"


def test_a_corrupt_zip_is_refused():
    data = docx_bytes(INDICTMENT)
    assert refusal(data[: len(data) // 2]) == "文件已损坏，无法作为 DOCX 读取"


def test_a_zip_that_is_not_a_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(out.getvalue()) == "压缩文件中没有 word/document.xml，不是 DOCX 文档"


def test_a_docx_with_a_dtd_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>')
    assert "不允许的 XML 声明" in refusal(out.getvalue())


def test_an_encrypted_office_file_is_refused():
    """Word saves a password-protected DOCX as an OLE compound file holding EncryptionInfo."""
    data = OLE_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(200)
    assert refusal(data, "起诉书.docx") == "文件已加密，无法读取正文"


def test_a_legacy_doc_file_is_refused_with_advice():
    assert "另存为 DOCX" in refusal(OLE_MAGIC + bytes(1000), "起诉书.doc")


def test_an_encrypted_pdf_is_refused():
    assert refusal(blank_pdf(password="secret"), "a.pdf") == "文件已加密，无法读取正文"


def test_a_pdf_without_a_text_layer_is_refused():
    assert refusal(blank_pdf(), "scan.pdf") == "PDF 无文字层（可能为扫描件）"


def test_a_corrupt_pdf_is_refused():
    assert refusal(b"%PDF-1.7\n" + bytes(300), "a.pdf") == "PDF 文件已损坏，无法读取"
