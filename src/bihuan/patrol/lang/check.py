"""Checking a rule definition and turning it into a typed tree that both evaluators walk.

`analyse` never stops at the first problem: it collects every error with the place in the
definition it was found (`when.all[2].ne[0]：未知字段 suspect.birthday`).
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bihuan.documents.extract.fields import FIELD_LABELS
from bihuan.documents.models import DocumentKind
from bihuan.patrol.lang.schema import BOOL, DATE, ENTITIES, INT, SUBJECTS, TEXT, TYPE_LABELS, Field


class RuleError(ValueError):
    """A definition that does not check; `errors` names every problem with its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


# Expressions.


@dataclass(frozen=True)
class Ref:
    """A field of a bound name (a user's name, or an internal `$docN` for one document value)."""

    name: str
    field: Field


@dataclass(frozen=True)
class Lit:
    value: Any
    type: str | None  # None: null


@dataclass(frozen=True)
class Today:
    months: int
    days: int


@dataclass(frozen=True)
class AddDays:
    expr: Any
    days: int


@dataclass(frozen=True)
class Label:
    expr: Ref


@dataclass(frozen=True)
class Text:
    expr: Any


@dataclass(frozen=True)
class Concat:
    """Texts joined; null when any part is null."""

    items: tuple


@dataclass(frozen=True)
class IdBirth:
    expr: Any


@dataclass(frozen=True)
class IdGender:
    expr: Any


@dataclass(frozen=True)
class Source:
    """`from`/`as`: the rows of collection `collection` of bound name `owner`, each bound to `name`."""

    owner: str
    collection: str
    entity: str
    name: str


@dataclass(frozen=True)
class Doc:
    """The values of field `field` of the case's documents of kind `kind` in group `group`;
    `name` is the internal name one value is bound to inside a comparison."""

    kind: str
    field: str
    group: Any
    name: str


@dataclass(frozen=True)
class Count:
    source: Source
    where: Any


@dataclass(frozen=True)
class First:
    source: Source
    where: Any
    value: Any


# Conditions.


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class AnyOf:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


@dataclass(frozen=True)
class Compare:
    op: str  # eq ne lt le gt ge
    left: Any
    right: Any


@dataclass(frozen=True)
class In:
    expr: Any
    values: tuple


@dataclass(frozen=True)
class Blank:
    expr: Any


@dataclass(frozen=True)
class Exists:
    source: Source
    where: Any


@dataclass(frozen=True)
class IdInvalid:
    expr: Any


@dataclass(frozen=True)
class DocCondition:
    """A condition over one value of a document field, true when some value meets it
    (`{ne: [{doc: …}, y]}`): `condition` refers to the value as `Ref(doc.name, value)`."""

    doc: Doc
    condition: Any


@dataclass(frozen=True)
class ShowItem:
    label: str
    value: Any
    source: str


@dataclass(frozen=True)
class Tree:
    subject: str
    when: Any
    show: tuple[ShowItem, ...]


COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
CONDITIONS = ("all", "any", "not", *COMPARISONS, "in", "blank", "present", "exists", "id_invalid")
EXPRESSIONS = ("today", "add_days", "label", "text", "concat", "id_birth", "id_gender", "doc", "count", "first")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PATH = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
# The value of an internal document binding: the effective value of the extracted field.
DOC_VALUE = ENTITIES["field"].fields["value"]


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.docs = 0

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}：{message}")

    # Conditions

    def condition(self, node: Any, where: str, names: dict[str, str]) -> Any:
        if not isinstance(node, dict) or len(node) != 1:
            self.error(where, "条件应为只有一个键的对象，如 {eq: [x, y]}")
            return None
        ((op, arg),) = node.items()
        here = f"{where}.{op}"
        if op not in CONDITIONS:
            self.error(where, f"未知条件 {op}")
            return None
        if op in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                self.error(here, f"{op} 需要非空的条件列表")
                return None
            items = tuple(self.condition(item, f"{here}[{i}]", names) for i, item in enumerate(arg))
            return (All if op == "all" else AnyOf)(items)
        if op == "not":
            return Not(self.condition(arg, here, names))
        if op in COMPARISONS:
            return self.comparison(op, arg, here, names)
        if op == "in":
            return self.membership(arg, here, names)
        if op in ("blank", "present"):
            return self.blank(op, arg, here, names)
        if op == "exists":
            source, where_, _ = self.source(arg, here, names, ())
            return Exists(source, where_) if source else None
        return IdInvalid(self.id_number(arg, here, names))

    def operands(self, arg: Any, count: int, where: str) -> list | None:
        if not isinstance(arg, list) or len(arg) != count:
            op = where.rsplit(".", 1)[-1]
            self.error(where, f"{op} 需要 {count} 个操作数")
            return None
        return arg

    def comparison(self, op: str, arg: Any, where: str, names: dict[str, str]) -> Any:
        pair = self.operands(arg, 2, where)
        if pair is None:
            return None
        sides, docs = [], []
        for i, item in enumerate(pair):
            if _is_doc(item):
                doc = self.doc(item[next(iter(item))], f"{where}[{i}].doc", names)
                docs.append(doc)
                sides.append((Ref(doc.name, DOC_VALUE) if doc else None, TEXT))
            else:
                sides.append(self.expression(item, f"{where}[{i}]", names))
        (left, lkind), (right, rkind) = sides
        if isinstance(left, Lit) and left.type is None or isinstance(right, Lit) and right.type is None:
            self.error(where, "与 null 比较总为假，请用 blank 或 present")
        if lkind == DATE and isinstance(right, Lit) and right.type == TEXT:
            right, rkind = self.date_literal(right, f"{where}[1]")
        if rkind == DATE and isinstance(left, Lit) and left.type == TEXT:
            left, lkind = self.date_literal(left, f"{where}[0]")
        if lkind and rkind and lkind != rkind:
            self.error(where, f"类型不一致：{TYPE_LABELS[lkind]} 与 {TYPE_LABELS[rkind]}")
        if op not in ("eq", "ne") and BOOL in (lkind, rkind):
            self.error(where, f"{op} 不能比较是/否")
        self.choice(left, right, f"{where}[1]")
        self.choice(right, left, f"{where}[0]")
        return _wrap(docs, Compare(op, left, right))

    def membership(self, arg: Any, where: str, names: dict[str, str]) -> Any:
        pair = self.operands(arg, 2, where)
        if pair is None:
            return None
        item, values = pair
        docs = []
        if _is_doc(item):
            doc = self.doc(item[next(iter(item))], f"{where}[0].doc", names)
            docs.append(doc)
            expr, kind = (Ref(doc.name, DOC_VALUE) if doc else None), TEXT
        else:
            expr, kind = self.expression(item, f"{where}[0]", names)
        if not isinstance(values, list) or not values:
            self.error(f"{where}[1]", "in 的第二个操作数应为非空的值列表")
            return None
        literals = []
        for i, value in enumerate(values):
            literal, vkind = self.literal(value, f"{where}[1][{i}]")
            if kind == DATE and vkind == TEXT:
                literal, vkind = self.date_literal(literal, f"{where}[1][{i}]")
            if vkind is None:
                self.error(f"{where}[1][{i}]", "in 的值不能为 null")
            elif kind and vkind != kind:
                self.error(f"{where}[1][{i}]", f"类型不一致：{TYPE_LABELS[kind]} 与 {TYPE_LABELS[vkind]}")
            self.choice(expr, literal, f"{where}[1][{i}]")
            literals.append(literal.value)
        return _wrap(docs, In(expr, tuple(literals)))

    def blank(self, op: str, arg: Any, where: str, names: dict[str, str]) -> Any:
        if _is_doc(arg):
            # Existential like a comparison: some value of the documents is present (or blank).
            doc = self.doc(arg[next(iter(arg))], f"{where}.doc", names)
            inner = Blank(Ref(doc.name, DOC_VALUE)) if doc else None
            return _wrap([doc], inner if op == "blank" else Not(inner))
        expr, _ = self.expression(arg, where, names)
        return Blank(expr) if op == "blank" else Not(Blank(expr))

    def source(self, arg: Any, where: str, names: dict[str, str], extra: tuple[str, ...]) -> tuple:
        if not isinstance(arg, dict) or "from" not in arg or "as" not in arg:
            self.error(where, "需要 from 与 as")
            return None, None, names
        unknown = set(arg) - {"from", "as", "where", *extra}
        if unknown:
            self.error(where, f"未知的键 {'、'.join(sorted(unknown))}")
        path, name = arg["from"], arg["as"]
        match = PATH.match(path) if isinstance(path, str) else None
        if not match:
            self.error(f"{where}.from", f"集合应写作 名称.集合：{path!r}")
            return None, None, names
        owner, collection = match.groups()
        if owner not in names:
            self.error(f"{where}.from", f"未绑定的名称 {owner}")
            return None, None, names
        entity = ENTITIES[names[owner]]
        if collection not in entity.collections:
            self.error(f"{where}.from", f"未知集合 {path}")
            return None, None, names
        if not isinstance(name, str) or not NAME.match(name):
            self.error(f"{where}.as", f"名称应为小写字母开头的标识符：{name!r}")
            return None, None, names
        if name in names:
            self.error(f"{where}.as", f"名称 {name} 已绑定")
            return None, None, names
        row = entity.collections[collection].entity
        inner = {**names, name: row}
        condition = self.condition(arg["where"], f"{where}.where", inner) if "where" in arg else None
        return Source(owner, collection, row, name), condition, inner

    # Expressions

    def expression(self, node: Any, where: str, names: dict[str, str]) -> tuple:
        """The typed expression and its type (None for null or after an error)."""
        if isinstance(node, str):
            match = PATH.match(node)
            if match and (match.group(1) in names or match.group(1) in ENTITIES):
                return self.ref(match.group(1), match.group(2), where, names)
            return Lit(node, TEXT), TEXT
        if not isinstance(node, dict):
            return self.literal(node, where)
        if len(node) != 1:
            self.error(where, "表达式应为只有一个键的对象")
            return None, None
        ((op, arg),) = node.items()
        here = f"{where}.{op}"
        if op not in EXPRESSIONS:
            self.error(where, f"未知表达式 {op}")
            return None, None
        if op == "today":
            return self.today(arg, here), DATE
        if op == "add_days":
            pair = self.operands(arg, 2, here)
            if pair is None:
                return None, DATE
            expr, kind = self.expression(pair[0], f"{here}[0]", names)
            if isinstance(expr, Lit) and kind == TEXT:
                expr, kind = self.date_literal(expr, f"{here}[0]")
            self.expect(kind, DATE, f"{here}[0]")
            if not _is_int(pair[1]):
                self.error(f"{here}[1]", "天数应为整数")
                return None, DATE
            return AddDays(expr, pair[1]), DATE
        if op == "label":
            expr, _ = self.expression(arg, here, names)
            if expr is not None and not (isinstance(expr, Ref) and expr.field.choices):
                self.error(here, "label 只能用于有选项的字段")
                return None, TEXT
            return Label(expr), TEXT
        if op == "text":
            expr, kind = self.expression(arg, here, names)
            if kind not in (DATE, INT, None):
                self.error(here, f"text 只能用于日期或数值，不能用于{TYPE_LABELS[kind]}")
            return Text(expr), TEXT
        if op == "concat":
            if not isinstance(arg, list) or len(arg) < 2:
                self.error(here, "concat 需要至少 2 个操作数")
                return None, TEXT
            items = []
            for i, item in enumerate(arg):
                expr, kind = self.expression(item, f"{here}[{i}]", names)
                self.expect(kind, TEXT, f"{here}[{i}]")
                items.append(expr)
            return Concat(tuple(items)), TEXT
        if op in ("id_birth", "id_gender"):
            return (IdBirth if op == "id_birth" else IdGender)(self.id_number(arg, here, names)), TEXT
        if op == "doc":
            self.error(here, "doc 只能直接用作比较、in、blank、present 的操作数或 show 的值")
            return None, TEXT
        if op == "count":
            source, condition, _ = self.source(arg, here, names, ())
            return (Count(source, condition) if source else None), INT
        self.error(here, "first 只能用于 show")
        return None, None

    def show_value(self, node: Any, where: str, names: dict[str, str]) -> Any:
        if _is_doc(node):
            return self.doc(node[next(iter(node))], f"{where}.doc", names)
        if isinstance(node, dict) and set(node) == {"first"}:
            arg = node["first"]
            source, condition, inner = self.source(arg, f"{where}.first", names, ("value",))
            if source is None:
                return None
            if "value" not in arg:
                self.error(f"{where}.first", "需要 value")
                return None
            value, _ = self.expression(arg["value"], f"{where}.first.value", inner)
            return First(source, condition, value)
        expr, _ = self.expression(node, where, names)
        return expr

    def ref(self, name: str, field: str, where: str, names: dict[str, str]) -> tuple:
        if name not in names:
            self.error(where, f"未绑定的名称 {name}")
            return None, None
        fields = ENTITIES[names[name]].fields
        if field not in fields:
            self.error(where, f"未知字段 {name}.{field}")
            return None, None
        return Ref(name, fields[field]), fields[field].type

    def literal(self, node: Any, where: str) -> tuple:
        if node is None:
            return Lit(None, None), None
        if isinstance(node, bool):
            return Lit(node, BOOL), BOOL
        if _is_int(node):
            return Lit(node, INT), INT
        if isinstance(node, str):
            return Lit(node, TEXT), TEXT
        self.error(where, f"不支持的值 {node!r}")
        return None, None

    def date_literal(self, literal: Lit, where: str) -> tuple:
        try:
            return Lit(date.fromisoformat(literal.value), DATE), DATE
        except ValueError:
            self.error(where, f"日期应写作 YYYY-MM-DD：{literal.value!r}")
            return None, DATE

    def today(self, arg: Any, where: str) -> Today | None:
        if not isinstance(arg, dict) or set(arg) - {"days", "months"}:
            self.error(where, "today 的参数只能有 days、months")
            return None
        if not all(_is_int(value) for value in arg.values()):
            self.error(where, "days、months 应为整数")
            return None
        return Today(arg.get("months", 0), arg.get("days", 0))

    def doc(self, arg: Any, where: str, names: dict[str, str]) -> Doc | None:
        if "case" not in names:
            self.error(where, "doc 只能用于有案件的规则")
            return None
        if not isinstance(arg, dict) or not {"kind", "name"} <= set(arg) or set(arg) - {"kind", "name", "group"}:
            self.error(where, "doc 需要 kind、name，可选 group")
            return None
        ok = True
        if arg["kind"] not in DocumentKind.values:
            self.error(f"{where}.kind", f"未知文书种类 {arg['kind']}")
            ok = False
        if arg["name"] not in FIELD_LABELS:
            self.error(f"{where}.name", f"未知文书字段 {arg['name']}")
            ok = False
        group, kind = self.expression(arg.get("group", 0), f"{where}.group", names)
        self.expect(kind, INT, f"{where}.group")
        self.docs += 1
        return Doc(arg["kind"], arg["name"], group, f"$doc{self.docs}") if ok else None

    def id_number(self, arg: Any, where: str, names: dict[str, str]) -> Any:
        """The operand of an ID-number function: a text field."""
        expr, kind = self.expression(arg, where, names)
        if expr is not None and not isinstance(expr, Ref):
            self.error(where, "公民身份号码函数只能用于字段")
            return None
        self.expect(kind, TEXT, where)
        return expr

    def choice(self, expr: Any, literal: Any, where: str) -> None:
        """A text literal compared with a choice field must be one of its stored values (or, under
        `label`, one of its labels): a misspelt value would silently never match."""
        if not isinstance(literal, Lit) or literal.type != TEXT:
            return
        if isinstance(expr, Ref) and expr.field.choices and literal.value not in expr.field.choices:
            self.error(where, f"{expr.name}.{expr.field.name} 没有取值 {literal.value!r}")
        labels = expr.expr.field.choices.values() if isinstance(expr, Label) and expr.expr else ()
        if labels and literal.value not in labels:
            self.error(where, f"{expr.expr.name}.{expr.expr.field.name} 没有标签 {literal.value!r}")

    def expect(self, kind: str | None, wanted: str, where: str) -> None:
        if kind is not None and kind != wanted:
            self.error(where, f"应为{TYPE_LABELS[wanted]}，实为{TYPE_LABELS[kind]}")


