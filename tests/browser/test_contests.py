"""An entrant on a phone uploads a video in chunks; the connection drops mid-way, the page is
closed; later the same file is chosen again and the upload resumes from the chunks already
received; the video is inspected by ffprobe, the entry submitted. A judge then scores it.

Needs Chromium and Debian's ffmpeg (ffprobe inspects the upload): .ci/run installs both.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from shoko.contests import configuration
from shoko.contests.media import ffmpeg
from shoko.contests.models import Entry, ScoreSheet
from shoko.contests.services import entries as entry_services
from shoko.contests.services import judging
from tests.contests.conftest import load_call
from tests.factories import PASSWORD, UserFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_ffmpeg(*args: str) -> None:
    """Debian's ffmpeg, by its absolute path, making test clips from its own test sources."""
    subprocess.run([ffmpeg.ffmpeg_binary(), "-v", "error", "-y", *args], check=True)  # noqa: S603


def sign_in(page, url, email):
    page.goto(url)
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_load_state()


def fits(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def clip(path, seconds=35):
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x180:rate=24",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440",
        "-t",
        str(seconds),
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "30",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        str(path),
    )
    return path


def test_an_entrant_on_a_phone_resumes_an_interrupted_upload_and_a_judge_scores(
    page_at, live_server, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOKO_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SHOKO_CONTESTS_CHUNK_BYTES = 64 * 1024
    staff = user_with_role("commerce_staff", email="commerce@example.jp", full_name="商工 次郎")
    judge = user_with_role("judge", email="judge@example.jp", full_name="審査 桜")
    entrant = UserFactory(email="animator@example.jp", full_name="練馬 アニ子")
    call = load_call(staff)
    video = clip(tmp_path / "はじまりの商店街.mp4")
    still = tmp_path / "still.png"
    run_ffmpeg("-i", str(video), "-frames:v", "1", str(still))

    # A visitor reads the call in English on a phone.
    visitor = page_at(375, 812, locale="en-GB")
    visitor.goto(f"{live_server.url}/en/contests/{call.slug}/")
    assert "One-Minute Anime" in visitor.content()
    fits(visitor)
    screenshot(visitor, "contests-01-call-en-375")

    phone = page_at(375, 812)
    sign_in(
        phone, f"{live_server.url}/my/login/?next=/my/contests/{call.slug}/enter/", entrant.email
    )
    phone.check("text=1分アニメ部門")
    phone.click("text=下書きを作成する")
    entry = Entry.objects.get(entrant=entrant)
    phone.fill("#id_title", "はじまりの商店街")
    phone.fill("#id_synopsis", "小さな商店街に、ある朝ロボットがやってくる。")
    phone.fill("#id_pen_name", "ねりまロボ")
    phone.fill("#id_date_of_birth", "2001-05-20")
    for box in phone.locator("input[name=declarations]").all():
        box.check()
    fits(phone)
    screenshot(phone, "contests-02-entry-form-375")
    phone.click("button[name=next]")
    phone.wait_for_url(f"**/my/contests/entries/{entry.pk}/work/")
    phone.set_input_files("#id_image", str(still))
    phone.click("form[enctype] button[type=submit]")
    assert "場面写真を追加しました。" in phone.content()

    # The train enters a tunnel: from the fourth chunk on, nothing gets through.
    phone.route(
        re.compile(r"/chunks/([3-9]|\d{2,})$"), lambda route: route.abort("internetdisconnected")
    )
    phone.set_input_files("#video-file", str(video))
    phone.wait_for_function("document.querySelector('.uploader').dataset.state === 'waiting'")
    assert Entry.objects.get(pk=entry.pk).videos.get().chunks.count() == 3
    screenshot(phone, "contests-03-upload-interrupted-375")
    phone.close()

    # Later, on another page: the same file is chosen again and only the rest is sent.
    phone = page_at(375, 812)
    sign_in(
        phone,
        f"{live_server.url}/my/login/?next=/my/contests/entries/{entry.pk}/work/",
        entrant.email,
    )
    assert "送信が途中です" in phone.content()
    phone.set_input_files("#video-file", str(video))
    phone.wait_for_function(
        "document.querySelector('.uploader').dataset.state === 'done'", timeout=60_000
    )
    phone.wait_for_selector(".video-card", timeout=60_000)
    assert "35.0 秒" in phone.inner_text("#video-status")
    uploaded = Entry.objects.get(pk=entry.pk).video
    assert uploaded.status == "accepted"
    assert uploaded.size == video.stat().st_size
    assert uploaded.thumbnail_name
    fits(phone)
    screenshot(phone, "contests-04-upload-done-375")

    phone.click("text=確認して応募へ")
    assert "応募の前に" not in phone.content()
    phone.click("text=この内容で応募する")
    phone.wait_for_load_state()
    assert "応募済み" in phone.content()
    screenshot(phone, "contests-05-submitted-375")

    # Staff accept it and open the first round; the judge scores at a desk.
    entry = Entry.objects.get(pk=entry.pk)
    for item in call.checklist.all():
        entry_services.check_item(actor=staff, entry=entry, item=item, data={"ok": True})
    entry_services.accept_entry(actor=staff, entry=entry)
    round_ = configuration.create_round(
        actor=staff, call=call, definition=configuration.round_definitions()[0], seed=1
    )
    judging.set_panel(actor=staff, round_=round_, judges=[(judge, [])])
    judging.open_round(actor=staff, round_=round_)
    desk = page_at(1280, 900)
    sign_in(desk, f"{live_server.url}/staff/login/", judge.email)
    desk.goto(f"{live_server.url}/staff/judging/")
    desk.click(f"text={round_.name}")
    desk.click("text=はじまりの商店街")
    assert desk.locator("video.player").count() == 1
    played = desk.evaluate(
        "fetch(document.querySelector('video.player').src, {headers: {Range: 'bytes=0-99'}})"
        ".then(r => [r.status, r.headers.get('content-range')])"
    )
    assert played[0] == 206
    assert played[1].startswith("bytes 0-99/")
    desk.fill("#id_score_idea", "8")
    desk.fill("#id_score_animation", "7")
    desk.fill("#id_score_direction", "9")
    desk.fill("#id_comment_to_entrant", "動きのタイミングが気持ちいい。")
    screenshot(desk, "contests-06-judge-sheet-1280")
    desk.click("button[name=submit]")
    desk.wait_for_load_state()
    assert "採点を提出しました。" in desk.content()
    sheet = ScoreSheet.objects.get(round=round_, judge=judge)
    assert float(sheet.total) == 7.75
    staff_desk = page_at(1280, 900)
    sign_in(staff_desk, f"{live_server.url}/staff/login/", staff.email)
    staff_desk.goto(f"{live_server.url}/staff/contests/rounds/{round_.pk}/ranking/")
    assert "はじまりの商店街" in staff_desk.content()
    screenshot(staff_desk, "contests-07-ranking-1280")
