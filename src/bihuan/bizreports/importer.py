"""Reading report files (CSV or XLSX) into checked figure rows.

Two layouts (docs/business-reports.md):

- long: one figure a line, columns 院代码 or 院名称, 部门 (optional), 年, 月, 项目, 数值;
- wide: one unit and month a line, columns 院代码 or 院名称, 部门 (optional), 年, 月, then one
  column per item (headed by its code or Chinese name); an empty cell is "not reported".

Every bad line is reported with its line number and field; a bad line yields no row at all.
Files are read whole into memory, so their size is limited, and an XLSX (a zip archive) is
refused before openpyxl opens it when its members would unpack beyond a limit (zip bomb).
"""

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bihuan.bizreports.items import ReportItem, find_item
from bihuan.bizreports.models import BatchSource
from bihuan.orgs.models import Department, Organisation

MAX_FILE_BYTES = 5 * 1024 * 1024
# An XLSX of this many report rows unpacks to a few MB; anything far larger is not a report.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_ROWS = 20_000
MAX_VALUE = 2_147_483_647  # the largest value the column holds
FIRST_YEAR = 2000

ORG_CODE, ORG_NAME, DEPARTMENT, YEAR, MONTH, ITEM, VALUE = "院代码", "院名称", "部门", "年", "月", "项目", "数值"
UNIT_COLUMNS = {ORG_CODE, ORG_NAME, DEPARTMENT, YEAR, MONTH}


class ReportFileError(Exception):
    """The file as a whole cannot be read (too large, not CSV/XLSX, no usable header)."""


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        return f"第 {self.line} 行 字段「{self.field}」：{self.message}"


@dataclass(frozen=True)
class FigureRow:
    line: int
    org: Organisation
    department: Department | None
    year: int
    month: int
    item: ReportItem
    value: int

    @property
    def key(self) -> tuple:
        return (self.org.pk, self.department.pk if self.department else None, self.year, self.month, self.item.code)


@dataclass
class ParsedReport:
    file_name: str
    source: str  # BatchSource value
    sha256: str
    rows: list[FigureRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({e.line for e in self.errors if e.line})


# Reading cells


def _text(value: Any) -> str:
    """A cell as text; Excel gives whole numbers as floats (2024.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportFileError("无法识别文件编码：CSV 文件应为 UTF-8 或 GB18030（GBK）编码")


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise ReportFileError(f"第 {reader.line_num} 行：CSV 格式有误（{error}）") from error


def _check_zip(data: bytes) -> None:
    """Refuse an XLSX whose members would unpack too large (checked from the zip directory,
    before anything is decompressed)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ReportFileError("文件不是有效的 Excel（.xlsx）文件") from error
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReportFileError("Excel 文件内部结构异常（成员过多），拒绝读取")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ReportFileError(f"Excel 文件解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，拒绝读取")


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ReportFileError("无法读取 Excel 文件，请确认文件未损坏且为 .xlsx 格式") from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_text(v) for v in values]
    finally:
        workbook.close()


def read_lines(data: bytes, file_name: str) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """The batch source and the (line number, cells) of a file; XLSX by its zip signature."""
    if data.startswith(b"PK\x03\x04"):
        return BatchSource.EXCEL, _xlsx_lines(data)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise ReportFileError("文件不是有效的 Excel（.xlsx）文件")
    if file_name.lower().endswith(".xls"):
        raise ReportFileError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后导入")
    return BatchSource.CSV, _csv_lines(data)


# Checking lines


class _Checker:
    """Turns cells into FigureRows for one import, looking organisations up once each."""

    def __init__(self, allowed_org: Organisation | None) -> None:
        self.allowed_org = allowed_org
        self.orgs: dict[tuple[str, str], Organisation | None] = {}
        self.departments: dict[tuple[int, str], Department | None] = {}
        self.this_month = timezone.localdate().replace(day=1)

    def org(self, column: str, text: str) -> Organisation | None:
        key = (column, text)
        if key not in self.orgs:
            if column == ORG_CODE:
                found = Organisation.objects.filter(code=text).first()
            else:
                found = Organisation.objects.filter(name=text).first() or _only(
                    Organisation.objects.filter(short_name=text)
                )
            self.orgs[key] = found
        return self.orgs[key]

    def department(self, org: Organisation, text: str) -> Department | None:
        key = (org.pk, text)
        if key not in self.departments:
            self.departments[key] = Department.objects.filter(org=org, name=text).first() or _only(
                Department.objects.filter(org=org, short_name=text)
            )
        return self.departments[key]

    def unit(self, line: int, cells: dict[str, str], errors: list[LineError]) -> tuple | None:
        """(org, department, year, month) of a line, or None with its errors added."""
        found = len(errors)
        column = ORG_CODE if ORG_CODE in cells else ORG_NAME
        org = None
        if not cells.get(column):
            errors.append(LineError(line, column, "不能为空"))
        else:
            org = self.org(column, cells[column])
            if org is None:
                errors.append(LineError(line, column, f"未找到检察院「{cells[column]}」"))
            elif self.allowed_org is not None and org.pk != self.allowed_org.pk:
                errors.append(
                    LineError(line, column, f"只能导入本院（{self.allowed_org.name}）的报表，不能导入{org.name}的报表")
                )
        department = None
        if org is not None and cells.get(DEPARTMENT):
            department = self.department(org, cells[DEPARTMENT])
            if department is None:
                errors.append(LineError(line, DEPARTMENT, f"{org.name}没有名为「{cells[DEPARTMENT]}」的部门"))
        year = _whole(cells.get(YEAR, ""))
        year_ok = year is not None and FIRST_YEAR <= year <= self.this_month.year
        if not year_ok:
            errors.append(LineError(line, YEAR, f"应为 {FIRST_YEAR} 至 {self.this_month.year} 之间的年份"))
        month = _whole(cells.get(MONTH, ""))
        if month is None or not 1 <= month <= 12:
            errors.append(LineError(line, MONTH, "应为 1 至 12 之间的整数"))
        elif year_ok and (year, month) > (self.this_month.year, self.this_month.month):
            errors.append(LineError(line, MONTH, f"{year}年{month}月尚未到来，不能填报"))
        if len(errors) > found:
            return None
        return org, department, year, month


