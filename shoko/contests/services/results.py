"""Awards and results: staff give awards with the jury's comment, then publish the results —
which opens the public results page and open data, creates the winners' screening in events,
tells every winner, and sends every other eligible entrant the jury's comments on their work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.contests import notifications, selectors
from shoko.contests.models import Award, AwardWinner, Call, Entry, EntryStatus
from shoko.contests.services.common import locked, require_call_staff
from shoko.core.audit import acting_as
from shoko.core.concurrency import busy_is_a_message
from shoko.core.models import User
from shoko.core.translation import field_suffix
from shoko.events import services as event_services

NOT_ELIGIBLE_MESSAGE = _("審査対象の作品だけが受賞できます。")
WRONG_CATEGORY_MESSAGE = _("この賞は「%(category)s」部門の賞です。")
PLACES_MESSAGE = _("「%(award)s」はすでに %(places)s 作品に決まっています。")
COMMENT_MESSAGE = _("講評を入力してください。")
ALREADY_PUBLISHED_MESSAGE = _("結果はすでに発表されています（%(when)s）。")
NO_WINNERS_MESSAGE = _("受賞作品が決まっていません。")
BEFORE_CLOSE_MESSAGE = _("受付の締切前に結果を発表することはできません。")
SCREENING_TIMES_MESSAGE = _("上映会の終了は開始より後にしてください。")
AWARD_NAME_MESSAGE = _("賞の名称を入力してください。")


@busy_is_a_message
def save_award(
    *, actor: User, call: Call, award: Award | None = None, data: Mapping[str, Any]
) -> Award:
    """Create or change an award (name per language, category or the whole call, places)."""
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        award = award or Award(call=call)
        for name in (
            "name",
            "name_en",
            "name_zh_hans",
            "name_zh_hant",
            "name_ko",
            "category",
            "places",
            "order",
        ):
            if name in data:
                setattr(award, name, data[name])
        if not (award.name or "").strip():
            raise ValidationError({"name": AWARD_NAME_MESSAGE})
        if award.category is not None and award.category.call_id != call.pk:
            raise ValidationError(
                {"category": WRONG_CATEGORY_MESSAGE % {"category": award.category}}
            )
        award.full_clean()
        award.save()
    return award


@busy_is_a_message
def grant_award(*, actor: User, award: Award, entry: Entry, data: Mapping[str, Any]) -> AwardWinner:
    """Give ``award`` to ``entry`` with the jury's comment (講評) in ja and, optionally, other
    languages. The award's places are counted under its row lock."""
    comment = str(data.get("jury_comment") or "").strip()
    if not comment:
        raise ValidationError({"jury_comment": COMMENT_MESSAGE})
    with transaction.atomic(), acting_as(actor):
        award = locked(Award, award.pk)
        require_call_staff(actor, award.call)
        entry = locked(Entry, entry.pk)
        if entry.call_id != award.call_id or entry.status != EntryStatus.ELIGIBLE:
            raise ValidationError(NOT_ELIGIBLE_MESSAGE, code="not_eligible")
        if award.category_id and entry.category_id != award.category_id:
            raise ValidationError(
                WRONG_CATEGORY_MESSAGE, code="wrong_category", params={"category": award.category}
            )
        existing = award.winners.filter(entry=entry).first()
        if existing is None and award.winners.count() >= award.places:
            raise ValidationError(
                PLACES_MESSAGE, code="places", params={"award": award.name, "places": award.places}
            )
        winner = existing or AwardWinner(award=award, entry=entry)
        winner.jury_comment = comment
        for language in ("en", "zh_hans", "zh_hant", "ko"):
            key = f"jury_comment_{language}"
            if key in data:
                setattr(winner, key, str(data[key] or "").strip() or None)
        winner.screened = bool(data.get("screened", True))
        winner.save()
    return winner


