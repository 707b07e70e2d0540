"""An entrant's story: a draft, the form, the checks at submission, the confirmation email in
their language, staff's review (checklist, fixes with a deadline, disqualification), withdrawal,
and the limits per person — every move recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shoko.contests.models import EntryDecision, EntryStatus
from shoko.contests.services import entries as entry_services
from shoko.core.models import Organisation
from tests.contests.conftest import attach_video, birth_date_for_age, fill, png_upload, start
from tests.factories import MembershipFactory


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list} if hasattr(error, "error_list") else {error.code}


def test_a_complete_entry_is_numbered_confirmed_in_the_entrants_language(call, entrant):
    entrant.preferred_language = "en"
    entrant.save()
    entry = fill(start(call, entrant), entrant)
    assert entry.language == "en"
    entry = entry_services.submit_entry(actor=entrant, entry=entry)
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.number == f"{call.fiscal_year.start.year}-001"
    assert entry.video is not None
    assert entry.video.duration == 45
    (message,) = mail.outbox
    assert message.to == ["animator@example.jp"]
    assert message.subject == "[Anime Competition Nerima] Entry received"
    assert "Thank you for entering" in message.body
    assert "https://shoko.example.jp/en/my/contests/entries/" in message.body
    decision = EntryDecision.objects.get(entry=entry)
    assert (decision.action, decision.actor) == ("submit", entrant)


def test_an_incomplete_entry_lists_everything_missing_at_once(call, entrant):
    entry = start(call, entrant)
    with pytest.raises(ValidationError) as caught:
        entry_services.submit_entry(actor=entrant, entry=entry)
    assert codes(caught.value) >= {"missing_fields", "no_video", "stills", "declarations"}
    assert entry.__class__.objects.get(pk=entry.pk).status == EntryStatus.DRAFT
    assert mail.outbox == []


def test_a_video_outside_the_duration_range_is_refused_with_the_seconds(call, entrant):
    entry = start(call, entrant)
    video = attach_video(entry, entrant, recorded="long95_mp4")
    assert video.status == "refused"
    assert video.message == "作品の長さは 95.2 秒で、この部門の上限 90 秒を 5.2 秒超えています。"
    entry.refresh_from_db()
    assert entry.video is None


def test_age_rules_and_guardian_consent_for_minors(call, entrant):
    kid = fill(start(call, entrant, "kids"), entrant, age=12)
    with pytest.raises(ValidationError) as caught:
        entry_services.submit_entry(actor=entrant, entry=kid)
    assert "guardian" in codes(caught.value)
    kid = entry_services.update_entry(
        actor=entrant,
        entry=kid,
        data={
            "guardian_name": "練馬 花子",
            "guardian_relationship": "母",
            "guardian_email": "parent@example.jp",
            "guardian_consent": True,
        },
    )
    kid = entry_services.submit_entry(actor=entrant, entry=kid)
    assert kid.guardian_consented_at is not None
    # The guardian is copied on the confirmation.
    assert mail.outbox[-1].to == ["animator@example.jp", "parent@example.jp"]
    adult = fill(start(call, entrant, "kids"), entrant, age=20)
    with pytest.raises(ValidationError, match="満15歳以下"):
        entry_services.submit_entry(actor=entrant, entry=adult)


def test_the_young_animators_challenge_asks_for_a_local_connection_and_career(call, entrant):
    studio = Organisation.objects.create(name="練馬アニメ工房")
    call.member_studios.add(studio)
    entry = fill(start(call, entrant, "young-animators"), entrant, age=24)
    with pytest.raises(ValidationError) as caught:
        entry_services.submit_entry(actor=entrant, entry=entry)
    assert "ineligible" in codes(caught.value)
    entry = entry_services.update_entry(
        actor=entrant,
        entry=entry,
        data={
            "connections": ["studio"],
            "studio": studio,
            "career_stage": "key_animation",
            "first_key_animation_year": call.age_reference_date.year - 2,
        },
    )
    assert entry_services.submit_entry(actor=entrant, entry=entry).status == EntryStatus.SUBMITTED


def test_codes_are_normalised_and_bad_values_refused(draft, entrant):
    entry = entry_services.update_entry(
        actor=entrant,
        entry=draft,
        data={"postal_code": "〒１７６－８５０１", "phone": "０３-３９９３-１１１１"},
    )
    assert (entry.postal_code, entry.phone) == ("1768501", "0339931111")
    with pytest.raises(ValidationError) as caught:
        entry_services.update_entry(
            actor=entrant,
            entry=draft,
            data={
                "postal_code": "12",
                "phone": "abc",
                "connections": ["moon"],
                "date_of_birth": timezone.localdate() + dt.timedelta(days=1),
            },
        )
    assert set(caught.value.message_dict) == {
        "postal_code",
        "phone",
        "connections",
        "date_of_birth",
    }
    with pytest.raises(ValidationError):
        entry_services.update_entry(actor=entrant, entry=draft, data={"declarations": ["invented"]})


def test_limits_per_person_count_filed_entries(call, entrant):
    first = entry_services.submit_entry(actor=entrant, entry=fill(start(call, entrant), entrant))
    second = fill(start(call, entrant), entrant)
    entry_services.submit_entry(actor=entrant, entry=second)  # one-minute allows 2
    third = fill(
        start(call, entrant, "kids"),
        entrant,
        age=12,
        guardian_name="母",
        guardian_relationship="母",
        guardian_email="p@example.jp",
        guardian_consent=True,
    )
    with pytest.raises(ValidationError) as caught:
        entry_services.submit_entry(actor=entrant, entry=third)
    assert "limit" in codes(caught.value)
    entry_services.withdraw_entry(actor=entrant, entry=first)
    assert entry_services.submit_entry(actor=entrant, entry=third).status == EntryStatus.SUBMITTED


def test_nobody_else_may_touch_an_entry(draft, other_entrant, commerce):
    with pytest.raises(PermissionDenied):
        entry_services.update_entry(actor=other_entrant, entry=draft, data={"title": "乗っ取り"})
    with pytest.raises(PermissionDenied):
        entry_services.submit_entry(actor=other_entrant, entry=draft)
    with pytest.raises(PermissionDenied):
        entry_services.add_still(actor=other_entrant, entry=draft, upload=png_upload())
    with pytest.raises(PermissionDenied):
        entry_services.submit_entry(actor=commerce, entry=draft)  # staff do not enter for people


def test_members_of_a_studio_share_its_entries(call, entrant, other_entrant):
    studio = Organisation.objects.create(name="スタジオねりま")
    MembershipFactory(user=entrant, organisation=studio, role="representative")
    MembershipFactory(user=other_entrant, organisation=studio, role="manager")
    entry = start(call, entrant, organisation=studio)
    entry = entry_services.update_entry(
        actor=other_entrant, entry=entry, data={"title": "共同作品"}
    )
    assert entry.title == "共同作品"
    outsider = Organisation.objects.create(name="よそのスタジオ")
    with pytest.raises(PermissionDenied):
        start(call, entrant, organisation=outsider)


def test_group_members_and_stills(draft, entrant):
    entry_services.set_members(
        actor=entrant,
        entry=draft,
        members=[
            {"name": "石神井 太郎", "pen_name": "しゃくじい", "role": "音楽"},
            {"name": "", "role": ""},
        ],
    )
    assert [m.credit for m in draft.members.all()] == ["しゃくじい"]
    with pytest.raises(ValidationError, match="氏名と担当"):
        entry_services.set_members(actor=entrant, entry=draft, members=[{"name": "名前だけ"}])
    too_many = [{"name": f"メンバー{i}", "role": "作画"} for i in range(6)]
    with pytest.raises(ValidationError, match="5 人まで"):
        entry_services.set_members(actor=entrant, entry=draft, members=too_many)
    for _ in range(2):
        entry_services.add_still(actor=entrant, entry=draft, upload=png_upload())
    with pytest.raises(ValidationError, match="3 枚まで"):
        entry_services.add_still(actor=entrant, entry=draft, upload=png_upload())


def test_a_still_that_is_not_an_image_is_refused(draft, entrant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        entry_services.add_still(
            actor=entrant, entry=draft, upload=SimpleUploadedFile("x.png", b"#!/bin/sh\nrm -rf /\n")
        )


def test_staff_review_fix_resubmit_accept(submitted, entrant, commerce):
    entry = entry_services.request_fix(
        actor=commerce,
        entry=submitted,
        data={
            "message": "音楽の権利処理の方法を書いてください。",
            "deadline": timezone.now() + dt.timedelta(days=7),
        },
    )
    assert entry.status == EntryStatus.FIX_REQUESTED
    (message,) = mail.outbox
    assert "音楽の権利処理の方法を書いてください。" in message.body
    entry = entry_services.update_entry(
        actor=entrant, entry=entry, data={"music_credits": "自作です。"}
    )
    entry = entry_services.resubmit_entry(actor=entrant, entry=entry)
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.fix_requests.get().resolved_at is not None
    with pytest.raises(ValidationError) as caught:
        entry_services.accept_entry(actor=commerce, entry=entry)
    assert "checklist" in codes(caught.value)
    for item in entry.call.checklist.all():
        entry_services.check_item(
            actor=commerce, entry=entry, item=item, data={"ok": True, "note": "確認"}
        )
    assert entry_services.accept_entry(actor=commerce, entry=entry).status == EntryStatus.ELIGIBLE
    assert [d.action for d in entry.decisions.order_by("pk")] == [
        "submit",
        "request_fix",
        "resubmit",
        "accept",
    ]


def test_a_fix_after_its_deadline_is_refused(submitted, entrant, commerce):
    entry = entry_services.request_fix(
        actor=commerce,
        entry=submitted,
        data={"message": "直してください。", "deadline": timezone.now() + dt.timedelta(hours=1)},
    )
    with pytest.raises(ValidationError, match="期限"):
        entry_services.resubmit_entry(
            actor=entrant, entry=entry, now=timezone.now() + dt.timedelta(hours=2)
        )
    with pytest.raises(ValidationError):
        entry_services.request_fix(
            actor=commerce, entry=entry, data={"message": "x", "deadline": None}
        )


def test_disqualification_needs_a_reason_and_can_be_reversed(submitted, commerce):
    with pytest.raises(ValidationError):
        entry_services.disqualify_entry(actor=commerce, entry=submitted, data={"reason": "  "})
    entry = entry_services.disqualify_entry(
        actor=commerce, entry=submitted, data={"reason": "商業作品として配信済みでした。"}
    )
    assert entry.status == EntryStatus.DISQUALIFIED
    assert "商業作品として配信済みでした。" in mail.outbox[-1].body
    entry = entry_services.reinstate_entry(
        actor=commerce, entry=entry, data={"reason": "配信は別作品でした。"}
    )
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.disqualification_reason == ""


def test_only_the_calls_division_decides(submitted, economy):
    with pytest.raises(PermissionDenied):
        entry_services.disqualify_entry(actor=economy, entry=submitted, data={"reason": "x"})
    item = submitted.call.checklist.first()
    with pytest.raises(PermissionDenied):
        entry_services.check_item(actor=economy, entry=submitted, item=item, data={"ok": True})


def test_a_double_submit_is_refused_kindly(submitted, entrant):
    with pytest.raises(ValidationError, match="すでに「応募済み」"):
        entry_services.submit_entry(actor=entrant, entry=submitted)


def test_no_submission_after_the_deadline(call, entrant):
    entry = fill(start(call, entrant), entrant)
    with pytest.raises(ValidationError) as caught:
        entry_services.submit_entry(
            actor=entrant, entry=entry, now=call.closes_at + dt.timedelta(seconds=1)
        )
    assert "window_closed" in codes(caught.value)


def test_ages_on_the_reference_date(call, entrant):
    entry = start(call, entrant)
    entry.date_of_birth = birth_date_for_age(call, 29)
    assert entry.age == 29
    entry.date_of_birth = call.age_reference_date.replace(year=call.age_reference_date.year - 18)
    assert entry.age == 18
    assert not entry.is_minor
