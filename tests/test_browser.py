"""The pages in a real browser (Debian's chromium driven by Playwright), once for every demo role:
log in, the workbench, the case pages the role may open, the pages it must not see, log out."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bihuan.cases.access import visible_cases
from bihuan.cases.models import Case
from bihuan.demo.directory import Login, demo_logins
from bihuan.orgs.models import User
from bihuan.orgs.scope import reads_cases

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing: apt-get install chromium"),
    # The live server reads what the test writes, so the data is committed; the serialized
    # rollback restores the rows of the data migrations (roles, charges) that the flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_migration_rows(django_db_setup, django_db_blocker):
    """After the last test's flush, put the data-migration rows back, so that a test database kept
    for the next run (--reuse-db, e.g. on PostgreSQL) is still in its migrated state."""
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@dataclass(frozen=True)
class Expected:
    """What the role should meet, read from the database before the browser starts."""

    reads_cases: bool
    shown: tuple[int, str] | None  # a case in scope: id, name
    hidden: tuple[int, str] | None  # a case out of scope: id, 部门受案号
    audit: bool
    roles: bool
    admin: bool


def expected_for(login: Login) -> Expected:
    user = User.objects.get(username=login.username)
    visible = visible_cases(user)
    shown = visible.order_by("pk").values_list("pk", "name").first()
    hidden = Case.objects.exclude(pk__in=visible.values("pk")).order_by("pk").values_list("pk", "dept_case_no").first()
    return Expected(
        reads_cases(user),
        shown,
        hidden,
        user.has_role("auditadmin"),
        user.has_role("secadmin"),
        user.has_role("sysadmin"),
    )


@contextmanager
def chromium_page(base_url: str) -> Iterator:
    # Playwright's sync API runs an event loop in this thread, so the test reads the database
    # before the browser starts and not while it runs.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def log_in(page, login: Login) -> None:
    page.goto(reverse("web:login"))
    page.fill("input[name=username]", login.username)
    page.fill("input[name=password]", login.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{reverse('web:workbench')}")


def status_of(page, url: str) -> int:
    return page.goto(url).status


@pytest.mark.parametrize("login", demo_logins(), ids=lambda x: x.username)
def test_the_pages_of_each_demo_role(live_server, login: Login):
    from playwright.sync_api import expect

    call_command("demo", "--no-serve", "--cases", "300", stdout=StringIO())
    want = expected_for(login)
    any_case = Case.objects.order_by("pk").values_list("pk", "dept_case_no").first()

    with chromium_page(live_server.url) as page:
        failed_assets = []
        page.on("response", lambda r: failed_assets.append(r.url) if "/static/" in r.url and r.status >= 400 else None)
        log_in(page, login)
        expect(page.locator("h1")).to_have_text("工作台")
        expect(page.locator("header")).to_contain_text(login.full_name)
        expect(page.locator("header")).to_contain_text(login.role)
        # The layout's stylesheet is served by the application and applied.
        assert page.evaluate("[...document.styleSheets].filter(s => s.cssRules.length > 0).length") >= 1

        if want.reads_cases:
            assert want.shown is not None, f"{login.username} sees no demo case"
            assert status_of(page, reverse("cases:list")) == 200
            expect(page.locator("h1")).to_have_text("案件列表")
            first = page.locator("a.case-name").first
            name = first.inner_text()
            first.click()
            page.wait_for_url("**/cases/*/")
            expect(page.locator("h1")).to_have_text(name)
            assert status_of(page, reverse("cases:detail", args=[want.shown[0]])) == 200
            expect(page.locator("h1")).to_have_text(want.shown[1])
            if want.hidden is not None:
                assert status_of(page, reverse("cases:detail", args=[want.hidden[0]])) == 404
                expect(page.locator("body")).not_to_contain_text(want.hidden[1])
        else:
            expect(page.locator("nav")).not_to_contain_text("案件列表")
            assert status_of(page, reverse("cases:list")) == 403
            assert status_of(page, reverse("cases:detail", args=[any_case[0]])) == 404
            expect(page.locator("body")).not_to_contain_text(any_case[1])

        assert status_of(page, reverse("events:list")) == (200 if want.audit else 403)
        assert status_of(page, reverse("orgs:roles")) == (200 if want.roles else 403)
        page.goto(reverse("admin:index"))
        if want.admin:
            expect(page.locator("#site-name")).to_contain_text("闭环")
            assert "/admin/login/" not in page.url
        else:
            assert "/admin/login/" in page.url

        page.goto(reverse("web:workbench"))
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(f"**{reverse('web:login')}")
        page.goto(reverse("web:workbench"))
        assert reverse("web:login") in page.url
        assert failed_assets == []
