"""Test files for the documents app: real DOCX, PDF and TXT files, and hostile ones."""

import io
import re
import zipfile

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from bihuan.documents.actions import do_upload_document
from bihuan.documents.models import Document

# A short 起诉书 in the layout of a published one (domain-rules §5.3).
INDICTMENT = (
    "测试县人民检察院\n"
    "起 诉 书\n"
    "测检刑诉〔2024〕12号\n"
    "被告人张某某，男，1990年5月17日出生，公民身份号码371002199005170011，汉族，初中文化，无固定职业。"
    "2024年2月2日，因涉嫌危险驾驶罪被测试县公安局取保候审。\n"
    "本案由测试县公安局侦查终结，以被告人张某某涉嫌危险驾驶罪，于2024年3月1日向本院移送起诉。\n"
    "此致\n测试县人民法院\n检察官 王某\n2024年3月20日\n"
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBMIT_TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')


def make_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer in Helvetica (ASCII text only), written by hand."""
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected DOCX: an OLE compound file holding the
    EncryptionInfo and EncryptedPackage streams (MS-OFFCRYPTO)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "EncryptionInfo".encode("utf-16-le") + bytes(64) + "EncryptedPackage".encode("utf-16-le")


def zip_bomb() -> bytes:
    """A DOCX-shaped zip whose document.xml inflates 10 MB from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"0" * (10 * 1024 * 1024) + b">")
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def upload_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def add_document(
    case, actor, name: str = "起诉书.txt", data: bytes = INDICTMENT.encode(), kind: str = "indictment"
) -> Document:
    """A document uploaded through the action, as the page does."""
    return do_upload_document(case, upload_file(name, data), kind, actor)


def submit_token(client, case) -> str:
    """A once-only form token, issued to the client's session by the documents page."""
    page = client.get(reverse("documents:case", kwargs={"case_id": case.pk}))
    match = SUBMIT_TOKEN.search(page.content.decode())
    return match.group(1) if match else ""


def post_upload(client, case, name: str, data: bytes, kind: str = "indictment"):
    return client.post(
        reverse("documents:upload", kwargs={"case_id": case.pk}),
        {"kind": kind, "file": upload_file(name, data), "submit_token": submit_token(client, case)},
    )


def stored_files(data_dir) -> list:
    root = data_dir / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
