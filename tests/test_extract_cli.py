"""`bihuan extract --kind 起诉书 FILE [--json]`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SAMPLE = Path(__file__).parent / "data" / "extract" / "indictments" / "12.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_field_with_its_span_and_text():
    text = SAMPLE.read_text(encoding="utf-8")
    result = json.loads(run("--kind", "起诉书", str(SAMPLE), "--json"))
    assert result["file_type"] == "txt"
    rows = result["fields"]
    first = {k: rows[0][k] for k in ("name", "value", "group")}
    assert first == {"name": "doc_number", "value": "龙检刑诉〔2024〕46号", "group": 0}
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    names = [row["value"] for row in rows if row["name"] == "name"]
    assert names == ["蒋某某", "沈某", "韩某某", "杨某"]


def test_the_kind_may_be_given_by_its_value():
    assert json.loads(run("--kind", "indictment", str(SAMPLE), "--json")) == json.loads(
        run("--kind", "起诉书", str(SAMPLE), "--json")
    )


def test_without_json_a_readable_table_is_printed():
    out = run("--kind", "起诉书", str(SAMPLE))
    assert "文件类型：txt" in out
    assert "人员3\t姓名（name）\t韩某某" in out
    assert "文书\t移送起诉日期（transfer_date）\t2023-11-03\t" in out


def test_a_rejected_file_gives_the_reason_and_exit_code_2(tmp_path):
    path = tmp_path / "起诉书.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(CommandError) as caught:
        run("--kind", "起诉书", str(path))
    assert caught.value.returncode == 2
    assert "PNG 图片" in str(caught.value)


def test_an_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError) as caught:
        run("--kind", "起诉书", str(path))
    assert caught.value.returncode == 2
    assert "超过上限" in str(caught.value)


def test_an_unknown_kind_is_refused():
    with pytest.raises(CommandError, match="未知的文书种类"):
        run("--kind", "判决书草稿", str(SAMPLE))
