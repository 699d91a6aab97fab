"""Importing report files (CSV and XLSX), bad lines, re-imports with history, scope, the CLI."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from bihuan.bizreports.actions import do_enter_figures, do_import_report
from bihuan.bizreports.importer import ReportFileError
from bihuan.bizreports.models import ReportBatch, ReportFigure
from bihuan.events.models import Event
from tests import factories as f
from tests.bizreports_helpers import LONG_HEADER, csv_bytes, named, xlsx_bytes


def current(org, item, department=None, year=2024, month=3):
    figure = ReportFigure.objects.filter(
        org=org, department=department, year=year, month=month, item=item, is_current=True
    ).first()
    return figure.value if figure else None


def test_a_csv_in_the_long_layout_is_imported(world):
    county, cm = world.county, world.people["cm"]
    data = csv_bytes(
        [
            LONG_HEADER,
            ["371002", "", 2024, 3, "QS", 12],
            ["371002", "第一检察部", 2024, 3, "不起诉（人）", 3],
            ["371002", "", 2024, 3, "退回补充侦查", "4"],
        ]
    )
    events = Event.objects.count()
    result = do_import_report(named(data, "2024年3月.csv"), cm)
    assert not result.parsed.errors
    assert result.stored.written == 3
    assert current(county, "QS") == 12
    assert current(county, "BQS", world.county_dept) == 3
    assert current(county, "TB") == 4
    batch = ReportBatch.objects.get()
    assert (batch.source, batch.file_name, batch.imported_by, batch.rows_accepted) == ("csv", "2024年3月.csv", cm, 3)
    assert len(batch.sha256) == 64
    assert Event.objects.count() == events + 1
    event = Event.objects.latest("seq")
    assert event.action == "bizreports.csv"
    assert event.org_code == "371002"


def test_a_gb18030_csv_by_name_is_imported(world):
    data = csv_bytes(
        [["院名称", "年", "月", "项目", "数值"], [world.county.name, 2024, 2, "起诉（人）", 7]], encoding="gb18030"
    )
    result = do_import_report(named(data, "gbk.csv"), world.people["cm"])
    assert not result.parsed.errors
    assert current(world.county, "QS", month=2) == 7


def test_an_xlsx_in_the_wide_layout_is_imported(world):
    data = xlsx_bytes(
        [
            ["院代码", "部门", "年", "月", "SLQS", "起诉（人）", "延长审查起诉期限（次）"],
            ["371002", None, 2024, 3, 20, 15, None],
            ["371002", "第一检察部", 2024, 3, 18, 14, 2],
        ]
    )
    result = do_import_report(named(data, "三月.xlsx"), world.people["cm"])
    assert not result.parsed.errors
    assert result.stored.written == 5  # the empty cell is "not reported"
    assert current(world.county, "SLQS") == 20
    assert current(world.county, "YC") is None
    assert current(world.county, "YC", world.county_dept) == 2
    assert ReportBatch.objects.get().source == "excel"


def test_bad_lines_are_reported_with_line_and_field_and_none_of_them_is_written(world):
    data = csv_bytes(
        [
            LONG_HEADER,
            ["371002", "", 2024, 3, "QS", 12],
            ["371002", "", 2024, 3, "BQS", -1],
            ["371002", "", 2024, 13, "TB", 1],
            ["371002", "", 2024, 3, "批捕率", 1],
            ["371002", "第九检察部", 2024, 3, "YC", 1],
            ["999999", "", 2024, 3, "YC", 1],
            ["371002", "", 2024, 3, "QS", 13],
            ["371002", "", 2024, 3, "RZRF", "1.5"],
        ]
    )
    result = do_import_report(named(data, "bad.csv"), world.people["cm"])
    messages = [str(e) for e in result.parsed.errors]
    assert messages == [
        "第 3 行 字段「数值」：应为非负整数",
        "第 4 行 字段「月」：应为 1 至 12 之间的整数",
        "第 5 行 字段「项目」：「批捕率」不是报表项目",
        f"第 6 行 字段「部门」：{world.county.name}没有名为「第九检察部」的部门",
        "第 7 行 字段「院代码」：未找到检察院「999999」",
        "第 8 行 字段「数值」：与第 2 行重复",
        "第 9 行 字段「数值」：应为非负整数",
    ]
    assert result.parsed.rejected_lines == 7
    assert list(ReportFigure.objects.values_list("item", "value")) == [("QS", 12)]
    assert ReportBatch.objects.get().rows_rejected == 7


def test_a_wide_line_with_one_bad_cell_is_not_written_at_all(world):
    data = xlsx_bytes([["院代码", "年", "月", "QS", "BQS"], ["371002", 2024, 3, 5, "三"], ["371002", 2024, 2, 4, 1]])
    result = do_import_report(named(data, "w.xlsx"), world.people["cm"])
    assert [str(e) for e in result.parsed.errors] == ["第 2 行 字段「BQS」：应为非负整数"]
    assert current(world.county, "QS") is None
    assert current(world.county, "QS", month=2) == 4


def test_all_or_nothing_writes_nothing_when_a_line_is_bad(world):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 12], ["371002", "", 2024, 3, "BQS", "x"]])
    result = do_import_report(named(data, "a.csv"), world.people["cm"], all_or_nothing=True)
    assert result.refused is True
    assert not ReportFigure.objects.exists()
    assert not ReportBatch.objects.exists()


def test_the_same_file_twice_changes_nothing(world):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 12]])
    do_import_report(named(data, "a.csv"), world.people["cm"])
    events = Event.objects.count()
    again = do_import_report(named(data, "a.csv"), world.people["cm"])
    assert (again.stored.written, again.stored.unchanged) == (0, 1)
    assert again.earlier == ReportBatch.objects.get()
    assert "未作任何修改" in again.summary()
    assert "已于" in again.summary()
    assert ReportFigure.objects.count() == 1
    assert Event.objects.count() == events


def test_a_reimport_replaces_the_value_and_keeps_the_history(world):
    county, cm = world.county, world.people["cm"]
    do_import_report(named(csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 12]]), "1.csv"), cm)
    first = ReportFigure.objects.get()
    do_import_report(
        named(csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 15], ["371002", "", 2024, 3, "BQS", 2]]), "2.csv"),
        cm,
    )
    assert current(county, "QS") == 15
    first.refresh_from_db()
    assert first.is_current is False
    assert first.superseded_by.value == 15
    assert first.superseded_by.batch.file_name == "2.csv"
    assert ReportFigure.objects.filter(item="QS").count() == 2
    second = ReportBatch.objects.get(file_name="2.csv")
    assert (second.rows_accepted, second.rows_unchanged) == (2, 0)
    # A manual entry of a third value supersedes the imported one the same way.
    do_enter_figures(county, None, 2024, 3, {"QS": 16}, cm)
    assert current(county, "QS") == 16
    assert ReportFigure.objects.filter(item="QS", is_current=False).count() == 2


def test_a_case_manager_imports_only_for_their_own_procuratorate(world):
    data = csv_bytes(
        [
            LONG_HEADER,
            ["371002", "", 2024, 3, "QS", 1],
            ["371082", "", 2024, 3, "QS", 2],
            ["371000", "", 2024, 3, "QS", 3],
        ]
    )
    result = do_import_report(named(data, "s.csv"), world.people["cm"])
    assert [e.line for e in result.parsed.errors] == [3, 4]
    assert "只能导入本院" in str(result.parsed.errors[0])
    assert list(ReportFigure.objects.values_list("org__code", flat=True)) == ["371002"]


def test_only_a_case_manager_imports(world):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 1]])
    for role in ("chief", "head", "pros_a"):
        with pytest.raises(PermissionDenied):
            do_import_report(named(data, "s.csv"), world.people[role])
    assert not ReportFigure.objects.exists()


def test_manual_entry_is_for_the_own_procuratorate_only(world):
    with pytest.raises(PermissionDenied):
        do_enter_figures(world.other_county, None, 2024, 3, {"QS": 1}, world.people["cm"])
    with pytest.raises(PermissionDenied):
        do_enter_figures(world.county, None, 2024, 3, {"QS": 1}, world.people["city_chief"])
    assert not ReportFigure.objects.exists()


def test_a_month_not_yet_come_is_refused(world, time_machine):
    time_machine.move_to(date(2024, 3, 20))
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 4, "QS", 1], ["371002", "", 2025, 1, "QS", 1]])
    result = do_import_report(named(data, "f.csv"), world.people["cm"])
    assert [str(e) for e in result.parsed.errors] == [
        "第 2 行 字段「月」：2024年4月尚未到来，不能填报",
        "第 3 行 字段「年」：应为 2000 至 2024 之间的年份",
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "e.csv", "文件为空"),
        (csv_bytes([["编号", "数值"], [1, 2]]), "h.csv", "须含「院代码」或「院名称」列"),
        (csv_bytes([["院代码", "年", "月", "批捕率"]]), "h.csv", "「批捕率」不是报表项目"),
        (b"\x81\x30" * 10, "x.xlsx", "不是有效的 Excel"),
        (b"old", "x.xls", "不支持旧版 Excel"),
        (b"\xff\xfe\x00\xd8" * 4, "b.csv", "无法识别文件编码"),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason(world, data, name, message):
    with pytest.raises(ReportFileError, match=message):
        do_import_report(named(data, name), world.people["cm"])
    assert not ReportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    data = b"x" * (5 * 1024 * 1024 + 10)
    with pytest.raises(ReportFileError, match="超过 5 MB"):
        do_import_report(named(data, "big.csv"), world.people["cm"])


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ReportFileError, match="解压后超过"):
        do_import_report(named(buffer.getvalue(), "bomb.xlsx"), world.people["cm"])


# The command line


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_cli_imports_and_exits_zero(world, tmp_path, capsys):
    path = write(tmp_path, "ok.csv", csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 9]]))
    call_command("importreport", path)
    assert current(world.county, "QS") == 9
    assert "写入 1 条报表数" in capsys.readouterr().out
    batch = ReportBatch.objects.get()
    assert batch.imported_by is None
    assert batch.file_name == "ok.csv"


def test_the_cli_reports_rejected_lines_and_exits_one(world, tmp_path, capsys):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 9], ["371082", "", 2024, 3, "QS", "-"]])
    path = write(tmp_path, "bad.csv", data)
    with pytest.raises(SystemExit) as exit_info:
        call_command("importreport", path)
    assert exit_info.value.code == 1
    assert "第 3 行 字段「数值」：应为非负整数" in capsys.readouterr().err
    assert current(world.county, "QS") == 9


def test_the_cli_org_option_rejects_other_procuratorates(world, tmp_path, capsys):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 9], ["371082", "", 2024, 3, "QS", 4]])
    path = write(tmp_path, "two.csv", data)
    with pytest.raises(SystemExit):
        call_command("importreport", path, "--org", "371082")
    assert "第 2 行 字段「院代码」：只能导入本院" in capsys.readouterr().err
    assert current(world.other_county, "QS") == 4
    assert current(world.county, "QS") is None


def test_the_cli_without_org_writes_one_batch_per_procuratorate(world, tmp_path):
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 9], ["371082", "", 2024, 3, "QS", 4]])
    call_command("importreport", write(tmp_path, "two.csv", data))
    assert sorted(ReportBatch.objects.values_list("org__code", flat=True)) == ["371002", "371082"]


def test_the_cli_refuses_a_missing_file_or_org(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="文件不存在"):
        call_command("importreport", str(tmp_path / "none.csv"))
    path = write(tmp_path, "ok.csv", csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 9]]))
    with pytest.raises(CommandError, match="未找到单位编码"):
        call_command("importreport", path, "--org", "000000")
    with pytest.raises(CommandError, match="文件为空"):
        call_command("importreport", write(tmp_path, "empty.csv", b""))


def test_short_names_are_accepted_only_when_they_name_one_unit(world):
    f.make_department(world.county, "第一办案组")  # short name 第一, like 第一检察部
    data = csv_bytes(
        [
            ["院名称", "部门", "年", "月", "项目", "数值"],
            [world.county.short_name, "案件", 2024, 3, "QS", 1],
            [world.county.short_name, "第一", 2024, 3, "QS", 2],
        ]
    )
    result = do_import_report(named(data, "short.csv"), world.people["cm"])
    assert [str(e) for e in result.parsed.errors] == [
        f"第 3 行 字段「部门」：{world.county.name}没有名为「第一」的部门"
    ]
    assert current(world.county, "QS", world.county_cm_dept) == 1
