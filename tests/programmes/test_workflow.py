"""The one workflow, told as a shop owner's renovation grant from draft to payment."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from shoko.programmes import services
from shoko.programmes.models import NoticeKind, ProgrammeBudget, Status, TransitionLog

pytestmark = pytest.mark.django_db


def budget_of(programme):
    return ProgrammeBudget.objects.get(programme=programme)


def test_a_renovation_grant_from_draft_to_payment(
    draft, owner, commerce, django_capture_on_commit_callbacks
):
    assert draft.eligible_expense_yen == 1_200_000
    assert draft.requested_yen == 800_000  # 2/3, under the 1,000,000 cap, 千円未満切捨て

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(actor=owner, application=draft)
    assert submitted.status == Status.SUBMITTED
    assert submitted.number.startswith(f"{submitted.fiscal_year}-")
    assert [m.to for m in mail.outbox] == [["owner@example.jp"]]
    assert "申請済み" in mail.outbox[0].subject

    returned = services.return_application(
        actor=commerce, application=submitted, comment="見積書の宛名を直してください。"
    )
    assert returned.status == Status.RETURNED
    assert returned.last_comment == "見積書の宛名を直してください。"
    services.update_application(actor=owner, application=returned, data={"summary": "直しました"})
    resubmitted = services.resubmit_application(actor=owner, application=returned)
    assert resubmitted.status == Status.RESUBMITTED

    reviewing = services.start_review(actor=commerce, application=resubmitted)
    assert reviewing.assigned_to == commerce
    approved = services.approve_application(actor=commerce, application=reviewing)
    assert approved.approved_yen == 800_000
    budget = budget_of(draft.programme)
    assert (budget.committed_yen, budget.remaining_yen) == (800_000, 4_200_000)
    notice = approved.notices.get(kind=NoticeKind.GRANT_DECISION)
    text = PdfReader(io.BytesIO(notice.file.read())).pages[0].extract_text()
    assert "補助金交付決定通知書" in text
    assert "800,000" in text
    assert notice.number in text
    assert notice.number.endswith("練産商第1号")

    completed = services.complete_work(actor=owner, application=approved)
    assert completed.report_due_on is not None
    services.save_report(
        actor=owner,
        application=completed,
        summary="完了しました。",
        expenses=[
            {"category": "construction", "description": "工事", "amount": "１，０５０，０００"}
        ],
    )
    receipts = draft.programme.required_documents.get(code="receipts")
    from tests.programmes.factories import pdf_upload

    services.upload_document(
        actor=owner, application=completed, requirement=receipts, upload=pdf_upload("r.pdf")
    )
    reported = services.submit_report(actor=owner, application=completed)
    assert reported.report_requested_yen == 700_000  # 1,050,000 × 2/3

    confirmed = services.confirm_amount(actor=commerce, application=reported)
    assert confirmed.confirmed_yen == 700_000
    budget = budget_of(draft.programme)
    # Confirmation below the approved amount gives the difference back to the budget.
    assert (budget.committed_yen, budget.confirmed_yen) == (700_000, 700_000)
    assert confirmed.notices.filter(kind=NoticeKind.AMOUNT_CONFIRMATION).count() == 1

    paid = services.record_payment(actor=commerce, application=confirmed)
    assert paid.status == Status.PAID
    assert paid.paid_yen == 700_000
    assert budget_of(draft.programme).paid_yen == 700_000
    assert list(
        TransitionLog.objects.filter(application=draft).values_list("to_status", flat=True)
    ) == [
        "submitted",
        "returned",
        "resubmitted",
        "under_review",
        "approved",
        "work_completed",
        "report_submitted",
        "confirmed",
        "paid",
    ]
