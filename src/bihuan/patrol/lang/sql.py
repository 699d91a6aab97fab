"""The SQL compiler: a rule as one set-based query through the ORM, for the full patrol.

The condition stays in WHERE; collections and document values become correlated EXISTS (which
PostgreSQL plans as hash semi/anti-joins); `count` compared with a number becomes membership in
a grouped subquery when its rows are read alone, a correlated count otherwise. Every comparison is
guarded (`x IS NOT NULL AND y IS NOT NULL AND x op y`) so that no condition is ever NULL and NOT
means plain boolean not, as in the memory evaluator.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Collate, Length, Mod, Substr, Upper
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
    Regex,
)

from bihuan.documents.models import ExtractedField
from bihuan.lib.idnumber import CHECK_CHARS, WEIGHTS
from bihuan.patrol.lang import check as t
from bihuan.patrol.lang.schema import BOOL, DATE, ENTITIES, INT, SUBJECTS, TEXT
from bihuan.patrol.lang.values import ID_FORMAT, JOIN, Compiled, Detail, shift, subject_text, written

OUTPUT = {TEXT: CharField(), DATE: DateField(), INT: IntegerField(), BOOL: BooleanField()}
MIRROR = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}
LOOKUPS = {
    "eq": Exact,
    "lt": LessThan,
    "le": LessThanOrEqual,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
}
BATCH = 2000


class Join(Func):
    """Texts joined with `||`, null when any is null on both databases (Django's Concat wraps each
    in COALESCE and nests them in pairs, too deep for SQLite's parser inside the ID-number
    expressions)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = CharField()


