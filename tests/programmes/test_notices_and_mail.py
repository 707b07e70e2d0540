"""What the applicant is told: an email in each member's language at every move, and the
ward's numbered notices as PDFs with an embedded Japanese font."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from shoko.core.models import Membership
from shoko.directory.models import TimelineEvent
from shoko.programmes import services
from shoko.programmes.models import NoticeKind, Status
from tests.programmes.conftest import advance, member

pytestmark = pytest.mark.django_db


def test_every_member_is_told_in_their_own_language(
    draft, owner, commerce, business, django_capture_on_commit_callbacks
):
    english = member(
        business, Membership.Role.VIEWER, email="staff-en@example.jp", preferred_language="en"
    )
    korean = member(
        business, Membership.Role.MANAGER, email="ko@example.jp", preferred_language="ko"
    )
    submitted = services.submit_application(actor=owner, application=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_application(
            actor=commerce, application=submitted, comment="見積書の宛名を直してください。"
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {owner.email, english.email, korean.email}
    assert "差戻し" in by_address[owner.email].subject
    assert "Returned for correction" in by_address[english.email].subject
    assert "반려" in by_address[korean.email].subject
    assert "見積書の宛名を直してください。" in by_address[english.email].body
    assert f"/en/my/programmes/applications/{draft.pk}/" in by_address[english.email].body
    assert f"/my/programmes/applications/{draft.pk}/" in by_address[owner.email].body


def test_nothing_is_sent_when_the_move_fails(
    draft, owner, commerce, django_capture_on_commit_callbacks
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    budget = application.programme.budgets.get()
    budget.amount_yen = 1
    budget.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.approve_application(actor=commerce, application=application)
    assert mail.outbox == []


def test_a_request_for_documents_is_emailed(
    draft, owner, commerce, django_capture_on_commit_callbacks
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_documents(
            actor=commerce, application=application, message="工事の図面を提出してください。"
        )
    assert len(mail.outbox) == 1
    assert "書類の提出をお願いします" in mail.outbox[0].subject
    assert "工事の図面を提出してください。" in mail.outbox[0].body


def pdf_text(notice) -> str:
    notice.file.open("rb")
    reader = PdfReader(io.BytesIO(notice.file.read()))
    return reader.pages[0].extract_text(), reader


def test_the_grant_decision_notice_is_numbered_and_embeds_a_japanese_font(draft, owner, commerce):
    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    notice = approved.notices.get(kind=NoticeKind.GRANT_DECISION)
    text, reader = pdf_text(notice)
    era_year = approved.fy.era_year()[1]
    assert notice.number == f"{era_year}練産商第1号"
    for expected in (
        notice.number,
        "練馬区長",
        "練馬テスト食堂",
        "補助金交付決定通知書",
        "金 800,000 円",
        approved.number,
        "2/3",
    ):
        assert expected in text, expected
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any(
        "/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f
    )


def test_notice_numbers_follow_each_other_and_confirmation_refers_to_the_decision(
    draft, owner, commerce
):
    paid = advance(draft, Status.PAID, owner=owner, staff=commerce)
    decision = paid.notices.get(kind=NoticeKind.GRANT_DECISION)
    confirmation = paid.notices.get(kind=NoticeKind.AMOUNT_CONFIRMATION)
    assert decision.number.endswith("第1号")
    assert confirmation.number.endswith("第2号")
    text, _reader = pdf_text(confirmation)
    assert "額の確定通知書" in text
    assert decision.number in text
    assert "金 766,000 円" in text  # 1,150,000 × 2/3 = 766,666 → 千円未満切捨て


def test_every_move_is_audited_with_its_actor_and_on_the_business_timeline(draft, owner, commerce):
    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    entries = LogEntry.objects.get_for_object(approved)
    assert entries.filter(actor=commerce, changes__icontains="approved").exists()
    assert entries.filter(actor=owner).exists()
    titles = list(
        TimelineEvent.objects.filter(business=approved.business).values_list("title", flat=True)
    )
    assert any("交付決定する" in t for t in titles)
