"""An entry's life — the ONE table of who may move it from which state to which, and what must
hold first (the same shape as the programmes' application workflow)::

    draft ──submit──▶ submitted ──accept──▶ eligible ──▶ (judging)
                        │   ▲                  │
              request_fix   resubmit      request_fix
                        ▼   │                  │
                     fix_requested ◀───────────┘
    (submitted, fix_requested, eligible) ──disqualify──▶ disqualified ──reinstate──▶ submitted
    (draft … eligible) ──withdraw──▶ withdrawn

``services.entries.transition`` runs a row: it locks the entry, checks the actor and the state,
runs the guard, applies the change, records an ``EntryDecision`` and emails the entrant after
commit — one transaction. Guards raise ``ValidationError`` with every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shoko.contests import eligibility
from shoko.contests.models import Declaration, Entry, EntryStatus, LocalConnection, VideoStatus


class Actor(StrEnum):
    ENTRANT = "entrant"  # the entrant, or an editing member of the entering studio
    STAFF = "staff"  # staff of the call


WINDOW_CLOSED_MESSAGE = _("受付期間外です（受付: %(opens)s〜%(closes)s）。")
DEADLINE_PASSED_MESSAGE = _("修正の期限（%(deadline)s）を過ぎています。担当課にご連絡ください。")
MISSING_FIELDS_MESSAGE = _("入力されていない項目があります: %(fields)s")
NO_VIDEO_MESSAGE = _("動画をアップロードしてください。")
VIDEO_NOT_READY_MESSAGE = _("動画の確認が終わっていません（%(status)s）。")
STILLS_MESSAGE = _("場面写真を %(count)s 枚以上アップロードしてください。")
DECLARATIONS_MESSAGE = _("確認していない誓約事項があります: %(items)s")
GUARDIAN_MESSAGE = _(
    "応募者が%(age)s歳未満のため、保護者の氏名・続柄・メールアドレスと同意が必要です。"
)
GROUP_TOO_LARGE_MESSAGE = _("グループの人数は %(max)s 人までです（入力: %(count)s 人）。")
LIMIT_MESSAGE = _("応募できる作品数の上限（%(limit)s 作品）に達しています。")
CATEGORY_LIMIT_MESSAGE = _("この部門に応募できる作品数の上限（%(limit)s 作品）に達しています。")
INELIGIBLE_MESSAGE = _("この部門の応募資格を満たしていません: %(reasons)s")
CHECKLIST_MESSAGE = _("確認が済んでいない項目があります: %(items)s")
REASON_REQUIRED_MESSAGE = _("理由を入力してください。")
DEADLINE_REQUIRED_MESSAGE = _("修正の期限を、今より後の日時で入力してください。")
RESULTS_OUT_MESSAGE = _("結果発表後は取り下げできません。")
STUDIO_DETAIL_MESSAGE = _("所属スタジオを選んでください。")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def check_window(entry: Entry, *, now: dt.datetime | None = None) -> None:
    call = entry.call
    if not call.is_open(now):
        raise ValidationError(
            WINDOW_CLOSED_MESSAGE,
            code="window_closed",
            params={"opens": _local(call.opens_at), "closes": _local(call.closes_at)},
        )


def completeness_errors(entry: Entry) -> list[ValidationError]:
    """Everything an entry needs before staff look at it: every problem at once."""
    errors: list[ValidationError] = []
    category = entry.category
    required = {
        "title": entry.title.strip(),
        "synopsis": entry.synopsis.strip(),
        "entrant_name": entry.entrant_name.strip(),
        "date_of_birth": entry.date_of_birth,
    }
    missing = [
        str(getattr(Entry._meta.get_field(name), "verbose_name", name))
        for name, v in required.items()
        if not v
    ]
    if missing:
        errors.append(
            ValidationError(
                MISSING_FIELDS_MESSAGE, code="missing_fields", params={"fields": "、".join(missing)}
            )
        )
    if category.is_video:
        video = entry.video
        if video is None:
            errors.append(ValidationError(NO_VIDEO_MESSAGE, code="no_video"))
        elif video.status != VideoStatus.ACCEPTED:
            errors.append(
                ValidationError(
                    VIDEO_NOT_READY_MESSAGE,
                    code="video_not_ready",
                    params={"status": video.get_status_display()},
                )
            )
    stills = entry.stills.count()
    if stills < category.stills_required:
        errors.append(
            ValidationError(
                STILLS_MESSAGE, code="stills", params={"count": category.stills_required}
            )
        )
    accepted = set((entry.declarations or {}).keys())
    pending = [d for d in declarations_for(entry) if d.code not in accepted]
    if pending:
        errors.append(
            ValidationError(
                DECLARATIONS_MESSAGE,
                code="declarations",
                params={"items": " / ".join(d.text for d in pending)},
            )
        )
    if entry.is_minor and not (
        entry.guardian_name.strip()
        and entry.guardian_relationship.strip()
        and entry.guardian_email
        and entry.guardian_consented_at
    ):
        errors.append(
            ValidationError(
                GUARDIAN_MESSAGE,
                code="guardian",
                params={"age": settings.SHOKO_CONTESTS_AGE_OF_MAJORITY},
            )
        )
    members = entry.members.count()
    if members > category.max_group_size:
        errors.append(
            ValidationError(
                GROUP_TOO_LARGE_MESSAGE,
                code="group_too_large",
                params={"max": category.max_group_size, "count": members},
            )
        )
    if LocalConnection.STUDIO in (entry.connections or []) and entry.studio_id is None:
        errors.append(ValidationError(STUDIO_DETAIL_MESSAGE, code="studio"))
    verdict = eligibility.evaluate(
        entry,
        category.rules or [],
        eligibility.Context(
            on=entry.call.age_reference_date,
            member_studio_ids=set(entry.call.member_studios.values_list("pk", flat=True)),
        ),
    )
    if not verdict.ok:
        errors.append(
            ValidationError(
                INELIGIBLE_MESSAGE,
                code="ineligible",
                params={"reasons": " ".join(str(r) for r in verdict.reasons)},
            )
        )
    return errors


def declarations_for(entry: Entry) -> list[Declaration]:
    """The call's declarations and the category's own."""
    return [
        d
        for d in entry.call.declarations.all()
        if d.category_id is None or d.category_id == entry.category_id
    ]


def check_limits(entry: Entry) -> None:
    """Entry limits per person, over the call and within the category (withdrawn and
    disqualified entries do not count)."""
    filed = Entry.objects.counting_towards_limit().filter(call=entry.call, entrant=entry.entrant)
    if entry.pk:
        filed = filed.exclude(pk=entry.pk)
    if filed.count() >= entry.call.entries_per_person:
        raise ValidationError(
            LIMIT_MESSAGE, code="limit", params={"limit": entry.call.entries_per_person}
        )
    if filed.filter(category=entry.category).count() >= entry.category.entries_per_person:
        raise ValidationError(
            CATEGORY_LIMIT_MESSAGE,
            code="category_limit",
            params={"limit": entry.category.entries_per_person},
        )


def guard_submit(entry: Entry, params: Mapping[str, Any]) -> None:
    check_window(entry, now=params.get("now"))
    errors = completeness_errors(entry)
    try:
        check_limits(entry)
    except ValidationError as error:
        errors.append(error)
    if errors:
        raise ValidationError(errors)


def guard_resubmit(entry: Entry, params: Mapping[str, Any]) -> None:
    now = params.get("now") or timezone.now()
    if entry.fix_deadline is not None and now > entry.fix_deadline:
        raise ValidationError(
            DEADLINE_PASSED_MESSAGE,
            code="deadline_passed",
            params={"deadline": _local(entry.fix_deadline)},
        )
    errors = completeness_errors(entry)
    if errors:
        raise ValidationError(errors)


def guard_request_fix(entry: Entry, params: Mapping[str, Any]) -> None:
    deadline = params.get("deadline")
    if not isinstance(deadline, dt.datetime) or deadline <= (params.get("now") or timezone.now()):
        raise ValidationError({"deadline": DEADLINE_REQUIRED_MESSAGE})


def guard_accept(entry: Entry, params: Mapping[str, Any]) -> None:
    ticked = set(entry.checks.filter(ok=True).values_list("item_id", flat=True))
    open_items = [item for item in entry.call.checklist.all() if item.pk not in ticked]
    if open_items:
        raise ValidationError(
            CHECKLIST_MESSAGE,
            code="checklist",
            params={"items": "、".join(item.label for item in open_items)},
        )


def guard_withdraw(entry: Entry, params: Mapping[str, Any]) -> None:
    if entry.call.results_published:
        raise ValidationError(RESULTS_OUT_MESSAGE, code="results_out")


def guard_reinstate(entry: Entry, params: Mapping[str, Any]) -> None:
    try:
        check_limits(entry)
    except ValidationError as error:
        raise ValidationError([error]) from error


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[EntryStatus]
    target: EntryStatus
    actor: Actor
    guard: Callable[[Entry, Mapping[str, Any]], None] | None = None
    comment_required: bool = False
    notify: bool = True
    danger: bool = False


S = EntryStatus
_ALIVE = {S.SUBMITTED, S.FIX_REQUESTED, S.ELIGIBLE}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            _("この内容で応募する"),
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            Actor.ENTRANT,
            guard_submit,
        ),
        Transition(
            "resubmit",
            _("修正して再提出する"),
            frozenset({S.FIX_REQUESTED}),
            S.SUBMITTED,
            Actor.ENTRANT,
            guard_resubmit,
        ),
        Transition(
            "request_fix",
            _("修正を依頼する"),
            frozenset({S.SUBMITTED, S.ELIGIBLE}),
            S.FIX_REQUESTED,
            Actor.STAFF,
            guard_request_fix,
            comment_required=True,
        ),
        Transition(
            "accept",
            _("審査対象とする"),
            frozenset({S.SUBMITTED}),
            S.ELIGIBLE,
            Actor.STAFF,
            guard_accept,
        ),
        Transition(
            "disqualify",
            _("失格とする"),
            frozenset(_ALIVE),
            S.DISQUALIFIED,
            Actor.STAFF,
            comment_required=True,
            danger=True,
        ),
        Transition(
            "reinstate",
            _("失格を取り消す"),
            frozenset({S.DISQUALIFIED}),
            S.SUBMITTED,
            Actor.STAFF,
            guard_reinstate,
            comment_required=True,
        ),
        Transition(
            "withdraw",
            _("取り下げる"),
            frozenset({S.DRAFT} | _ALIVE),
            S.WITHDRAWN,
            Actor.ENTRANT,
            guard_withdraw,
            notify=False,
            danger=True,
        ),
    )
}


def transitions_from(status: str, actor: Actor) -> list[Transition]:
    """The moves ``actor`` may make from ``status``, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and t.actor == actor]
