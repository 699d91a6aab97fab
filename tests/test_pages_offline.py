"""The 检察专网 has no internet: no page or static file may point outside the application."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import bihuan

# A URL with a host: http://x, https://x or protocol-relative //x (as in //cdn.example.com).
EXTERNAL = re.compile(r"""(?:https?:)?//(?!testserver\b)[a-z0-9-]+(?:\.[a-z0-9-]+)+""", re.IGNORECASE)
# Text that names an address without a browser ever fetching it: XML namespaces (SVG), ECharts'
# `path://` icon data, and the lines of licence comments (` * http://www.apache.org/licenses/…`).
NOT_LINKS = re.compile(r"""xmlns(?::\w+)?="[^"]*"|"http://www\.w3\.org/[^"]*"|path://|^\s*\*.*$""", re.M)
STATIC = Path(bihuan.__file__).parent / "web" / "static"


def _external(text: str) -> list[str]:
    return EXTERNAL.findall(NOT_LINKS.sub("", text))


def test_the_pattern_catches_cdn_links():
    assert _external('<script src="https://cdn.jsdelivr.net/npm/htmx.org"></script>')
    assert _external('<link href="//cdn.example.com/x.css">')
    assert not _external('<a href="/cases/">')
    assert _external('var u = "https://cdn.example.com/echarts.js"; /* see below */')


@pytest.mark.parametrize(
    ("role", "urls"),
    [
        ("pros_a", ["web:workbench", "cases:list", "web:password_change"]),
        ("city_chief", ["web:workbench", "cases:list"]),
        ("auditadmin", ["web:workbench", "events:list"]),
        ("secadmin", ["web:workbench", "orgs:roles"]),
        ("sysadmin", ["web:workbench", "admin:index"]),
    ],
)
def test_pages_link_nothing_outside(client, world, role, urls):
    client.force_login(world.people[role])
    for name in urls:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert _external(response.content.decode()) == [], name
    if role == "pros_a":
        detail = client.get(reverse("cases:detail", args=[world.case_a.pk])).content.decode()
        assert _external(detail) == []


def test_the_login_page_links_nothing_outside(client, db):
    assert _external(client.get(reverse("web:login")).content.decode()) == []


def test_static_files_link_nothing_outside():
    files = [p for p in STATIC.rglob("*") if p.is_file() and p.suffix in {".css", ".js", ".svg", ".html"}]
    assert any(p.name == "htmx.min.js" for p in files)
    for path in files:
        assert _external(path.read_text(encoding="utf-8")) == [], path