class AddDays(Func):
    """date + n days as a date on both databases, in native SQL: Django's date + timedelta is a
    timestamp on PostgreSQL (whose text carries a time) and a Python function call per row on
    SQLite."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = days

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", [*params, f"{self.days:+d} days"]

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + %s)", [*params, self.days]


@dataclass(frozen=True)
class Binding:
    entity: str
    level: int  # the query nesting level the name is bound at (0: the subject's query)
    prefix: str  # ORM path from that query's model to the row


class Scope:
    """The names visible at one query nesting level."""

    def __init__(self, bindings: dict[str, Binding], level: int, today: date) -> None:
        self.bindings = bindings
        self.level = level
        self.today = today

    def enter(self, name: str, entity: str) -> "Scope":
        """The scope of a subquery whose rows are bound to `name`."""
        return Scope({**self.bindings, name: Binding(entity, self.level + 1, "")}, self.level + 1, self.today)

    def ref(self, name: str, path: str) -> Expression:
        binding = self.bindings[name]
        ref: Any = f"{binding.prefix}{path}"
        depth = self.level - binding.level
        if depth == 0:
            return F(ref)
        for _ in range(depth):
            ref = OuterRef(ref)
        return ref

    def maker(self, name: str):
        return lambda path: self.ref(name, path)


def _q(expression: Any) -> Q:
    return expression if isinstance(expression, Q) else Q(expression)


class Compiler:
    def condition(self, node: Any, scope: Scope) -> Q:
        match node:
            case t.All(items):
                result = Q()
                for item in items:
                    result &= self.condition(item, scope)
                return result
            case t.AnyOf(items):
                result = self.condition(items[0], scope)
                for item in items[1:]:
                    result |= self.condition(item, scope)
                return result
            case t.Not(item):
                return ~self.condition(item, scope)
            case t.Compare(op, left, right):
                counted = self.count_compare(op, left, right, scope)
                if counted is not None:
                    return counted
                (lsql, lnull), (rsql, rnull) = self.value(left, scope), self.value(right, scope)
                guard = _not_null(lsql, lnull) & _not_null(rsql, rnull)
                if op == "ne":
                    return guard & ~Q(Exact(lsql, rsql))
                if op != "eq" and _type(left) == TEXT and connection.vendor == "postgresql":
                    # Order text by code point, as Python does, whatever the database's collation.
                    lsql, rsql = Collate(lsql, "C"), Collate(rsql, "C")
                return guard & Q(LOOKUPS[op](lsql, rsql))
            case t.In(expr, values):
                sql, nullable = self.value(expr, scope)
                return _not_null(sql, nullable) & Q(In(sql, list(values)))
            case t.Blank(expr):
                sql, _ = self.value(expr, scope)
                blank = Q(IsNull(sql, True))
                return blank | Q(Exact(sql, Value(""))) if _type(expr) == TEXT else blank
            case t.Exists(source, where):
                return Q(Exists(self.rows(source, where, scope)))
            case t.IdInvalid(expr):
                sql, _ = self.value(expr, scope)
                present = Q(IsNull(sql, False)) & ~Q(Exact(sql, Value("")))
                valid = _well_formed(sql) & Q(Exact(Upper(Substr(sql, 18, 1)), _check_char(sql)))
                return present & ~valid
            case t.DocCondition(doc, condition):
                inner = scope.enter(doc.name, "field")
                return Q(Exists(self.doc_rows(doc, inner).filter(self.condition(condition, inner))))
        raise TypeError(node)

    def count_compare(self, op: str, left: Any, right: Any, scope: Scope) -> Q | None:
        """`count` against a number, when its `where` reads only the counted row, as set
        membership: the owner is (or is not) among those with at least k rows — one grouped
        subquery that PostgreSQL hashes, instead of a count per owner row. None otherwise."""
        if isinstance(right, t.Count) and isinstance(left, t.Lit):
            left, right, op = right, left, MIRROR[op]
        if not (isinstance(left, t.Count) and isinstance(right, t.Lit)):
            return None
        if _names(left.where) - {left.source.name}:
            return None
        k = right.value
        # Each comparison as "at least j rows" (True) or "not at least j rows" (False).
        parts = {
            "ge": [(k, True)],
            "gt": [(k + 1, True)],
            "lt": [(k, False)],
            "le": [(k + 1, False)],
            "eq": [(k, True), (k + 1, False)] if k > 0 else [(1, False)],
        }.get(op)
        if op == "ne":
            equal = self.count_compare("eq", left, right, scope)
            return None if equal is None else ~equal
        if any(j <= 0 for j, _ in parts):
            return None  # always true or always false: the plain count says so
        source = left.source
        collection = ENTITIES[scope.bindings[source.owner].entity].collections[source.collection]
        inner = scope.enter(source.name, source.entity)
        rows = ENTITIES[source.entity].model.objects.order_by()
        if left.where is not None:
            rows = rows.filter(self.condition(left.where, inner))
        owner = scope.ref(source.owner, "pk")
        result = Q()
        for j, at_least in parts:
            owners = rows.values(collection.link).annotate(_n=Count("pk")).filter(_n__gte=j).values(collection.link)
            member = Q(In(owner, owners))
            result &= member if at_least else ~member
        return result

    def rows(self, source: t.Source, where: Any, scope: Scope):
        """The rows of a collection for the current row of its owner, meeting `where`."""
        collection = ENTITIES[scope.bindings[source.owner].entity].collections[source.collection]
        inner = scope.enter(source.name, source.entity)
        rows = ENTITIES[source.entity].model.objects.filter(**{collection.link: inner.ref(source.owner, "pk")})
        return rows.filter(self.condition(where, inner)) if where is not None else rows

    def doc_rows(self, doc: t.Doc, inner: Scope):
        """The extracted fields of the case's documents of the kind, name and group (in the
        scope of the subquery over them)."""
        group, nullable = self.value(doc.group, inner)
        return ExtractedField.objects.filter(
            _not_null(group, nullable),
            Exact(F("group"), group),
            document__case_id=inner.ref("case", "pk"),
            document__kind=doc.kind,
            name=doc.field,
        )

    def value(self, node: Any, scope: Scope) -> tuple[Expression, bool]:
        """The SQL expression of a value and whether it may be NULL."""
        match node:
            case t.Ref(name, field):
                return field.expression(scope.maker(name)), field.nullable
            case t.Lit(value, kind):
                return Value(value, output_field=OUTPUT[kind]), False
            case t.Today(months, days):
                return Value(shift(scope.today, months, days), output_field=DateField()), False
            case t.AddDays(expr, days):
                sql, nullable = self.value(expr, scope)
                return AddDays(sql, days), nullable
            case t.Label(expr):
                sql, nullable = self.value(expr, scope)
                whens = [
                    When(Exact(sql, Value(value)), then=Value(label)) for value, label in expr.field.choices.items()
                ]
                return Case(*whens, default=sql, output_field=CharField()), nullable
            case t.Text(expr):
                sql, nullable = self.value(expr, scope)
                return Cast(sql, CharField()), nullable
            case t.Concat(items):
                parts = [self.value(item, scope) for item in items]
                return Join(*(sql for sql, _ in parts)), any(nullable for _, nullable in parts)
            case t.IdBirth(expr):
                sql, _ = self.value(expr, scope)
                digits = Join(Substr(sql, 7, 4), Value("-"), Substr(sql, 11, 2), Value("-"), Substr(sql, 13, 2))
                return Case(When(_well_formed(sql), then=digits), default=None, output_field=CharField()), True
            case t.IdGender(expr):
                sql, _ = self.value(expr, scope)
                odd = Q(Exact(Mod(Cast(Substr(sql, 17, 1), IntegerField()), 2), 1))
                return (
                    Case(
                        When(_well_formed(sql) & odd, then=Value("男")),
                        When(_well_formed(sql), then=Value("女")),
                        default=None,
                        output_field=CharField(),
                    ),
                    True,
                )
            case t.Count(source, where):
                rows = self.rows(source, where, scope).order_by()
                count = rows.annotate(_n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("_n")
                return Coalesce(Subquery(count), 0, output_field=IntegerField()), False
            case t.First(source, where, value):
                inner = scope.enter(source.name, source.entity)
                sql, _ = self.value(value, inner)
                # Ordered by `pk + 0`, not `pk`: with LIMIT 1, an order the primary key's index
                # gives makes PostgreSQL walk that whole index filtering on the owner, instead
                # of reading the owner's few rows by their own index and sorting them.
                first = ExpressionWrapper(F("pk") + 0, output_field=IntegerField())
                rows = self.rows(source, where, scope).order_by(first).annotate(_v=sql).values("_v")[:1]
                return Subquery(rows), True
        raise TypeError(node)


def _names(node: Any) -> set[str]:
    """The bound names a condition or expression reads (a document value reads the case)."""
    if node is None or isinstance(node, str | int | bool | date | t.Lit | t.Today):
        return set()
    if isinstance(node, t.Ref):
        return {node.name}
    if isinstance(node, t.Doc):
        return {"case", *_names(node.group)}
    if isinstance(node, t.Source):
        return {node.owner}
    if isinstance(node, tuple):
        return set().union(*(_names(item) for item in node))
    found = set().union(*(_names(getattr(node, name)) for name in node.__dataclass_fields__))
    if isinstance(node, t.Exists | t.Count | t.First):
        found.discard(node.source.name)
    if isinstance(node, t.DocCondition):
        found.discard(node.doc.name)
    return found


def _type(node: Any) -> str | None:
    if isinstance(node, t.Ref):
        return node.field.type
    if isinstance(node, t.Lit):
        return node.type
    if isinstance(node, t.Today | t.AddDays):
        return DATE
    if isinstance(node, t.Count):
        return INT
    if isinstance(node, t.First):
        return _type(node.value)
    return TEXT


def _not_null(sql: Expression, nullable: bool) -> Q:
    return Q(IsNull(sql, False)) if nullable else Q()


def _well_formed(sql: Expression) -> Q:
    return Q(Exact(Length(sql), 18)) & Q(Regex(sql, Value(ID_FORMAT)))


def _check_char(sql: Expression) -> Expression:
    """The GB 11643 check character of a well-formed number (ISO 7064 MOD 11-2), NULL for any
    other: the digits are only cast inside the CASE, so PostgreSQL never casts a bad one."""
    terms = [Cast(Substr(sql, position, 1), IntegerField()) * weight for position, weight in enumerate(WEIGHTS, 1)]
    char = Substr(Value(CHECK_CHARS), Cast(Mod(_sum(terms), 11), IntegerField()) + 1, 1)
    return Case(When(_well_formed(sql), then=char), default=None, output_field=CharField())


def _sum(terms: list[Expression]) -> Expression:
    """The terms added as a balanced tree: a chain of 17 nested additions inside a nested
    expression overflows SQLite's parser stack."""
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return _sum(terms[:middle]) + _sum(terms[middle:])