def _is_doc(node: Any) -> bool:
    return isinstance(node, dict) and set(node) == {"doc"}


def _is_int(node: Any) -> bool:
    return isinstance(node, int) and not isinstance(node, bool)


def _wrap(docs: list, condition: Any) -> Any:
    """Put a condition over document values inside one existential per document operand."""
    for doc in reversed(docs):
        condition = DocCondition(doc, condition) if doc else None
    return condition


def analyse(definition: Any) -> tuple[Tree | None, list[str]]:
    """The typed tree of a definition and the errors found (the tree is None when any)."""
    checker = _Checker()
    if not isinstance(definition, dict):
        return None, ["definition：规则定义应为对象（subject、when、show）"]
    unknown = set(definition) - {"subject", "when", "show"}
    if unknown:
        checker.error("definition", f"未知的键 {'、'.join(sorted(unknown))}")
    subject = definition.get("subject")
    if subject not in SUBJECTS:
        checker.error("subject", f"未知对象 {subject!r}，应为 {'、'.join(SUBJECTS)}")
        return None, checker.errors
    names = {name: name for name in SUBJECTS[subject].names}
    if "when" not in definition:
        checker.error("when", "缺少条件")
        when = None
    else:
        when = checker.condition(definition["when"], "when", names)
    show = []
    items = definition.get("show", [])
    if not isinstance(items, list):
        checker.error("show", "show 应为列表")
        items = []
    for i, item in enumerate(items):
        where = f"show[{i}]"
        if (
            not isinstance(item, dict)
            or set(item) - {"label", "value", "source"}
            or not {"label", "value"} <= set(item)
        ):
            checker.error(where, "应为 {label, value, source}")
            continue
        value = checker.show_value(item["value"], f"{where}.value", names)
        show.append(ShowItem(str(item["label"]), value, str(item.get("source", ""))))
    if checker.errors:
        return None, checker.errors
    return Tree(subject, when, tuple(show)), []


def check_definition(definition: dict) -> list[str]:
    """Every problem of a definition, each with its place; [] when it is valid."""
    return analyse(definition)[1]
