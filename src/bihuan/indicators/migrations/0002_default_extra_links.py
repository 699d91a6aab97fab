"""Seed the §7.3 default extra links of 案-件比 (domain-rules §2.2, §7.3)."""

from django.db import migrations

# Written out here, not imported, so that the migration keeps its meaning if the defaults change.
DEFAULTS = (
    "supplementary",
    "extension",
    "no_arrest_reconsideration",
    "no_arrest_review",
    "np_reconsideration",
    "np_review",
    "np_complaint",
    "withdrawal",
    "appeal",
    "protest",
    "retrial",
)


def add_defaults(apps, schema_editor):
    ExtraLink = apps.get_model("indicators", "ExtraLink")
    for kind in DEFAULTS:
        ExtraLink.objects.get_or_create(kind=kind)


def remove_defaults(apps, schema_editor):
    apps.get_model("indicators", "ExtraLink").objects.filter(kind__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_extra_links")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