def _subject(compiled: Compiled):
    if compiled.subject == "report":
        raise ValueError("report rules are evaluated by report_hits")
    return SUBJECTS[compiled.subject]


def _scope(compiled: Compiled, today: date) -> Scope:
    subject = _subject(compiled)
    bindings = {name: Binding(name, 0, prefix) for name, prefix in subject.names.items()}
    return Scope(bindings, 0, today)


def _base(compiled: Compiled):
    subject = _subject(compiled)
    rows = subject.model.objects.order_by()
    if compiled.case_types:
        rows = rows.filter(**{f"{subject.names['case']}case_type__in": compiled.case_types})
    return rows


def sql_hits(compiled: Compiled, *, today: date, case_ids: Iterable[int] | None = None) -> set[str]:
    """The keys of the rule's hits: one query over the subject's table (of the given cases)."""
    subject = _subject(compiled)
    rows = _base(compiled).filter(Compiler().condition(compiled.tree.when, _scope(compiled, today)))
    if case_ids is not None:
        rows = rows.filter(**{f"{subject.case_path}__in": list(case_ids)})
    return {f"{subject.name}:{pk}" for pk in rows.values_list("pk", flat=True)}


# Columns read for a hit's subject text (subject_text in values.py).
SUBJECT_COLUMNS = {
    "case": {},
    "suspect": {"seq": "seq", "name": "name"},
    "measure": {"suspect_name": "suspect__name", "kind": "kind", "start_date": "start_date"},
    "link": {"kind": "kind", "seq": "seq"},
}


