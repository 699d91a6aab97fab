import json
from pathlib import Path

import pytest

from bihuan.cases.models import Charge

CATALOGUE = Path(__file__).resolve().parent.parent / "src" / "bihuan" / "cases" / "data" / "charges.json"


@pytest.mark.django_db
def test_migration_loads_the_whole_catalogue_in_article_order():
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert Charge.objects.count() == len(entries) == 483
    assert list(Charge.objects.values_list("code", flat=True)) == [e["code"] for e in entries]
    drunk = Charge.objects.get(name="危险驾驶罪")
    assert (drunk.article, drunk.article_no) == ("第一百三十三条之一", "133-1")
    # Article 133 (交通肇事罪) comes before 133-1 (危险驾驶罪) in the law.
    assert Charge.objects.get(name="交通肇事罪").position < drunk.position
