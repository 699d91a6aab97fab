"""The feature dictionary the triage and risk rules read: named facts about a case, computed
set-based for many cases at once (a fixed number of queries, whatever the number of cases).

Another app adds a feature (issue 4 adds 案件码颜色) with `register_feature`, passing a provider
that computes it for a list of case ids; the rules then name it like any built-in feature.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from bihuan.cases.choices import CUSTODIAL_MEASURES, CaseType, LikelySentence, Procedure
from bihuan.cases.models import Case, Charge, CoerciveMeasure, Suspect, SuspectCharge, Tag

# Feature kinds and the Python types of their values.
STR, INT, BOOL, LIST = "str", "int", "bool", "list"

# Cases per batch of the set-based computation: keeps every `IN (...)` list well under the
# SQLite and PostgreSQL parameter limits.
BATCH = 2_000


@dataclass(frozen=True)
class Feature:
    """One named fact a rule condition may test. `values`, when given, returns the allowed
    values (code → Chinese label) that condition values are checked against."""

    name: str
    label: str
    kind: str
    values: Callable[[], dict[str, str]] | None = None


def _charge_names() -> dict[str, str]:
    return {name: name for name in Charge.objects.values_list("name", flat=True)}


def _tag_names() -> dict[str, str]:
    return {name: name for name in Tag.objects.values_list("name", flat=True)}


def _choices(choices) -> Callable[[], dict[str, str]]:
    return lambda: {value: str(label) for value, label in choices}


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("procedure", "适用程序", STR, _choices(Procedure.choices)),
        Feature("case_type", "案件类别", STR, _choices(CaseType.choices)),
        Feature("main_charge", "移送案由（罪名）", STR, _charge_names),
        Feature("charges", "涉嫌罪名（全部犯罪嫌疑人）", LIST, _charge_names),
        Feature("tags", "案件标签", LIST, _tag_names),
        Feature("suspect_count", "犯罪嫌疑人人数", INT),
        Feature("all_plea", "全部犯罪嫌疑人认罪认罚", BOOL),
        Feature("has_minor", "有未成年犯罪嫌疑人", BOOL),
        Feature("custody_count", "在押犯罪嫌疑人人数", INT),
        Feature("custody_without_plea", "有在押且未认罪认罚的犯罪嫌疑人", BOOL),
        Feature("likely_sentence", "可能判处刑罚", STR, _choices(LikelySentence.choices)),
        Feature("is_major_complex", "重大复杂", BOOL),
    )
}

Provider = Callable[[list[int], date], dict[int, dict]]
_EXTRA_PROVIDERS: list[Provider] = []


def register_feature(features: Iterable[Feature], provider: Provider) -> None:
    """Add features computed by another app. `provider(case_ids, today)` returns
    {case_id: {feature name: value}} and must answer for every id (a default where unknown)."""
    for feature in features:
        FEATURES[feature.name] = feature
    if provider not in _EXTRA_PROVIDERS:
        _EXTRA_PROVIDERS.append(provider)


def _base_features(ids: list[int], today: date) -> dict[int, dict]:
    """The built-in features for a batch of cases, in six queries."""
    result: dict[int, dict] = {}
    rows = Case.objects.filter(pk__in=ids).values(
        "pk", "procedure", "case_type", "charge__name", "likely_sentence", "is_major_complex"
    )
    for row in rows:
        result[row["pk"]] = {
            "procedure": row["procedure"],
            "case_type": row["case_type"],
            "main_charge": row["charge__name"] or "",
            "charges": {row["charge__name"]} if row["charge__name"] else set(),
            "tags": set(),
            "suspect_count": 0,
            "all_plea": False,
            "has_minor": False,
            "custody_count": 0,
            "custody_without_plea": False,
            "likely_sentence": row["likely_sentence"],
            "is_major_complex": row["is_major_complex"],
        }
    for case_id, name in Case.tags.through.objects.filter(case_id__in=ids).values_list("case_id", "tag__name"):
        result[case_id]["tags"].add(name)
    for case_id, name in SuspectCharge.objects.filter(suspect__case_id__in=ids).values_list(
        "suspect__case_id", "charge__name"
    ):
        result[case_id]["charges"].add(name)
    # A custodial measure (拘留, 逮捕, 留置) covering today means the person is 在押 (CPL 105 uses
    # the same notion for holiday shifts).
    held = set(
        CoerciveMeasure.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            suspect__case_id__in=ids,
            kind__in=CUSTODIAL_MEASURES,
            start_date__lte=today,
        ).values_list("suspect_id", flat=True)
    )
    pleas: dict[int, list[bool]] = defaultdict(list)
    for suspect_id, case_id, plea, is_minor in Suspect.objects.filter(case_id__in=ids).values_list(
        "pk", "case_id", "plea", "is_minor"
    ):
        features = result[case_id]
        features["suspect_count"] += 1
        features["has_minor"] |= is_minor
        pleas[case_id].append(plea)
        if suspect_id in held:
            features["custody_count"] += 1
            features["custody_without_plea"] |= not plea
    for case_id, values in pleas.items():
        result[case_id]["all_plea"] = all(values)
    for features in result.values():
        features["charges"] = sorted(features["charges"])
        features["tags"] = sorted(features["tags"])
    return result


def case_features_many(case_ids: Iterable[int], today: date | None = None) -> dict[int, dict]:
    """{case_id: feature dictionary} for many cases, batch by batch."""
    today = today or timezone.localdate()
    ids = list(case_ids)
    result: dict[int, dict] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found = _base_features(batch, today)
        for provide in _EXTRA_PROVIDERS:
            for case_id, extra in provide(batch, today).items():
                if case_id in found:
                    found[case_id].update(extra)
        result.update(found)
    return result


def case_features(case: Case, today: date | None = None) -> dict:
    """The feature dictionary of one case."""
    return case_features_many([case.pk], today)[case.pk]
