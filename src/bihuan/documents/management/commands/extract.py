"""`bihuan extract --kind 起诉书 FILE [--json]`: read a document file and print its fields with their spans."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.documents.extract import FIELD_LABELS, Rejected, extract_fields, read_text
from bihuan.documents.extract.files import check_size
from bihuan.documents.models import DocumentKind

# 延长审查起诉期限 documents are also called 通知书; 强制措施 documents by their own titles.
KIND_ALIASES = {
    "延长审查起诉期限通知书": DocumentKind.EXTENSION,
    "取保候审决定书": DocumentKind.MEASURE,
    "监视居住决定书": DocumentKind.MEASURE,
    "批准逮捕决定书": DocumentKind.MEASURE,
    "退回补充调查决定书": DocumentKind.SUPPLEMENTARY,
}


def parse_kind(text: str) -> str:
    """A DocumentKind value from its value or its Chinese label."""
    for kind in DocumentKind:
        if text in (kind.value, kind.label):
            return kind.value
    if text in KIND_ALIASES:
        return KIND_ALIASES[text].value
    choices = "、".join(kind.label for kind in DocumentKind)
    raise CommandError(f"未知的文书种类：{text}（可选：{choices}）")


class Command(BaseCommand):
    help = "读取文书文件（DOCX、带文字层的 PDF、TXT），按文书种类提取字段及其在正文中的位置。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="文书文件路径")
        parser.add_argument("--kind", required=True, help="文书种类：中文名称（如 起诉书）或代码（如 indictment）")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def handle(self, *args, file: str, kind: str, as_json: bool, **options) -> None:
        kind_value = parse_kind(kind)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}", returncode=2)
        try:
            # An oversized file is refused before it is read into memory.
            check_size(path.stat().st_size)
            file_type, text = read_text(path.read_bytes(), path.name)
        except Rejected as exc:
            raise CommandError(exc.reason, returncode=2) from exc
        fields = extract_fields(kind_value, text)
        if as_json:
            self.stdout.write(dump_json(file_type, text, fields))
            return
        self.stdout.write(f"文件类型：{file_type}　正文 {len(text)} 字　字段 {len(fields)} 个")
        for f in fields:
            who = f"人员{f.group}" if f.group else "文书"
            label = FIELD_LABELS.get(f.name, f.name)
            raw = text[f.start : f.end].replace("\n", " ")
            self.stdout.write(f"{who}\t{label}（{f.name}）\t{f.value}\t[{f.start}:{f.end}] {raw}")


def dump_json(file_type: str, text: str, fields: list) -> str:
    rows = [
        {
            "name": f.name,
            "value": f.value,
            "start": f.start,
            "end": f.end,
            "group": f.group,
            "text": text[f.start : f.end],
        }
        for f in fields
    ]
    return json.dumps({"file_type": file_type, "fields": rows}, ensure_ascii=False, indent=2)
