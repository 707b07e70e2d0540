"""Fixtures telling the programmes' stories: a shop owner, the renovation programme, staff."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections

from shoko.core.models import Membership
from shoko.programmes import services
from shoko.programmes.models import Programme, Status
from tests.directory.factories import BusinessFactory, ShopFactory
from tests.factories import MembershipFactory, user_with_role
from tests.programmes.factories import ProgrammeFactory, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(db) -> Programme:
    return ProgrammeFactory()


def member(business, role=Membership.Role.REPRESENTATIVE, **kwargs):
    user = user_with_role("business_member", **kwargs)
    MembershipFactory(user=user, organisation=business.organisation, role=role)
    return user


@pytest.fixture
def shop(db):
    """A shop in a shopping street, member of its association."""
    business = BusinessFactory(name="練馬テスト食堂", representative_name="練馬 太郎")
    return ShopFactory(business=business, is_association_member=True)


@pytest.fixture
def business(shop):
    return shop.business


@pytest.fixture
def owner(business):
    return member(business, email="owner@example.jp", preferred_language="ja")


@pytest.fixture
def commerce(make_user):
    return make_user("commerce_staff", email="commerce@example.jp")


@pytest.fixture
def economy(make_user):
    return make_user("economy_staff", email="economy@example.jp")


@pytest.fixture
def other_business_member(db):
    other = BusinessFactory(name="別の商店")
    ShopFactory(business=other)
    return member(other, email="other@example.jp")


def fill(application, actor, *, amount="１，２００，０００円", purpose="事業承継"):
    """A complete application: one planned expense, the required answer and the quote."""
    application = services.update_application(
        actor=actor,
        application=application,
        data={"title": "店舗の入口をバリアフリーにする改修", "summary": "段差を解消します。"},
        expenses=[{"category": "construction", "description": "入口改修工事", "amount": amount}],
        answers={"purpose": purpose, "visitors": "１２０"},
    )
    quote = application.programme.required_documents.get(code="quote")
    services.upload_document(
        actor=actor, application=application, requirement=quote, upload=pdf_upload()
    )
    return application


@pytest.fixture
def draft(programme, business, owner):
    return fill(
        services.create_application(actor=owner, programme=programme, business=business), owner
    )


def advance(application, to: str, *, owner, staff, amount=None):
    """Drive an application through the workflow up to ``to`` (the happy path)."""
    order = [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.APPROVED,
        Status.WORK_COMPLETED,
        Status.REPORT_SUBMITTED,
        Status.CONFIRMED,
        Status.PAID,
    ]
    steps = {
        Status.SUBMITTED: lambda a: services.submit_application(actor=owner, application=a),
        Status.UNDER_REVIEW: lambda a: services.start_review(actor=staff, application=a),
        Status.APPROVED: lambda a: services.approve_application(
            actor=staff, application=a, amount=amount
        ),
        Status.WORK_COMPLETED: lambda a: services.complete_work(actor=owner, application=a),
        Status.REPORT_SUBMITTED: lambda a: _report_and_submit(a, owner),
        Status.CONFIRMED: lambda a: services.confirm_amount(actor=staff, application=a),
        Status.PAID: lambda a: services.record_payment(actor=staff, application=a),
    }
    start = order.index(application.status) + 1 if application.status in order else 0
    for status in order[start : order.index(to) + 1]:
        application = steps[status](application)
    mail.outbox.clear()
    return application


def _report_and_submit(application, owner):
    services.save_report(
        actor=owner,
        application=application,
        summary="工事が完了しました。",
        expenses=[
            {"category": "construction", "description": "入口改修工事", "amount": "1,150,000"}
        ],
    )
    receipts = application.programme.required_documents.get(code="receipts")
    services.upload_document(
        actor=owner,
        application=application,
        requirement=receipts,
        upload=pdf_upload("receipt.pdf", "Receipt"),
    )
    return services.submit_report(actor=owner, application=application)


@pytest.fixture
def directory_reference(db):
    """The reference rows the directory's factories use. Transactional tests run after a flush
    (which empties what data migrations loaded), so they ask for these explicitly."""
    from shoko.directory.models import Area, ShopCategory

    Area.objects.get_or_create(code="nerima", defaults={"name": "練馬"})
    ShopCategory.objects.get_or_create(code="restaurant", defaults={"name": "飲食店"})


def applications_under_review(programme, count, staff):
    """``count`` applications of different shops under review, each asking 800,000 yen
    (2/3 of 1,200,000)."""
    from tests.directory.factories import ShopFactory

    applications = []
    for _ in range(count):
        shop = ShopFactory(is_association_member=True)
        person = member(shop.business)
        application = services.create_application(
            actor=person, programme=programme, business=shop.business
        )
        applications.append(
            advance(fill(application, person), Status.UNDER_REVIEW, owner=person, staff=staff)
        )
    return applications


def concurrently(calls: list[Callable[[], object]]) -> list[str]:
    """Each call in its own thread (own connection), all released at once. A person whose click
    meets a busy database clicks again, as people do. Each call's outcome: "ok", the refusal's
    code (or "refused"), or the unexpected exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    call()
                except ValidationError as error:
                    code = getattr(error, "code", None)
                    if code == "busy":
                        time.sleep(0.01)
                        continue
                    outcomes[index] = code or "refused"
                except Exception as error:  # reported in the test's assertion
                    outcomes[index] = repr(error)
                else:
                    outcomes[index] = "ok"
                break
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
