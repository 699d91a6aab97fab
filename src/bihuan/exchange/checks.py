"""What makes a line of the exchange format acceptable: the JSON Schema, then the rules the
schema cannot state (ID numbers, dates in order, units and people that exist and belong together).

Each problem is a (field path, reason) pair, the path written like `suspects[0].id_number`.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError

from bihuan.cases.numbering import DEPT_CASE_NO
from bihuan.exchange.directory import Directory
from bihuan.exchange.records import GENDER
from bihuan.lib import idnumber

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "case.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
WHOLE_LINE = "（整行）"

Problem = tuple[str, str]

# Valid lines, nearly all of a file, are checked by the compiled validator (microseconds a line);
# only a rejected line is walked again by `jsonschema` to name each problem.
_fast = jsonschema_rs.validator_for(SCHEMA)
_explaining = Draft202012Validator(SCHEMA)

TYPE_NAMES = {
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "null": "null",
    "object": "对象",
    "array": "数组",
}
DATE_PATTERN = SCHEMA["$defs"]["date"]["pattern"]
PATTERN_REASONS = {
    DATE_PATTERN: "日期应写作 YYYY-MM-DD",
    SCHEMA["properties"]["dept_case_no"]["pattern"]: "部门受案号格式不符，应如 环检刑诉受[2024]371002000123号",
    SCHEMA["properties"]["unified_case_no"]["pattern"]: "统一受案号应为 17 位数字",
    SCHEMA["properties"]["org_code"]["pattern"]: "单位编码应为 6 位数字",
    SCHEMA["$defs"]["suspect"]["properties"]["id_number"]["pattern"]: (
        "公民身份号码应为 18 位，前 17 位为数字，末位为数字或 X"
    ),
    SCHEMA["$defs"]["money"]["pattern"]: '金额应为至多两位小数的数字字符串，如 "3000.00"',
}


def field_path(parts: Any) -> str:
    """`["suspects", 0, "id_number"]` → `suspects[0].id_number`; the empty path is the whole line."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or WHOLE_LINE


def _shown(value: Any) -> str:
    return "空串" if value == "" else json.dumps(value, ensure_ascii=False)


def _explain(error: ValidationError) -> list[Problem]:
    """Name the field and the reason, in Chinese, of one schema violation."""
    path = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        return [(field_path([*path, key]), "缺少必填字段") for key in expected if key not in value]
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return [(field_path([*path, key]), "不是交换格式中的字段") for key in value if key not in known]
    if kind == "type":
        names = [expected] if isinstance(expected, str) else expected
        reason = f"类型应为{'或'.join(TYPE_NAMES[n] for n in names)}，实为 {_shown(value)}"
    elif kind == "enum":
        reason = f"取值 {_shown(value)} 不在允许的取值中：{'、'.join(_shown(v) for v in expected)}"
    elif kind == "const":
        reason = f"应为 {_shown(expected)}"
    elif kind == "pattern":
        reason = f"{PATTERN_REASONS[expected]}，实为 {_shown(value)}"
    elif kind == "maxLength":
        reason = f"长度 {len(value)} 超过上限 {expected} 个字符"
    elif kind == "minLength":
        reason = "不能为空串"
    elif kind == "minimum":
        reason = f"应不小于 {expected}，实为 {value}"
    elif kind == "maximum":
        reason = f"应不大于 {expected}，实为 {value}"
    elif kind == "uniqueItems":
        reason = "有重复的项"
    else:
        reason = error.message
    return [(field_path(path), reason)]


