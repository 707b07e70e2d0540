"""特定創業支援等事業: a person who attended all four areas, often enough and over long enough,
gets a numbered certificate PDF; the list exports to xlsx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from shoko.events import selectors, services
from shoko.events.models import Certificate, SupportArea
from tests.events.factories import EventFactory, SeriesFactory, past_session, registered
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AREAS = ["management", "finance", "hr", "sales"]


def course(series, days_ago=(70, 56, 42, 28), areas=AREAS):
    event = EventFactory(series=series)
    return [
        past_session(days_ago=d, event=event, areas=[a], capacity=50)
        for d, a in zip(days_ago, areas, strict=True)
    ]


def attend(sessions, email="hanako@example.jp", **fields):
    return [
        registered(s, email=email, full_name="練馬 花子", attendance="attended", **fields)
        for s in sessions
    ]


def test_all_four_areas_over_the_period_make_a_person_eligible():
    series = SeriesFactory()
    attend(course(series))
    [candidate] = selectors.certificate_candidates(series)
    assert candidate.eligible
    assert candidate.session_count == 4
    assert candidate.period_days == 42


@pytest.mark.parametrize(
    ("days_ago", "areas", "missing"),
    [
        ((70, 56, 42, 28), ["management", "finance", "hr", "hr"], ["sales"]),
        ((40, 35, 30, 25), AREAS, []),  # only 15 days from first to last
    ],
)
def test_a_missing_area_or_a_short_period_is_not_enough(days_ago, areas, missing):
    series = SeriesFactory(certificate_min_days=30)
    attend(course(series, days_ago, areas))
    [candidate] = selectors.certificate_candidates(series)
    assert not candidate.eligible
    assert [a.value for a in candidate.missing_areas] == missing


def test_a_no_show_does_not_count():
    series = SeriesFactory()
    sessions = course(series)
    attend(sessions[:3])
    registered(sessions[3], email="hanako@example.jp", attendance="no_show")
    [candidate] = selectors.certificate_candidates(series)
    assert candidate.missing_areas == [SupportArea.SALES]


def test_issuing_numbers_certificates_per_fiscal_year_and_refuses_twice(official):
    series = SeriesFactory()
    sessions = course(series)
    for n in range(3):
        attend(sessions, email=f"p{n}@example.jp")
    march = timezone.make_aware(dt.datetime(2027, 3, 31, 12))
    april = timezone.make_aware(dt.datetime(2027, 4, 1, 9))
    first = services.issue_certificate(
        series_id=series.pk, email="p0@example.jp", actor=official, now=march
    )
    second = services.issue_certificate(
        series_id=series.pk, email="P1@example.jp", actor=official, now=march
    )
    third = services.issue_certificate(
        series_id=series.pk, email="p2@example.jp", actor=official, now=april
    )
    assert (first.number, second.number, third.number) == ("2026-0001", "2026-0002", "2027-0001")
    with pytest.raises(ValidationError) as caught:
        services.issue_certificate(series_id=series.pk, email="p0@example.jp", actor=official)
    assert caught.value.code == "already_issued"
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            series=series,
            fiscal_year=2026,
            serial=1,
            holder_name="重複",
            holder_email="dup@example.jp",
            issued_on=dt.date(2026, 5, 1),
        )


def test_not_eligible_or_not_certified_is_refused(official):
    plain = SeriesFactory(certified_programme=False)
    attend(course(plain))
    with pytest.raises(ValidationError) as caught:
        services.issue_certificate(series_id=plain.pk, email="hanako@example.jp", actor=official)
    assert caught.value.code == "not_certified"
    series = SeriesFactory()
    attend(course(series)[:2])
    with pytest.raises(ValidationError) as caught:
        services.issue_certificate(series_id=series.pk, email="hanako@example.jp", actor=official)
    assert caught.value.code == "not_eligible"


def test_staff_issue_from_the_series_page_and_the_pdf_reads_right(client, official):
    organisation = OrganisationFactory(name="ねりまパン工房")
    series = SeriesFactory(title="創業セミナー 令和8年度")
    attend(course(series), full_name_kana="ネリマ ハナコ", organisation=organisation)
    client.force_login(official)
    page = client.get(reverse("events:staff-series", args=[series.pk])).content.decode()
    assert "証明書を発行" in page
    response = client.post(
        reverse("events:staff-series", args=[series.pk]), {"email": "hanako@example.jp"}
    )
    certificate = Certificate.objects.get()
    assert certificate.organisation == organisation
    assert certificate.issued_by == official
    assert certificate.registrations.count() == 4
    assert response.status_code == 302
    pdf = client.get(reverse("events:staff-certificate-pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text().replace("\n", "")
    for expected in (
        "証",
        f"第 {certificate.number} 号",
        "練馬 花子",
        "ねりまパン工房",
        "特定創業支援等事業",
        "経営、財務、人材育成及び販路開拓",
        "練馬区長",
    ):
        assert expected in text, expected
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any(
        "/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f
    )


def test_the_certificate_list_exports_to_xlsx(client, official):
    series = SeriesFactory(title="創業セミナー 春")
    attend(course(series))
    certificate = services.issue_certificate(
        series_id=series.pk, email="hanako@example.jp", actor=official
    )
    client.force_login(official)
    response = client.get(
        reverse("events:staff-certificates"),
        {"fy": certificate.fiscal_year, "format": "xlsx"},
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("証明書番号", "発行日", "氏名")
    assert rows[1][0] == certificate.number
    assert rows[1][5] == "創業セミナー 春"


def test_the_business_timeline_records_the_certificate(official):
    organisation = OrganisationFactory()
    series = SeriesFactory()
    attend(course(series), organisation=organisation)
    services.issue_certificate(series_id=series.pk, email="hanako@example.jp", actor=official)
    kinds = [entry.kind for entry in selectors.timeline_for_organisation(organisation)]
    assert kinds.count("certificate") == 1
    assert kinds.count("attended") == 4


def test_the_series_page_costs_the_same_for_more_attendees(
    client, official, django_assert_max_num_queries
):
    series = SeriesFactory()
    sessions = course(series)
    attend(sessions, email="a@example.jp")
    client.force_login(official)
    with django_assert_max_num_queries(14):
        client.get(reverse("events:staff-series", args=[series.pk]))
    for n in range(15):
        attend(sessions, email=f"p{n}@example.jp")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("events:staff-series", args=[series.pk])).content.decode()
    assert page.count("証明書を発行") == 16
