"""Every screen, tried by the right and the wrong people: the public pages in five languages,
the entrant's pages, staff's, judges', and the files — with query counts on the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from shoko.contests import configuration
from shoko.contests.models import ScoreSheet
from shoko.contests.services import entries as entry_services
from shoko.contests.services import judging, results
from tests.contests.conftest import eligible_entries, fill, load_call, start
from tests.factories import user_with_role


@pytest.fixture
def judged(call, commerce, judges):
    """Six eligible entries, a first round open with sheets dealt."""
    entries = eligible_entries(call, commerce, 4) + eligible_entries(call, commerce, 2, code="kids")
    round_ = configuration.create_round(
        actor=commerce, call=call, definition=configuration.round_definitions()[0], seed=3
    )
    judging.set_panel(actor=commerce, round_=round_, judges=[(j, []) for j in judges])
    judging.open_round(actor=commerce, round_=round_)
    return round_, entries


@pytest.fixture
def published(call, commerce, judged):
    _round, entries = judged
    award = call.awards.get(category__isnull=True)
    results.grant_award(
        actor=commerce, award=award, entry=entries[0], data={"jury_comment": "見事な一分。"}
    )
    results.publish_results(actor=commerce, call=call, now=call.closes_at + dt.timedelta(days=1))
    mail.outbox.clear()
    return entries


@pytest.mark.parametrize("prefix", ["", "/en", "/zh-hans", "/zh-hant", "/ko"])
def test_public_call_pages_in_every_language(client, call, prefix):
    listing = client.get(f"{prefix}/contests/")
    assert listing.status_code == 200
    page = client.get(f"{prefix}/contests/{call.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    expected = {
        "": "1分アニメ部門",
        "/en": "One-Minute Anime",
        "/zh-hans": "1分钟动画单元",
        "/zh-hant": "1分鐘動畫單元",
        "/ko": "1분 애니메이션 부문",
    }[prefix]
    assert expected in text
    assert "30〜90" in text
    assert client.get(f"{prefix}/contests/{call.slug}/results/").status_code == 404


@pytest.mark.parametrize("prefix", ["", "/en", "/ko"])
def test_results_page_shows_players_stills_and_the_jurys_comment(client, call, published, prefix):
    page = client.get(f"{prefix}/contests/{call.slug}/results/")
    assert page.status_code == 200
    text = page.content.decode()
    winner = published[0]
    assert "見事な一分。" in text
    assert f"/contests/files/entries/{winner.pk}/video" in text
    assert f"/contests/files/entries/{winner.pk}/stills/" in text
    assert published[1].title not in text  # only winners are shown


def test_unpublished_call_is_not_public(client, commerce):
    hidden = load_call(commerce, slug="hidden-call")
    hidden.published = False
    hidden.save()
    assert client.get("/contests/hidden-call/").status_code == 404


def test_files_follow_who_may_see_the_work(client, call, judged, entrant, other_entrant, judges):
    _round, entries = judged
    entry = entries[0]
    still = entry.stills.first()
    urls = [f"/contests/files/entries/{entry.pk}/stills/{still.pk}"]
    for url in urls:
        assert client.get(url).status_code == 404  # anonymous, before the results
        client.force_login(other_entrant)
        assert client.get(url).status_code == 404
        client.force_login(entry.entrant)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "filename=" in response["Content-Disposition"]
        on_panel = ScoreSheet.objects.filter(entry=entry).values_list("judge", flat=True)
        with_sheet = next(j for j in judges if j.pk in on_panel)
        client.force_login(with_sheet)
        assert client.get(url).status_code == 200
        stranger = user_with_role("judge", email="not-on-this-entry@example.jp")
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_the_entrants_pages_are_theirs_alone(client, call, entrant, other_entrant):
    entry = fill(start(call, entrant), entrant)
    pages = [
        f"/my/contests/entries/{entry.pk}/",
        f"/my/contests/entries/{entry.pk}/work/",
        f"/my/contests/entries/{entry.pk}/preview/",
        f"/my/contests/entries/{entry.pk}/video/status/",
    ]
    assert client.get("/my/contests/").status_code == 302
    client.force_login(other_entrant)
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/my/contests/entries/{entry.pk}/move/submit/").status_code == 404
    client.force_login(entrant)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/my/contests/").status_code == 200
    assert client.post(f"/my/contests/entries/{entry.pk}/move/accept/").status_code == 404
    response = client.post(f"/my/contests/entries/{entry.pk}/move/submit/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_an_entrant_fills_the_form_with_full_width_digits(client, call, entrant):
    client.force_login(entrant)
    response = client.post(
        f"/my/contests/{call.slug}/enter/", {"category": call.categories.get(code="one-minute").pk}
    )
    entry = entrant.contest_entries.get()
    assert response.url == f"/my/contests/entries/{entry.pk}/"
    response = client.post(
        f"/my/contests/entries/{entry.pk}/",
        {
            "title": "商店街の朝",
            "entrant_name": "練馬 アニ子",
            "postal_code": "１７６－８５０１",
            "date_of_birth": "2000-04-02",
            "language": "ja",
            "declarations": ["own-work"],
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.postal_code == "1768501"
    assert list(entry.declarations) == ["own-work"]
    response = client.post(
        f"/my/contests/entries/{entry.pk}/", {"title": "x", "postal_code": "12", "language": "ja"}
    )
    assert response.status_code == 200
    assert "郵便番号" in response.content.decode()


STAFF_PAGES = [
    "/staff/contests/",
    "/staff/contests/{slug}/",
    "/staff/contests/{slug}/entries/",
    "/staff/contests/{slug}/awards/",
    "/staff/contests/{slug}/publish/",
    "/staff/contests/{slug}/edit/",
    "/staff/contests/{slug}/items/checklist/",
    "/staff/contests/entries/{entry}/",
    "/staff/contests/rounds/{round}/",
    "/staff/contests/rounds/{round}/ranking/",
]


@pytest.mark.parametrize("role", [None, "business_member", "judge", "consultant"])
def test_staff_pages_refuse_everyone_but_officials(client, call, judged, role, entrant):
    round_, entries = judged
    user = entrant if role is None else user_with_role(role, email=f"{role}@example.jp")
    client.force_login(user)
    for template in STAFF_PAGES:
        url = template.format(slug=call.slug, entry=entries[0].pk, round=round_.pk)
        assert client.get(url).status_code == 403, url
    client.logout()
    assert client.get(f"/staff/contests/{call.slug}/").status_code == 302


def test_officials_of_another_division_read_without_personal_data_or_decisions(
    client, call, judged, economy, commerce
):
    round_, entries = judged
    entry = entries[0]
    born = entry.date_of_birth.strftime("%Y-%m-%d")
    client.force_login(economy)
    for template in STAFF_PAGES:
        url = template.format(slug=call.slug, entry=entry.pk, round=round_.pk)
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/contests/entries/{entry.pk}/").content.decode()
    assert born not in page
    assert entry.entrant.email not in page
    client.post(f"/staff/contests/entries/{entry.pk}/move/disqualify/", {"reason": "勝手に"})
    entry.refresh_from_db()
    assert entry.status == "eligible"
    client.force_login(commerce)
    page = client.get(f"/staff/contests/entries/{entry.pk}/").content.decode()
    assert born in page


def test_staff_review_through_the_screens(client, call, commerce, entrant):
    entry = entry_services.submit_entry(actor=entrant, entry=fill(start(call, entrant), entrant))
    client.force_login(commerce)
    for item in call.checklist.all():
        client.post(
            f"/staff/contests/entries/{entry.pk}/check/{item.pk}/", {"ok": "on", "note": "OK"}
        )
    client.post(f"/staff/contests/entries/{entry.pk}/move/accept/")
    entry.refresh_from_db()
    assert entry.status == "eligible"
    response = client.get(f"/staff/contests/{call.slug}/entries/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_judges_see_their_sheets_and_score_through_the_screen(client, judged, judges, commerce):
    round_, _entries = judged
    judge = judges[0]
    sheet = ScoreSheet.objects.filter(round=round_, judge=judge).first()
    other = ScoreSheet.objects.filter(round=round_).exclude(judge=judge).first()
    client.force_login(judge)
    assert client.get("/staff/judging/").status_code == 200
    assert client.get(f"/staff/judging/rounds/{round_.pk}/").status_code == 200
    page = client.get(f"/staff/judging/sheets/{sheet.pk}/")
    assert page.status_code == 200
    assert sheet.entry.entrant.email not in page.content.decode()
    assert sheet.entry.date_of_birth.strftime("%Y-%m-%d") not in page.content.decode()
    assert client.get(f"/staff/judging/sheets/{other.pk}/").status_code == 404
    response = client.post(
        f"/staff/judging/sheets/{sheet.pk}/",
        {
            "score_idea": "８",
            "score_animation": "7",
            "score_direction": "9",
            "comment_to_entrant": "良い",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None
    client.force_login(commerce)
    assert client.get("/staff/judging/").status_code == 403


def test_list_pages_take_a_fixed_number_of_queries(
    client, call, commerce, judged, django_assert_max_num_queries
):
    round_, _entries = judged
    client.force_login(commerce)
    with django_assert_max_num_queries(20):
        assert client.get(f"/staff/contests/{call.slug}/entries/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/staff/contests/rounds/{round_.pk}/ranking/").status_code == 200
    eligible_entries(call, commerce, 6)
    with django_assert_max_num_queries(20):
        assert client.get(f"/staff/contests/{call.slug}/entries/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/contests/").status_code == 200
