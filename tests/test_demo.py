"""`bihuan demo`, `bihuan serve` and docs/configuration.md."""

import os
import re
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from bihuan.casecode.demo_data import populate
from bihuan.casecode.models import (
    CaseCode,
    Consultation,
    Evaluation,
    InquiryItem,
    ReviewRequest,
    Scan,
    ShareToken,
)
from bihuan.cases.models import Case
from bihuan.demo.directory import demo_logins, format_table
from bihuan.events.models import Event
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.demo import DEMO_INVESTIGATORS, DEMO_ORGS, DEMO_PASSWORD
from bihuan.orgs.models import Agency, Organisation, Team, User

REPO = Path(__file__).resolve().parent.parent


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_the_directory_loads_cases_and_prints_every_login():
    out = run_demo("--cases", "200")

    assert Organisation.objects.filter(code="371000", parent__code="370000").exists()
    assert Organisation.objects.filter(parent__code="371000", level="county").count() == 3
    assert Team.objects.filter(is_fast_track=True).count() == 2
    people = User.objects.count()
    assert people == sum(len(org.people) for org in DEMO_ORGS) + len(DEMO_INVESTIGATORS)
    assert 35 <= people <= 45
    held = set(User.objects.values_list("roles__code", flat=True))
    assert held >= set(RoleCode.values)
    assert set(Agency.objects.values_list("kind", flat=True)) == {"police", "supervision"}
    assert User.objects.get(username="police_hc").agency.name == "威海市公安局环翠分局"
    assert Case.objects.count() == 200

    for role in RoleCode:
        line = next((x for x in out.splitlines() if x.startswith(role.label + " ")), None)
        assert line is not None, f"no login printed for {role.label}"
        username = line.split()[1]
        user = User.objects.get(username=username)
        assert user.has_role(role.value)
        assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    run_demo("--cases", "200")
    counts = (User.objects.count(), Team.objects.count(), Case.objects.count(), Event.objects.count())

    out = run_demo("--cases", "200")

    assert (User.objects.count(), Team.objects.count(), Case.objects.count(), Event.objects.count()) == counts
    assert "新建 0 人" in out
    assert "已有 200 件案件" in out


@pytest.mark.django_db
def test_the_demo_has_case_codes_of_every_colour_with_histories_and_reviews():
    out = run_demo("--cases", "200")
    line = next(x for x in out.splitlines() if x.startswith("案件码演示数据"))

    assert set(CaseCode.objects.values_list("colour", flat=True)) == {"red", "yellow", "green"}
    assert Evaluation.objects.filter(vetoed=True).exists()
    # Scored by the handling prosecutor; all but the review re-scorings dated before today.
    assert not Evaluation.objects.exclude(evaluated_by=F("case__prosecutor")).exists()
    today = timezone.localdate()
    assert all(
        timezone.localdate(at) < today
        for at in Evaluation.objects.exclude(reason="review").values_list("evaluated_at", flat=True)
    )
    # 转码 histories: cases scored three times or more whose colour changed.
    histories = (
        Evaluation.objects.values("case")
        .annotate(n=Count("pk"), colours=Count("colour", distinct=True))
        .filter(n__gte=3, colours__gte=2)
    )
    assert histories.count() >= 2
    # A non-green code has an open 补充侦查提纲 item for each deducted item; some were closed (销号).
    assert InquiryItem.objects.filter(closed_in__isnull=False).exists()
    for code in CaseCode.objects.exclude(colour="green"):
        deducted = set(code.current.deductions.values_list("item__name", flat=True))
        assert deducted <= set(code.case.inquiry_items.filter(closed_in=None).values_list("item__name", flat=True))
    # Reviews filed by an investigator of the case's agency: pending, and decided every way.
    reviews = ReviewRequest.objects.select_related("case", "filed_by")
    assert all(r.filed_by.agency_id == r.case.source_agency_id for r in reviews)
    assert reviews.filter(status="pending").exists()
    assert set(reviews.filter(status="decided").values_list("decision", flat=True)) == {"accept", "partial", "reject"}
    assert reviews.filter(decision="accept", result__colour="green").exists()
    assert ShareToken.objects.exists() and Scan.objects.exists() and Consultation.objects.exists()
    assert f"评分 {CaseCode.objects.count()} 件" in line

    # Codes exist: nothing more is added.
    evaluations = Evaluation.objects.count()
    assert "不再添加" in populate()
    assert Evaluation.objects.count() == evaluations


@pytest.mark.django_db
def test_the_demo_completes_a_partly_built_directory():
    run_demo("--cases", "0")
    User.objects.filter(username="rc_pros3").delete()

    out = run_demo("--cases", "0")

    assert "新建 1 人" in out
    assert User.objects.get(username="rc_pros3").team.name == "荣院办案二组"


def test_each_role_gets_its_own_login_where_the_directory_allows():
    logins = demo_logins()
    assert [x.role for x in logins] == list(RoleCode.labels)
    assert len({x.username for x in logins}) == len(logins)


def test_the_login_table_lines_up_chinese_text():
    table = format_table(("角色", "用户名"), [("检察长", "wh_chief"), ("书记员", "c")]).splitlines()
    assert table[0] == "角色    用户名"
    assert table[2] == "检察长  wh_chief"
    assert table[3] == "书记员  c"


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if (tag == "link" and a.get("rel") == "stylesheet") or (tag == "script" and a.get("src")):
            self.urls.append(a.get("href") or a["src"])


def test_serve_delivers_pages_and_static_files_with_debug_off(tmp_path):
    env = {**os.environ, "SECRET_KEY": "serve-test", "DEBUG": "False", "DJANGO_SETTINGS_MODULE": "bihuan.settings"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "bihuan", "serve", "--port", "0", "--threads", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not (match := re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1] if lines else "")):
            line = server.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        base = f"http://127.0.0.1:{match.group(1)}"
        with urllib.request.urlopen(base + "/login/", timeout=10) as response:  # noqa: S310 - local test server
            assert response.status == 200
            page = response.read().decode()
        assets = _Assets()
        assets.feed(page)
        assert any(url.endswith(".css") for url in assets.urls), assets.urls
        for url in assets.urls:
            with urllib.request.urlopen(base + url, timeout=10) as response:  # noqa: S310 - local test server
                assert response.status == 200, url
                assert response.headers["Content-Type"].startswith(("text/css", "text/javascript")), url
                assert len(response.read()) > 100, url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _env_reads(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    reads = re.findall(r"env(?:str|bool|int)\(\s*\"([A-Z_]+)\"", text)
    reads += re.findall(r"os\.environ(?:\.get|\.setdefault)?\s*[\[(]\s*f?\"([A-Z_]+)\"", text)
    reads += re.findall(r"\"([A-Z_]+)\"\s+(?:not\s+)?in\s+os\.environ", text)
    return set(reads)


def test_every_environment_variable_is_documented():
    doc = (REPO / "docs/configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", doc, re.M))
    read = _env_reads(REPO / "src/bihuan/settings.py") | _env_reads(REPO / "src/bihuan/cli.py")
    assert {"DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "AUDIT_KEY"} <= read
    assert read - documented == set()