def _only(queryset):
    """The one row a short name (院简称, 部门简称) names; None when it names none or several."""
    rows = list(queryset[:2])
    return rows[0] if len(rows) == 1 else None


def _whole(text: str) -> int | None:
    """A non-negative whole number written as digits (Excel's 12.0 included), else None."""
    text = text.strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _value(line: int, column: str, text: str, errors: list[LineError]) -> int | None:
    value = _whole(text)
    if value is None:
        errors.append(LineError(line, column, "应为非负整数"))
    elif value > MAX_VALUE:
        errors.append(LineError(line, column, "数值过大"))
        return None
    return value


def _header(cells: list[str]) -> tuple[list[str], dict[int, ReportItem]]:
    """The header's column names and, for the wide layout, the item of each item column."""
    names = [c.strip() for c in cells]
    if ORG_CODE not in names and ORG_NAME not in names:
        raise ReportFileError(f"第 1 行应为表头，须含「{ORG_CODE}」或「{ORG_NAME}」列")
    missing = [c for c in (YEAR, MONTH) if c not in names]
    if missing:
        raise ReportFileError(f"表头缺少「{'」「'.join(missing)}」列")
    if ITEM in names or VALUE in names:
        if ITEM not in names or VALUE not in names:
            raise ReportFileError(f"表头须同时含「{ITEM}」和「{VALUE}」列")
        return names, {}
    items = {}
    unknown = []
    for index, name in enumerate(names):
        if not name or name in UNIT_COLUMNS:
            continue
        item = find_item(name)
        if item is None:
            unknown.append(name)
        elif item in items.values():
            raise ReportFileError(f"表头中报表项目「{item.label}」出现了两次")
        else:
            items[index] = item
    if unknown:
        raise ReportFileError(f"表头中「{'」「'.join(unknown)}」不是报表项目（项目编码或名称见报表项目一览）")
    if not items:
        raise ReportFileError(f"表头须含「{ITEM}」「{VALUE}」列，或以报表项目为列名")
    return names, items


def check_lines(lines: Iterable[tuple[int, list[str]]], allowed_org: Organisation | None) -> tuple:
    """(rows, errors) of a file's lines; the first non-empty line is the header."""
    checker = _Checker(allowed_org)
    rows: list[FigureRow] = []
    errors: list[LineError] = []
    first_seen: dict[tuple, int] = {}
    header = None
    for line, cells in lines:
        if not any(cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        if line > MAX_ROWS + 1:
            raise ReportFileError(f"文件超过 {MAX_ROWS} 行，请分批导入")
        names, item_columns = header
        named = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names) if name}
        line_errors: list[LineError] = []
        unit = checker.unit(line, named, line_errors)
        figures: list[tuple[ReportItem, str, int | None]] = []
        if item_columns:
            for index, item in item_columns.items():
                text = cells[index] if index < len(cells) else ""
                if text:
                    figures.append((item, names[index], _value(line, names[index], text, line_errors)))
            if not figures and not line_errors:
                line_errors.append(LineError(line, names[min(item_columns)], "本行没有任何报表数"))
        else:
            item = find_item(named.get(ITEM, ""))
            if item is None:
                line_errors.append(LineError(line, ITEM, f"「{named.get(ITEM, '')}」不是报表项目"))
            figures.append((item, VALUE, _value(line, VALUE, named.get(VALUE, ""), line_errors)))
        if unit is not None and not line_errors:
            line_rows = [FigureRow(line, *unit, item, value) for item, _, value in figures]
            for row, (_, column, _) in zip(line_rows, figures, strict=True):
                if row.key in first_seen:
                    line_errors.append(LineError(line, column, f"与第 {first_seen[row.key]} 行重复"))
            if not line_errors:
                for row in line_rows:
                    first_seen[row.key] = line
                rows.extend(line_rows)
        errors.extend(line_errors)
    if header is None:
        raise ReportFileError("文件为空：没有表头和数据")
    return rows, errors


def parse_report(data: bytes, file_name: str, allowed_org: Organisation | None) -> ParsedReport:
    """Check a whole report file. Rows for a procuratorate other than `allowed_org` (when given)
    are rejected with the reason."""
    if len(data) > MAX_FILE_BYTES:
        raise ReportFileError(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，拒绝导入")
    if not data.strip():
        raise ReportFileError("文件为空：没有表头和数据")
    source, lines = read_lines(data, file_name)
    rows, errors = check_lines(lines, allowed_org)
    return ParsedReport(file_name, source, hashlib.sha256(data).hexdigest(), rows, errors)