def schema_problems(record: Any) -> list[Problem]:
    """The violations of the JSON Schema, in field order; empty when the record conforms."""
    if _fast.is_valid(record):
        return []
    problems: list[Problem] = []
    for error in sorted(_explaining.iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.extend(p for p in _explain(error) if p not in problems)
    # The two validators implement one standard; should they ever disagree, the line is still rejected.
    return problems or [(WHOLE_LINE, "不符合交换格式的 JSON Schema")]


def _day(text: str | None, field: str, problems: list[Problem]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append((field, f"{text} 不是有效的日期"))
        return None


def _check_period(start: str, end: str | None, at: str, problems: list[Problem]) -> None:
    first = _day(start, f"{at}.start_date", problems)
    last = _day(end, f"{at}.end_date", problems)
    if first and last and last < first:
        problems.append((f"{at}.end_date", f"结束日期 {last} 早于起始日期 {first}"))


def _check_assignment(r: dict, directory: Directory, problems: list[Problem]) -> None:
    """The unit exists, and the department, team and prosecutor are its own."""
    org = directory.orgs.get(r["org_code"])
    if org is None:
        problems.append(("org_code", f"单位编码 {r['org_code']} 不存在"))
        return
    department_id = None
    if r["department"] is not None:
        department_id = directory.departments.get((org.id, r["department"]))
        if department_id is None:
            problems.append(("department", f"{org.name}没有名为“{r['department']}”的部门"))
    if r["team"] is not None:
        if r["department"] is None:
            problems.append(("team", "填写了办案团队，但未填写承办部门"))
        elif department_id is not None and (department_id, r["team"]) not in directory.teams:
            problems.append(("team", f"部门“{r['department']}”下没有名为“{r['team']}”的办案团队"))
    if r["prosecutor"] is not None:
        person = directory.people.get(r["prosecutor"])
        if person is None:
            problems.append(("prosecutor", f"没有用户名为 {r['prosecutor']} 的人员"))
        elif person.org_id != org.id:
            problems.append(("prosecutor", f"{r['prosecutor']} 不是{org.name}的人员"))


def _check_suspect(s: dict, at: str, directory: Directory, problems: list[Problem]) -> None:
    birth = _day(s["birth_date"], f"{at}.birth_date", problems)
    if s["id_number"]:
        problems.extend((f"{at}.id_number", reason) for reason in idnumber.validate(s["id_number"], birth))
        if idnumber.gender_of(s["id_number"]) != GENDER.code[s["gender"]]:
            problems.append((f"{at}.id_number", f"公民身份号码第 17 位表示的性别与性别“{s['gender']}”不一致"))
    _day(s["plea_signed_date"], f"{at}.plea_signed_date", problems)
    names = set()
    for i, charge in enumerate(s["charges"]):
        if charge["name"] not in directory.charges:
            problems.append((f"{at}.charges[{i}].name", f"罪名目录中没有“{charge['name']}”"))
        if charge["name"] in names:
            problems.append((f"{at}.charges[{i}].name", f"罪名“{charge['name']}”重复"))
        names.add(charge["name"])
    if sum(c["main"] for c in s["charges"]) > 1:
        problems.append((f"{at}.charges", "主罪名只能有一个"))
    rec = s["sentencing_recommendation"]
    if rec and rec["term_min"] is not None and rec["term_max"] is not None and rec["term_min"] > rec["term_max"]:
        problems.append((f"{at}.sentencing_recommendation.term_max", "建议刑期上限小于下限"))
    if s["court_result"]:
        _day(s["court_result"]["judgment_date"], f"{at}.court_result.judgment_date", problems)
    for i, measure in enumerate(s["measures"]):
        _check_period(measure["start_date"], measure["end_date"], f"{at}.measures[{i}]", problems)


def record_problems(r: dict, directory: Directory) -> list[Problem]:
    """The problems of a schema-valid, completed record (see records.complete) beyond the schema.
    The directory must have been primed with the record."""
    problems: list[Problem] = []
    number = DEPT_CASE_NO.match(r["dept_case_no"])
    if number is None:
        problems.append(("dept_case_no", "部门受案号格式不符"))
    elif number["code"] != r["org_code"]:
        problems.append(("dept_case_no", f"部门受案号中的单位编码 {number['code']} 与 org_code {r['org_code']} 不一致"))
    _check_assignment(r, directory, problems)
    if r["charge"] is not None and r["charge"] not in directory.charges:
        problems.append(("charge", f"罪名目录中没有“{r['charge']}”"))
    received = _day(r["received_date"], "received_date", problems)
    closed = _day(r["closed_date"], "closed_date", problems)
    if received and closed and closed < received:
        problems.append(("closed_date", f"审结日期 {closed} 早于受理日期 {received}"))
    seqs = set()
    for i, suspect in enumerate(r["suspects"]):
        if suspect["seq"] in seqs:
            problems.append((f"suspects[{i}].seq", f"犯罪嫌疑人序号 {suspect['seq']} 重复"))
        seqs.add(suspect["seq"])
        _check_suspect(suspect, f"suspects[{i}]", directory, problems)
    for i, link in enumerate(r["links"]):
        _check_period(link["start_date"], link["end_date"], f"links[{i}]", problems)
        if link["suspect_seq"] is not None and link["suspect_seq"] not in seqs:
            problems.append((f"links[{i}].suspect_seq", f"没有序号为 {link['suspect_seq']} 的犯罪嫌疑人"))
    for i, document in enumerate(r["documents"]):
        _day(document["signed_date"], f"documents[{i}].signed_date", problems)
    return problems
