"""The left-hand menu marks the entry of the page one is on: the page's own entry, else the entry
of its app whose address starts the page's address the longest way."""

import re

import pytest
from django.test import Client

MENU = re.compile(r'<nav class="sidebar" aria-label="主菜单">(.*?)</nav>', re.S)
ACTIVE = re.compile(r'<a href="([^"]+)" class="active" aria-current="page">([^<]+)</a>')


def active(world, role: str, path: str) -> list[tuple[str, str]]:
    client = Client()
    client.force_login(world.people[role])
    response = client.get(path)
    assert response.status_code == 200
    return ACTIVE.findall(MENU.search(response.content.decode()).group(1))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/deadlines/cases/", [("/deadlines/cases/", "在办案件")]),
        ("/deadlines/", [("/deadlines/", "期限预警")]),
        ("/indicators/", [("/indicators/", "案件质量指标")]),
        ("/indicators/dashboards/targets/", [("/indicators/dashboards/", "指标看板")]),
        ("/indicators/reports/", [("/indicators/reports/", "统计报表")]),
        ("/patrol/notices/", [("/patrol/", "电子巡逻车")]),  # patrol
    ],
)
def test_one_entry_is_marked(world, path, expected):
    assert active(world, "head", path) == expected


def test_a_case_page_marks_the_case_list(world):
    assert active(world, "head", f"/cases/{world.case_a.pk}/") == [("/cases/", "案件列表")]