def revoke_award(*, actor: User, winner: AwardWinner) -> None:
    with transaction.atomic(), acting_as(actor):
        award = locked(Award, winner.award_id)
        require_call_staff(actor, award.call)
        if award.call.results_published:
            raise ValidationError(
                ALREADY_PUBLISHED_MESSAGE,
                code="published",
                params={"when": timezone.localtime(award.call.results_published_at)},
            )
        winner.delete()


@dataclass(frozen=True)
class Screening:
    """The winners' screening to create in events when the results are published."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    venue_name: str
    venue_address: str
    capacity: int


@busy_is_a_message
def publish_results(
    *, actor: User, call: Call, screening: Screening | None = None, now: dt.datetime | None = None
) -> Call:
    """Publish the results (once): the public page and open data open; the screening event is
    created; winners are told of their award and comment; every other eligible entrant gets the
    jury's comments on their own work."""
    now = now or timezone.now()
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        if call.results_published_at is not None:
            raise ValidationError(
                ALREADY_PUBLISHED_MESSAGE,
                code="already_published",
                params={
                    "when": timezone.localtime(call.results_published_at).strftime("%Y-%m-%d %H:%M")
                },
            )
        if now < call.closes_at:
            raise ValidationError(BEFORE_CLOSE_MESSAGE, code="before_close")
        winners = list(
            AwardWinner.objects.filter(award__call=call).select_related(
                "award", "entry__entrant", "entry__call", "entry__category"
            )
        )
        if not winners:
            raise ValidationError(NO_WINNERS_MESSAGE, code="no_winners")
        if screening is not None:
            if screening.ends_at <= screening.starts_at:
                raise ValidationError(SCREENING_TIMES_MESSAGE, code="screening_times")
            call.screening_event = event_services.create_screening(
                actor=actor,
                data=event_services.ScreeningData(
                    title={
                        lang: f"{_title_in(call, lang)} {label}"
                        for lang, label in SCREENING_TITLES.items()
                    },
                    description={
                        lang: str(text) % {"count": sum(1 for w in winners if w.screened)}
                        for lang, text in SCREENING_DESCRIPTIONS.items()
                    },
                    starts_at=screening.starts_at,
                    ends_at=screening.ends_at,
                    capacity=screening.capacity,
                    venue_name=screening.venue_name,
                    venue_address=screening.venue_address,
                    division=call.division,
                    plan_item=call.plan_item,
                ),
            )
        call.results_published_at = now
        call.save()
        winning: dict[int, list[AwardWinner]] = {}
        for winner in winners:
            winning.setdefault(winner.entry_id, []).append(winner)
        for won in winning.values():
            entry = won[0].entry
            notifications.send_to_entrant(
                entry,
                "winner",
                extra={"awards": won},
                comments=selectors.comments_for_entrant(entry),
            )
        for entry in (
            call.entries.eligible()
            .exclude(pk__in=winning)
            .select_related("entrant", "call", "category")
        ):
            notifications.send_to_entrant(
                entry, "jury_comments", comments=selectors.comments_for_entrant(entry)
            )
    return call


def _title_in(call: Call, language: str) -> str:
    return str(getattr(call, f"title_{field_suffix(language)}", "") or call.title)


#: The screening's title after the call's, and its description, per language (the ward edits
#: the event in events afterwards if it wants other words).
SCREENING_TITLES = {
    "ja": "入賞作品上映会",
    "en": "Screening of the Winners",
    "zh-hans": "获奖作品放映会",
    "zh-hant": "得獎作品放映會",
    "ko": "수상작 상영회",
}
SCREENING_DESCRIPTIONS = {
    "ja": "入賞した %(count)s 作品を上映します。",
    "en": "The %(count)s winning works are screened.",
    "zh-hans": "放映 %(count)s 部获奖作品。",
    "zh-hant": "放映 %(count)s 部得獎作品。",
    "ko": "수상한 %(count)s개 작품을 상영합니다.",
}
