"""案件码 links (bihuan.casecode.sharing): one live signed link per evaluated case, expiry and
revocation, 10,000 guessed tokens all refused, the case-page panel, the QR files and the A4 notice.
The helpers here build an evaluated case for the scan and CLI tests too."""

import re
import secrets
import struct
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pyzbar.pyzbar import decode

from bihuan.casecode.actions import DeductionInput, InquiryInput, do_evaluate, do_issue_link, do_revoke_link
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import ScoreTemplate, ShareToken
from bihuan.casecode.sharing import (
    LinkGone,
    current_link,
    link_path,
    link_url,
    resolve_link,
)
from bihuan.events.models import Event
from tests import factories as f

SUSPECT = "张伟明"
ACCOMPLICE = "欧阳娜娜"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def template_items() -> dict:
    return {item.name: item for item in ScoreTemplate.objects.get(is_active=True).items.all()}


def scored_case(world, *, name: str = f"{SUSPECT}盗窃案"):
    """An 审查逮捕 case of pros_a (team A) with two suspects, scored 87 (yellow): 8 points off
    主观方面 and 5 off 涉案财物, each with an open 补充侦查提纲 item; the texts name the suspect."""
    case = f.make_case(
        world.county,
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
        case_type="arrest_review",
        name=name,
    )
    f.make_suspect(case, SUSPECT)
    f.make_suspect(case, ACCOMPLICE)
    items = template_items()
    subjective, property_ = items["主观方面"].pk, items["涉案财物"].pk
    do_evaluate(
        case,
        actor=world.people["pros_a"],
        deductions=[
            DeductionInput(subjective, Decimal(8), f"{SUSPECT}对非法占有目的的供述前后矛盾"),
            DeductionInput(property_, Decimal(5), "赃款去向未查清"),
        ],
        inquiries=[
            InquiryInput(subjective, f"{SUSPECT}供述反复", "查明主观故意", "补充讯问并调取聊天记录", "十日内完成"),
            InquiryInput(property_, "赃款去向不明", "查明涉案财物", "调取银行流水", "附资金流向说明"),
        ],
    )
    return case


