"""After an event, attendees answer a short survey; staff read results per event and per FY."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from shoko.events import links, selectors, services
from shoko.events.models import Question, SurveyResponse
from tests.events.factories import (
    EventFactory,
    QuestionFactory,
    SeriesFactory,
    SessionFactory,
    past_session,
    registered,
)

pytestmark = pytest.mark.django_db


def survey_path(registration) -> str:
    return reverse(
        "events:survey", args=[links.sign_registration(registration, salt=links.SURVEY_SALT)]
    )


def test_attendees_are_invited_once_and_answer_by_the_link(client):
    series = SeriesFactory()
    question = QuestionFactory(
        series=series,
        purpose=Question.Purpose.SURVEY,
        type=Question.Type.YES_NO,
        label="1年以内に創業する予定はありますか？",
        required=True,
    )
    session = past_session(days_ago=1, event=EventFactory(series=series))
    attendee = registered(session, 1, attendance="attended", language="en")
    registered(session, 2, attendance="no_show")
    assert services.send_survey_invitations() == 1
    assert services.send_survey_invitations() == 0
    message = mail.outbox[-1]
    assert message.subject.startswith("[Please tell us what you thought]")
    path = (
        "/" + re.search(r"https?://\S+/events/survey/\S+/", message.body).group(0).split("/", 3)[3]
    )
    form = client.get(path).content.decode()
    assert "1年以内に創業する予定はありますか？" in form
    missing = client.post(path, {"satisfaction": "5"})
    assert "This question must be answered." in missing.content.decode()
    done = client.post(path, {"satisfaction": "4", f"q{question.pk}": "yes", "comment": "良かった"})
    assert "Thank you for your answers." in done.content.decode()
    response = SurveyResponse.objects.get(registration=attendee)
    assert response.answers == {str(question.pk): "yes"}


def test_a_survey_cannot_be_answered_twice_or_before_the_end(client):
    attendee = registered(past_session(days_ago=1), attendance="attended")
    services.submit_survey(registration_id=attendee.pk, satisfaction=5)
    assert "ご回答ありがとうございました" in client.get(survey_path(attendee)).content.decode()
    with pytest.raises(ValidationError) as caught:
        services.submit_survey(registration_id=attendee.pk, satisfaction=5)
    assert caught.value.code == "already_answered"
    upcoming = registered(SessionFactory())
    response = client.post(survey_path(upcoming), {"satisfaction": "5"})
    assert "このアンケートは、ご参加いただいた回の終了後にご回答いただけます。" in (
        response.content.decode()
    )


@pytest.mark.parametrize("score", ["0", "6", "five", ""])
def test_a_satisfaction_outside_one_to_five_is_refused(client, score):
    attendee = registered(past_session(days_ago=1), attendance="attended")
    response = client.post(survey_path(attendee), {"satisfaction": score})
    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_results_per_event_and_per_fiscal_year(client, official):
    event = EventFactory(title="事業承継セミナー")
    question = QuestionFactory(event=event, purpose="survey", type="yes_no", label="役に立ったか")
    session = past_session(days_ago=5, event=event)
    for n, (score, answer) in enumerate([(5, "yes"), (4, "yes"), (3, "no")]):
        attendee = registered(session, n, attendance="attended")
        services.submit_survey(
            registration_id=attendee.pk,
            satisfaction=score,
            answers={str(question.pk): answer},
            comment="資料が分かりやすい" if n == 0 else "",
        )
    registered(session, 9, attendance="attended")  # did not answer
    summary = selectors.survey_summary(event)
    assert summary.responses == 3
    assert summary.response_rate == 75
    assert summary.average == Decimal("4.00")
    assert summary.distribution == {5: 1, 4: 1, 3: 1, 2: 0, 1: 0}
    assert summary.questions[0].counts == {"yes": 2, "no": 1}
    assert summary.comments == ["資料が分かりやすい"]
    client.force_login(official)
    page = client.get(reverse("events:staff-event-survey", args=[event.pk])).content.decode()
    assert "資料が分かりやすい" in page
    fy = session.fiscal_year.year
    year = client.get(reverse("events:staff-surveys"), {"fy": fy}).content.decode()
    assert "事業承継セミナー" in year
    export = client.get(reverse("events:staff-surveys"), {"fy": fy, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1] == ("事業承継セミナー", 3, 4.0)
