"""Load the charge catalogue built by tools/build_charges.py from the official determinations."""

import json
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "charges.json"


def load_charges(apps, schema_editor):
    Charge = apps.get_model("cases", "Charge")
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    existing = {c.code: c for c in Charge.objects.all()}
    for position, entry in enumerate(entries, start=1):
        values = {
            "name": entry["name"],
            "article": entry["article"],
            "article_no": entry["article_no"],
            "chapter": entry["chapter"],
            "source": entry["source"],
            "position": position,
        }
        charge = existing.get(entry["code"])
        if charge is None:
            Charge.objects.create(code=entry["code"], **values)
        else:
            for key, value in values.items():
                setattr(charge, key, value)
            charge.save()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_charge_position")]
    operations = [migrations.RunPython(load_charges, migrations.RunPython.noop)]