def png_pixels(data: bytes) -> tuple[bytes, int, int]:
    """Decode the 1-bit greyscale PNG segno writes into 8-bit grey pixels for zbar (no Pillow in
    the environment): the chunks, the inflated rows, each row's filter (segno writes none or up)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert (depth, colour_type) == (1, 0)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, pixels = zlib.decompress(idat), (width + 7) // 8, bytearray()
    previous = bytes(stride)
    for y in range(height):
        kind, row = raw[y * (stride + 1)], raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        assert kind in (0, 2), "unexpected PNG row filter"  # 0 none, 2 up (a row like the last)
        if kind == 2:
            row = bytes((a + b) & 0xFF for a, b in zip(row, previous, strict=True))
        pixels += bytes(255 if row[x // 8] >> (7 - x % 8) & 1 else 0 for x in range(width))
        previous = row
    return bytes(pixels), width, height


def decode_png(data: bytes) -> str:
    (found,) = decode(png_pixels(data))
    return found.data.decode()


def form_token(page: str, action: str) -> str:
    """The once-only token of the form posting to `action`."""
    match = re.search(rf'action="{re.escape(action)}">.*?name="submit_token" value="([^"]+)"', page, re.S)
    return match.group(1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- tokens ---------------------------------------------------------------------------------------


def test_a_link_is_issued_only_for_an_evaluated_case(world):
    with pytest.raises(CodeRefused, match="尚未评分"):
        do_issue_link(world.case_a, actor=world.people["pros_a"])
    assert not ShareToken.objects.exists()


def test_issuing_a_new_link_revokes_the_live_one(world, settings):
    settings.SITE_URL = "https://jcy.example.cn/"
    case = scored_case(world)
    pros = world.people["pros_a"]
    first = do_issue_link(case, actor=pros)
    assert first.expires_at - first.created_at == timedelta(days=settings.CASECODE_LINK_DAYS)
    assert link_url(first) == "https://jcy.example.cn" + link_path(first)
    assert link_path(first).startswith("/casecode/s/") and first.key in link_path(first)
    second = do_issue_link(case, actor=pros)
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by == pros
    assert current_link(case) == second
    assert list(Event.objects.filter(case_id=case.pk, action="casecode.link_issue").values_list("summary", flat=True))[
        -1
    ].endswith("原链接已撤销")


def test_an_expired_link_is_refused(world, settings):
    case = scored_case(world)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = do_issue_link(case, actor=world.people["pros_a"])
    signed = link_path(token).split("/")[-2]
    with time_machine.travel(start + timedelta(days=settings.CASECODE_LINK_DAYS, seconds=-1), tick=False):
        assert resolve_link(signed) == token
        assert current_link(case) == token
        assert Client().get(link_path(token)).status_code == 200
    with time_machine.travel(start + timedelta(days=settings.CASECODE_LINK_DAYS), tick=False):
        with pytest.raises(LinkGone):
            resolve_link(signed)
        assert current_link(case) is None
        response = Client().get(link_path(token))
    assert response.status_code == 410
    assert "已失效" in response.content.decode()


def test_a_revoked_link_is_refused_and_a_new_one_works(world):
    case = scored_case(world)
    pros = world.people["pros_a"]
    token = do_issue_link(case, actor=pros)
    do_revoke_link(token, actor=pros)
    assert Client().get(link_path(token)).status_code == 410
    with pytest.raises(CodeRefused, match="已撤销"):
        do_revoke_link(token, actor=pros)
    assert Event.objects.filter(case_id=case.pk, action="casecode.link_revoke").count() == 1
    fresh = do_issue_link(case, actor=pros)
    assert Client().get(link_path(fresh)).status_code == 200
    assert Client().get(link_path(token)).status_code == 410


def test_ten_thousand_guessed_tokens_are_all_refused_without_a_query(world, settings, django_assert_num_queries):
    case = scored_case(world)
    live = do_issue_link(case, actor=world.people["pros_a"])
    guesses = [secrets.token_urlsafe(secrets.choice((16, 22, 32))) for _ in range(5_000)]
    # Shaped like real links: a key and a signature of the right lengths, the real key among them.
    guesses += [f"{secrets.token_urlsafe(16)}:{secrets.token_urlsafe(32)}" for _ in range(4_990)]
    guesses += [f"{live.key}:{secrets.token_urlsafe(32)}" for _ in range(10)]
    assert len(guesses) == 10_000
    with django_assert_num_queries(0):
        assert [g for g in guesses if resolve_link(g) is not None] == []
    # The same through the page, for a sample (all answer 404, none records a scan).
    settings.CASECODE_SCANS_PER_MINUTE = 1_000
    client = Client()
    for guess in guesses[::100]:
        assert client.get(f"/casecode/s/{guess}/").status_code == 404
    assert not live.scans.exists()


def test_a_correctly_signed_unknown_key_is_refused(world):
    from django.core.signing import Signer

    signed = Signer(salt="casecode.link").sign(secrets.token_urlsafe(16))
    assert resolve_link(signed) is None
    assert Client().get(f"/casecode/s/{signed}/").status_code == 404


# --- the prosecutor's side ---------------------------------------------------------------------


def test_the_handler_issues_and_revokes_from_the_case_page(world):
    case = scored_case(world)
    client = logged_in(world.people["pros_a"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "案件码链接" in page and "生成链接" in page and "暂无扫码记录" in page
    issue = f"/casecode/cases/{case.pk}/share/issue/"
    token = form_token(page, issue)
    response = client.post(issue, {"submit_token": token})
    assert response.status_code == 302
    link = current_link(case)
    assert link is not None and link.created_by == world.people["pros_a"]
    # A repeated submission issues nothing more.
    client.post(issue, {"submit_token": token})
    assert ShareToken.objects.filter(case=case).count() == 1

    Client(REMOTE_ADDR="10.1.2.3").get(link_path(link), HTTP_USER_AGENT="Mozilla/5.0 DingTalk")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert link_url(link) in page and "<svg" in page
    assert "扫码记录（共 1 次）" in page and "10.1.2.3" in page and "DingTalk" in page
    revoke = f"/casecode/cases/{case.pk}/share/revoke/"
    client.post(revoke, {"submit_token": form_token(page, revoke)})
    assert current_link(case) is None


@pytest.mark.parametrize("role", ["pros_a2", "head", "cm", "chief"])
def test_others_who_read_the_case_see_the_link_but_may_not_change_it(world, role):
    case = scored_case(world)
    link = do_issue_link(case, actor=world.people["pros_a"])
    client = logged_in(world.people[role])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert link_url(link) in page
    assert "撤销链接" not in page and "重新生成链接" not in page
    assert client.post(f"/casecode/cases/{case.pk}/share/revoke/").status_code == 403
    assert client.post(f"/casecode/cases/{case.pk}/share/issue/").status_code == 403
    assert current_link(case) == link


@pytest.mark.parametrize("role", ["pros_b", "other_chief", "investigator", "sysadmin"])
def test_out_of_scope_the_link_files_and_notice_are_missing(world, role):
    case = scored_case(world)
    do_issue_link(case, actor=world.people["pros_a"])
    client = logged_in(world.people[role])
    for suffix in ("qr.png", "qr.svg", "notice/"):
        assert client.get(f"/casecode/cases/{case.pk}/share/{suffix}").status_code == 404
    assert client.post(f"/casecode/cases/{case.pk}/share/revoke/").status_code == 404


def test_the_qr_files_encode_the_live_link(world):
    case = scored_case(world)
    client = logged_in(world.people["head"])
    assert client.get(f"/casecode/cases/{case.pk}/share/qr.png").status_code == 404  # no link yet
    link = do_issue_link(case, actor=world.people["pros_a"])
    png = client.get(f"/casecode/cases/{case.pk}/share/qr.png")
    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == link_url(link)
    svg = client.get(f"/casecode/cases/{case.pk}/share/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_a4_notice_prints_the_code_with_its_qr(world):
    case = scored_case(world)
    client = logged_in(world.people["pros_a"])
    page = client.get(f"/casecode/cases/{case.pk}/share/notice/").content.decode()
    assert "尚未生成有效的案件码链接" in page
    do_issue_link(case, actor=world.people["pros_a"])
    page = client.get(f"/casecode/cases/{case.pk}/share/notice/").content.decode()
    assert "@page { size: A4" in page and "<svg" in page
    assert case.dept_case_no in page and "黄码" in page and "87.0" in page
    assert "赃款去向未查清" in page and "调取银行流水" in page
    unscored = client.get(f"/casecode/cases/{world.case_a.pk}/share/notice/")
    assert unscored.status_code == 200 and "尚未评分" in unscored.content.decode()