def sql_details(compiled: Compiled, keys: Collection[str], *, today: date) -> dict[str, Detail]:
    """The details of the given hits: per batch of keys, one query for the scope, subject and
    show values, and one per document field the rule shows."""
    subject = _subject(compiled)
    ids = [int(key.split(":", 1)[1]) for key in keys]
    scope = _scope(compiled, today)
    compiler = Compiler()
    case = subject.names["case"]
    columns = {
        "x_case": F(subject.case_path),
        "x_org": F(f"{case}org_id"),
        "x_department": F(f"{case}department_id"),
        "x_team": F(f"{case}team_id"),
        "x_prosecutor": F(f"{case}prosecutor_id"),
        **{f"t_{name}": F(path) for name, path in SUBJECT_COLUMNS[subject.name].items()},
    }
    docs = {}
    for i, item in enumerate(compiled.tree.show):
        if isinstance(item.value, t.Doc):
            docs[i] = item.value
            columns[f"g_{i}"] = compiler.value(item.value.group, scope)[0]
        else:
            columns[f"s_{i}"] = compiler.value(item.value, scope)[0]
    details = {}
    for start in range(0, len(ids), BATCH):
        rows = list(
            _subject(compiled)
            .model.objects.order_by()
            .filter(pk__in=ids[start : start + BATCH])
            .values("pk", **columns)
        )
        doc_values = _doc_values(docs, {row["x_case"] for row in rows})
        for row in rows:
            values = []
            for i, item in enumerate(compiled.tree.show):
                if i in docs:
                    value = JOIN.join(doc_values[i].get((row["x_case"], row[f"g_{i}"]), []))
                else:
                    value = written(row[f"s_{i}"])
                values.append({"label": item.label, "value": value, "source": item.source})
            text = {name[2:]: value for name, value in row.items() if name.startswith("t_")}
            if "kind" in text:
                choices = ENTITIES[subject.name].fields["kind"].choices
                text["kind_label"] = choices.get(text["kind"], text["kind"])
            key = f"{subject.name}:{row['pk']}"
            details[key] = Detail(
                key=key,
                case_id=row["x_case"],
                org_id=row["x_org"],
                department_id=row["x_department"],
                team_id=row["x_team"],
                prosecutor_id=row["x_prosecutor"],
                subject_text=subject_text(subject.name, text),
                values=values,
            )
    return details


def _doc_values(docs: dict[int, t.Doc], case_ids: set[int]) -> dict[int, dict[tuple, list[str]]]:
    """The values of each shown document field of the cases, by (case, group), in id order."""
    values: dict[int, dict[tuple, list[str]]] = {}
    for i, doc in docs.items():
        found = defaultdict(list)
        rows = (
            ExtractedField.objects.filter(document__case_id__in=case_ids, document__kind=doc.kind, name=doc.field)
            .order_by("pk")
            .values_list("document__case_id", "group", Coalesce("corrected_value", "value"))
        )
        for case_id, group, value in rows:
            found[(case_id, group)].append(value)
        values[i] = found
    return values
