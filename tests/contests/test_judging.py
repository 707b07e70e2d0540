"""Judging and results: rounds, panels, balanced sheets, conflicts with recusal and top-up,
score sheets, the bias-corrected ranking staff read, awards, publication and the notices."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shoko.contests import configuration, scoring, selectors
from shoko.contests.models import RoundStatus, ScoreSheet
from shoko.contests.services import judging, results
from tests.contests.conftest import eligible_entries


@pytest.fixture
def field(call, commerce):
    return eligible_entries(call, commerce, 4) + eligible_entries(call, commerce, 2, code="kids")


@pytest.fixture
def first_round(call, commerce, judges, field):
    definition = configuration.round_definitions()[0]
    round_ = configuration.create_round(actor=commerce, call=call, definition=definition, seed=42)
    judging.set_panel(actor=commerce, round_=round_, judges=[(j, []) for j in judges])
    return round_


def score_all(round_, by_judge):
    """Each judge submits every sheet: ``by_judge[judge](entry) -> value`` for every criterion."""
    for sheet in round_.sheets.select_related("judge", "entry"):
        value = by_judge[sheet.judge.email](sheet.entry)
        judging.save_sheet(
            actor=sheet.judge,
            sheet=sheet,
            data={
                "scores": {c.code: value for c in round_.criteria.all()},
                "comment_to_entrant": "動きが良い。",
                "private_note": "非公開のメモ",
            },
            submit=True,
        )


def test_opening_a_balanced_round_deals_k_sheets_per_work(first_round, commerce, field):
    assert first_round.field.count() == 6
    plan = judging.open_round(actor=commerce, round_=first_round)
    assert len(plan.pairs) == 12  # K = 2 for six works
    per_entry = {e.pk: e.sheets.count() for e in field}
    assert set(per_entry.values()) == {2}
    loads = [p.assigned for p in selectors.judge_progress(first_round)]
    assert max(loads) - min(loads) <= 1
    first_round.refresh_from_db()
    assert first_round.status == RoundStatus.SCORING
    with pytest.raises(ValidationError, match="準備中"):
        judging.set_criteria(actor=commerce, round_=first_round, criteria=[])


def test_a_round_needs_a_rubric_a_panel_and_works(call, commerce):
    round_ = judging.create_round(actor=commerce, call=call, data={"name": "空のラウンド"})
    with pytest.raises(ValidationError) as caught:
        judging.open_round(actor=commerce, round_=round_)
    assert {e.code for e in caught.value.error_list} == {"no_criteria", "no_panel", "no_field"}


def test_a_non_judge_cannot_sit_on_a_panel(first_round, commerce, entrant):
    with pytest.raises(ValidationError, match="審査員の役割"):
        judging.set_panel(actor=commerce, round_=first_round, judges=[(entrant, [])])


def test_a_conflict_recuses_the_judge_and_another_takes_the_sheet(first_round, commerce, judges):
    judging.open_round(actor=commerce, round_=first_round)
    sheet = ScoreSheet.objects.filter(round=first_round, judge=judges[0]).first()
    declaration = judging.declare_conflict(
        actor=judges[0], entry=sheet.entry, data={"reason": "応募者は私の専門学校の教え子です。"}
    )
    sheet.refresh_from_db()
    assert sheet.recused_at is not None
    active = ScoreSheet.objects.filter(
        entry=sheet.entry, round=first_round, recused_at__isnull=True
    )
    assert active.count() == 2
    assert judges[0].pk not in set(active.values_list("judge_id", flat=True))
    assert declaration.reason.startswith("応募者は")
    with pytest.raises(ValidationError, match="採点できません"):
        judging.save_sheet(actor=judges[0], sheet=sheet, data={"scores": {}})
    with pytest.raises(ValidationError, match="すでに"):
        judging.declare_conflict(actor=judges[0], entry=sheet.entry, data={"reason": "再度"})


def test_judges_score_only_their_own_sheets_within_the_scale(first_round, commerce, judges):
    judging.open_round(actor=commerce, round_=first_round)
    mine = ScoreSheet.objects.filter(round=first_round, judge=judges[0]).first()
    theirs = ScoreSheet.objects.filter(round=first_round, judge=judges[1]).first()
    with pytest.raises(PermissionDenied):
        judging.save_sheet(actor=judges[0], sheet=theirs, data={"scores": {}})
    with pytest.raises(ValidationError, match="1〜10"):
        judging.save_sheet(
            actor=judges[0], sheet=mine, data={"scores": {"idea": "11"}}, submit=True
        )
    with pytest.raises(ValidationError, match="採点していない"):
        judging.save_sheet(
            actor=judges[0], sheet=mine, data={"scores": {"idea": "８"}}, submit=True
        )
    draft = judging.save_sheet(actor=judges[0], sheet=mine, data={"scores": {"idea": "８"}})
    assert (draft.scores, draft.submitted_at) == ({"idea": 8}, None)
    done = judging.save_sheet(
        actor=judges[0],
        sheet=mine,
        data={"scores": {"idea": 8, "animation": 6, "direction": 10}},
        submit=True,
    )
    assert float(done.total) == pytest.approx((8 + 2 * 6 + 10) / 4)


def test_the_ranking_is_the_scoring_functions_and_explains_itself(
    first_round, commerce, judges, field
):
    judging.open_round(actor=commerce, round_=first_round)
    generous = {e.pk: 9 - i % 3 for i, e in enumerate(field)}
    strict = {e.pk: 2 + i % 4 for i, e in enumerate(field)}
    middle = {e.pk: 5 + i % 2 for i, e in enumerate(field)}
    score_all(
        first_round,
        {
            judges[0].email: lambda e: generous[e.pk],
            judges[1].email: lambda e: strict[e.pk],
            judges[2].email: lambda e: middle[e.pk],
        },
    )
    triples = selectors.round_scores(first_round)
    assert len(triples) == 12
    expected = scoring.normalised_means(triples)
    ranking = selectors.round_ranking(first_round)
    shown = {
        row.entry.pk: row.normalised_mean for group in ranking.categories for row in group.rows
    }
    assert shown == pytest.approx(expected)
    row = ranking.categories[0].rows[0]
    assert {c["judge"] for c in row.contributions} <= set(judges)
    assert row.raw_mean == pytest.approx(scoring.raw_means(triples)[row.entry.pk])
    progress = selectors.judge_progress(first_round)
    assert all(p.percent == 100 for p in progress)


def test_results_published_notify_everyone_and_create_the_screening(
    first_round, commerce, judges, field, call
):
    judging.open_round(actor=commerce, round_=first_round)
    score_all(first_round, {j.email: (lambda e: 7) for j in judges})
    judging.close_round(actor=commerce, round_=first_round)
    grand_prix = call.awards.get(category__isnull=True)
    winner = field[0]
    results.grant_award(
        actor=commerce,
        award=grand_prix,
        entry=winner,
        data={
            "jury_comment": "商店街の空気が生きている。",
            "jury_comment_en": "The street feels alive.",
        },
    )
    with pytest.raises(ValidationError, match="すでに 1 作品"):
        results.grant_award(
            actor=commerce, award=grand_prix, entry=field[1], data={"jury_comment": "x"}
        )
    kids_award = call.awards.get(category__code="kids")
    with pytest.raises(ValidationError, match="部門の賞"):
        results.grant_award(
            actor=commerce, award=kids_award, entry=field[1], data={"jury_comment": "x"}
        )
    with pytest.raises(ValidationError, match="締切前"):
        results.publish_results(actor=commerce, call=call)
    mail.outbox.clear()
    later = call.closes_at + dt.timedelta(days=30)
    results.publish_results(
        actor=commerce,
        call=call,
        now=later,
        screening=results.Screening(
            starts_at=later + dt.timedelta(days=20),
            ends_at=later + dt.timedelta(days=20, hours=2),
            venue_name="ココネリホール",
            venue_address="東京都練馬区練馬1-17-1",
            capacity=300,
        ),
    )
    call.refresh_from_db()
    assert call.results_published_at == later
    event = call.screening_event
    assert event.kind == "screening"
    assert event.title == "アニメコンペティション練馬 入賞作品上映会"
    assert event.title_en == "Anime Competition Nerima Screening of the Winners"
    assert event.sessions.get().capacity == 300
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == len(field)
    won = by_address[winner.entrant.email]
    assert "受賞のお知らせ" in won.subject
    assert "商店街の空気が生きている。" in won.body
    lost = by_address[field[1].entrant.email]
    assert "審査員があなたの作品について書いたコメント" in lost.body
    assert "動きが良い。" in lost.body
    assert "非公開のメモ" not in lost.body
    assert "審査員 1" not in lost.body  # comments reach the entrant without the judge's name
    with pytest.raises(ValidationError, match="すでに発表"):
        results.publish_results(actor=commerce, call=call, now=later)


def test_open_data_of_the_results(client, first_round, commerce, judges, field, call):
    grand_prix = call.awards.get(category__isnull=True)
    field[0].title = '=HYPERLINK("http://evil")'
    field[0].save()
    results.grant_award(
        actor=commerce, award=grand_prix, entry=field[0], data={"jury_comment": "見事。"}
    )
    assert client.get(f"/contests/{call.slug}/results.csv").status_code == 404  # not yet
    results.publish_results(actor=commerce, call=call, now=call.closes_at + dt.timedelta(days=1))
    csv = client.get(f"/contests/{call.slug}/results.csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("募集,年度,部門,賞,受付番号")
    assert "'=HYPERLINK" in text
    assert "CC BY 4.0" in text
    data = json.loads(client.get(f"/contests/{call.slug}/results.json").content)
    assert data["licence"] == "CC BY 4.0"
    assert data["results"][0]["award"] == "グランプリ"
    assert data["results"][0]["duration_seconds"] == 45.0


def test_only_the_calls_staff_set_up_judging_and_awards(call, economy, judges):
    with pytest.raises(PermissionDenied):
        judging.create_round(actor=economy, call=call, data={"name": "勝手なラウンド"})
    with pytest.raises(PermissionDenied):
        results.publish_results(
            actor=economy, call=call, now=timezone.now() + dt.timedelta(days=60)
        )
