"""What changes events: registration, the waitlist, attendance, certificates, consultations.

Every function is keyword-only, takes the acting user (``actor``; ``None`` for a member of the
public or a scheduled job) and runs as one transaction. Seats are counted in the database:
a registration locks its session row (``select_for_update``; on SQLite the IMMEDIATE transaction
does the same) before it reads ``seats_taken``, and a check constraint refuses any write that
would oversell.

Messages people see are the constants below, translated in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.audit import acting_as
from shoko.core.japan import FiscalYear
from shoko.core.models import Organisation, User, UserManager
from shoko.core.numbering import next_number
from shoko.core.text import normalize_code, to_katakana
from shoko.core.translation import field_suffix
from shoko.core.validators import normalize_phone_jp, validate_phone_jp
from shoko.directory.services import record_timeline_event
from shoko.events import notifications
from shoko.events.formatting import long_date
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    ConsultationSlot,
    Event,
    Question,
    RegistrantMessage,
    Registration,
    Series,
    Session,
    SessionArea,
    SupportArea,
    SurveyResponse,
    Venue,
    new_token,
)
from shoko.events.selectors import certificate_candidate

# --- Messages ------------------------------------------------------------------------------------

NAME_REQUIRED = _("氏名を入力してください。")
KANA_REQUIRED = _("フリガナを入力してください。")
KANA_INVALID = _("フリガナはカタカナまたはひらがなで入力してください。")
EMAIL_INVALID = _("メールアドレスの形式が正しくありません（例: taro@example.jp）。")
PHONE_REQUIRED = _("電話番号を入力してください。")
EVENT_NOT_PUBLISHED = _("このイベントは現在公開されていません。")
SESSION_CANCELLED = _("この回は中止になりました。")
SESSION_STARTED = _("この回はすでに開始または終了しているため、申し込めません。")
REGISTRATION_NOT_OPEN = _("この回の申込受付は%(opens)sから始まります。")
REGISTRATION_CLOSED = _("この回の申込受付は締め切りました。")
SEATS_INVALID = _("人数は1人以上で入力してください。")
OVER_GROUP_LIMIT = _("1件の申込でお申し込みいただける人数は%(limit)s人までです。")
ANSWER_REQUIRED = _("この質問への回答は必須です。")
ANSWER_NOT_A_CHOICE = _("選択肢の中から選んでください。")
ALREADY_REGISTERED = _(
    "このメールアドレスでは、すでにこの回にお申し込みいただいています。"
    "内容の確認や取消は、お送りしたメールのリンクからお願いします。"
)
ALREADY_CANCELLED = _("この申込はすでに取り消されています。")
CANNOT_CANCEL_STARTED = _("開始した回の申込は取り消せません。区の担当課にご連絡ください。")
NOT_OFFERED = _("この申込には、現在ご案内中の席はありません。")
OFFER_EXPIRED = _("回答期限を過ぎたため、お席は次にお待ちの方にご案内しました。")
NOT_CONFIRMED = _("申込が確定していない方は受付できません。")
CHECK_IN_TOO_EARLY = _("受付は開催日の当日から行えます。")
SESSION_NOT_ENDED = _("欠席の記録は、回の終了後に行えます。")
CAPACITY_BELOW_TAKEN = _("定員は、すでに確保されている席数（%(taken)s人）より少なくできません。")
SESSION_HAS_REGISTRATIONS = _("申込のある回は削除できません。中止にしてください。")
ORGANISATION_NOT_YOURS = _("所属していない事業者として申し込むことはできません。")
NOT_CERTIFIED_PROGRAMME = _("このシリーズは特定創業支援等事業ではありません。")
NOT_ELIGIBLE = _("この方はまだ証明書の発行条件を満たしていません。")
CERTIFICATE_ALREADY_ISSUED = _("この方には、このシリーズの証明書をすでに発行しています。")
SLOT_UNAVAILABLE = _("この相談枠は現在予約できません。")
SLOT_TAKEN = _("この相談枠はすでに予約されています。別の時間をお選びください。")
SLOT_PAST = _("開始時刻を過ぎた相談枠は予約できません。")
SLOT_OVERLAPS = _("同じ時間帯に、すでに相談枠があります。")
SLOT_TOO_SHORT = _("相談枠の長さは15分以上にしてください。")
SLOT_HAS_BOOKING = _("予約のある相談枠は削除できません。取りやめにしてください。")
NOT_YOUR_SLOT = _("他の相談員の相談枠は編集できません。")
BOOKING_NOT_ACTIVE = _("この予約はすでに取り消されています。")
CONSULTATION_NOT_STARTED = _("相談の記録は、開始時刻の後に行えます。")
SURVEY_NOT_AVAILABLE = _("このアンケートは、ご参加いただいた回の終了後にご回答いただけます。")
SURVEY_ALREADY_ANSWERED = _(
    "このアンケートにはすでにご回答いただいています。ありがとうございました。"
)
SATISFACTION_INVALID = _("満足度は1から5の中から選んでください。")
MESSAGE_NO_RECIPIENTS = _("送信先となる申込者がいません。")


def _error(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# --- Registrants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registrant:
    """Who is signing up: cleaned and normalised by ``clean_registrant``."""

    full_name: str
    email: str
    phone: str = ""
    full_name_kana: str = ""
    business_name: str = ""
    organisation: Organisation | None = None
    user: User | None = None
    language: str = "ja"


_KANA_RE = re.compile(r"[\u30a0-\u30ff\s・ー]+")


def normalise_kana(text: str | None) -> str:
    """A reading as full-width katakana with single spaces; the long-vowel mark ー stays
    (``normalize_code`` would turn it into a hyphen)."""
    return " ".join(to_katakana(unicodedata.normalize("NFKC", text or "")).split())


def clean_registrant(
    *,
    full_name: str,
    email: str,
    phone: str,
    full_name_kana: str = "",
    business_name: str = "",
    organisation: Organisation | None = None,
    user: User | None = None,
    language: str = "ja",
    require_kana: bool = True,
    require_phone: bool = True,
) -> Registrant:
    """Normalise what a person typed (full-width digits, hiragana readings, spaces) and say,
    per field, what is wrong. Used by the forms and the API alike."""
    errors: dict[str, list[Any]] = {}
    name = " ".join((full_name or "").split())
    if not name:
        errors["full_name"] = [_error(NAME_REQUIRED, "name_required")]
    kana = normalise_kana(full_name_kana)
    if not kana and require_kana:
        errors["full_name_kana"] = [_error(KANA_REQUIRED, "kana_required")]
    elif kana and not _KANA_RE.fullmatch(kana):
        errors["full_name_kana"] = [_error(KANA_INVALID, "kana_invalid")]
    address = UserManager.normalize_email(normalize_code(email))
    try:
        validate_email(address)
    except ValidationError:
        errors["email"] = [_error(EMAIL_INVALID, "email_invalid")]
    number = normalize_phone_jp(phone)
    if number:
        try:
            validate_phone_jp(number)
        except ValidationError as exc:
            errors["phone"] = exc.error_list
    elif require_phone:
        errors["phone"] = [_error(PHONE_REQUIRED, "phone_required")]
    if errors:
        raise ValidationError(errors)
    return Registrant(
        full_name=name,
        full_name_kana=kana,
        email=address,
        phone=number,
        business_name=" ".join((business_name or "").split()),
        organisation=organisation,
        user=user,
        language=language,
    )


def clean_answers(questions: Iterable[Question], raw: Mapping[str, Any]) -> dict[str, str]:
    """Answers keyed by question id; required ones present, choices among the choices."""
    answers: dict[str, str] = {}
    errors: dict[str, list[Any]] = {}
    for question in questions:
        key = str(question.pk)
        value = str(raw.get(key) or "").strip()
        if not value:
            if question.required:
                errors[f"q{key}"] = [_error(ANSWER_REQUIRED, "answer_required")]
            continue
        allowed = ["yes", "no"] if question.type == Question.Type.YES_NO else question.choice_list
        if question.type != Question.Type.TEXT and value not in allowed:
            errors[f"q{key}"] = [_error(ANSWER_NOT_A_CHOICE, "not_a_choice")]
            continue
        answers[key] = value[:2000]
    if errors:
        raise ValidationError(errors)
    return answers


# --- Registration and the waitlist -------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    created: bool


def _locked_session(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("event").get(pk=session_id)


def _check_session_open(session: Session, *, now: dt.datetime, source: str) -> None:
    if not session.event.published and source != Registration.Source.STAFF:
        raise _error(EVENT_NOT_PUBLISHED, "not_published")
    if session.status == Session.Status.CANCELLED:
        raise _error(SESSION_CANCELLED, "session_cancelled")
    if session.starts_at <= now:
        raise _error(SESSION_STARTED, "session_started")
    if source == Registration.Source.STAFF:
        return  # staff take sign-ups by phone outside the window
    if session.registration_opens_at and now < session.registration_opens_at:
        raise _error(
            REGISTRATION_NOT_OPEN, "not_open", opens=long_date(session.registration_opens_at)
        )
    if now >= session.closes_at:
        raise _error(REGISTRATION_CLOSED, "closed")


def register(
    *,
    session_id: int,
    registrant: Registrant,
    seats: int = 1,
    answers: Mapping[str, str] | None = None,
    source: str = Registration.Source.PUBLIC,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> RegistrationOutcome:
    """Sign ``registrant`` up for a session: confirmed while seats last, else waitlisted.

    The same person (email) signing up again for the same session gets their existing live
    registration back (``created=False``): a double-clicked submit is one registration.
    """
    now = now or timezone.now()
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise _error(SEATS_INVALID, "seats_invalid")
    if registrant.organisation is not None and not permissions.can_act_for(
        actor, registrant.organisation
    ):
        raise _error(ORGANISATION_NOT_YOURS, "organisation_not_yours")
    with transaction.atomic():
        session = _locked_session(session_id)
        _check_session_open(session, now=now, source=source)
        if seats > session.event.group_limit:
            raise _error(OVER_GROUP_LIMIT, "over_group_limit", limit=session.event.group_limit)
        existing = session.registrations.filter(
            email=registrant.email, status__in=Registration.ACTIVE
        ).first()
        if existing is not None:
            return RegistrationOutcome(existing, created=False)
        registration = Registration(
            session=session,
            seats=seats,
            full_name=registrant.full_name,
            full_name_kana=registrant.full_name_kana,
            email=registrant.email,
            phone=registrant.phone,
            business_name=registrant.business_name,
            organisation=registrant.organisation,
            user=registrant.user,
            language=registrant.language,
            answers=dict(answers or {}),
            source=source,
        )
        if session.free_seats >= seats:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = Registration.Status.WAITLISTED
            registration.waitlisted_at = now
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # The unique constraint caught a twin that slipped past the lock (it cannot on
            # either database, but the constraint is the last word).
            twin = session.registrations.get(email=registrant.email, status__in=Registration.ACTIVE)
            return RegistrationOutcome(twin, created=False)
        if registration.status == Registration.Status.CONFIRMED:
            Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + seats)
            notifications.send_to_registrant(registration, "confirmed")
        else:
            notifications.send_to_registrant(registration, "waitlisted")
    return RegistrationOutcome(registration, created=True)


def _offer_free_seats(session: Session, *, now: dt.datetime) -> list[Registration]:
    """Offer freed seats to the waitlist, first come first served (a group that does not fit
    waits while smaller ones behind it are offered). The caller holds the session lock."""
    session.refresh_from_db(fields=["seats_taken", "capacity", "status"])
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        return []
    free = session.capacity - session.seats_taken
    deadline = min(now + dt.timedelta(hours=session.event.offer_hours), session.starts_at)
    offered: list[Registration] = []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    for candidate in waiting:
        if free <= 0:
            break
        if candidate.seats > free:
            continue
        candidate.status = Registration.Status.OFFERED
        candidate.offered_at = now
        candidate.offer_expires_at = deadline
        candidate.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        free -= candidate.seats
        offered.append(candidate)
    if offered:
        Session.objects.filter(pk=session.pk).update(
            seats_taken=F("seats_taken") + sum(r.seats for r in offered)
        )
        session.refresh_from_db(fields=["seats_taken"])
        for registration in offered:
            notifications.send_to_registrant(registration, "offered")
    return offered


@dataclass(frozen=True)
class CancelOutcome:
    registration: Registration
    changed: bool


def cancel_registration(
    *,
    registration_id: int,
    actor: User | None = None,
    by_staff: bool = False,
    now: dt.datetime | None = None,
) -> CancelOutcome:
    """Cancel a registration, leave the waitlist or decline an offer. Freed seats are offered
    to the next people waiting. Cancelling twice changes nothing (``changed=False``)."""
    now = now or timezone.now()
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _locked_session(session_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if not registration.is_active:
            return CancelOutcome(registration, changed=False)
        if session.starts_at <= now and not by_staff:
            raise _error(CANNOT_CANCEL_STARTED, "cannot_cancel_started")
        held = registration.holds_seats
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        notifications.send_to_registrant(registration, "cancelled")
        if held:
            Session.objects.filter(pk=session.pk).update(
                seats_taken=F("seats_taken") - registration.seats
            )
            _offer_free_seats(session, now=now)
    return CancelOutcome(registration, changed=True)


def claim_offer(*, registration_id: int, now: dt.datetime | None = None) -> Registration:
    """The person offered a freed seat takes it (idempotent once confirmed)."""
    now = now or timezone.now()
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        _locked_session(session_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status == Registration.Status.CONFIRMED:
            return registration
        if registration.status == Registration.Status.OFFER_EXPIRED or (
            registration.status == Registration.Status.OFFERED
            and registration.offer_expires_at is not None
            and registration.offer_expires_at <= now
        ):
            raise _error(OFFER_EXPIRED, "offer_expired")
        if registration.status != Registration.Status.OFFERED:
            raise _error(NOT_OFFERED, "not_offered")
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        notifications.send_to_registrant(registration, "confirmed")
    return registration


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Lapse the offers whose deadline has passed and pass the seats on; returns how many
    lapsed. Run by ``manage.py events_jobs`` (cron) or the ``expire_offers_task``."""
    now = now or timezone.now()
    lapsed_count = 0
    session_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session_id in list(session_ids):
        with transaction.atomic():
            session = _locked_session(session_id)
            lapsed = list(
                session.registrations.select_for_update().filter(
                    status=Registration.Status.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in lapsed:
                registration.status = Registration.Status.OFFER_EXPIRED
                registration.save(update_fields=["status", "updated_at"])
                notifications.send_to_registrant(registration, "offer_lapsed")
            released = sum(r.seats for r in lapsed)
            if released:
                Session.objects.filter(pk=session.pk).update(
                    seats_taken=F("seats_taken") - released
                )
                _offer_free_seats(session, now=now)
            lapsed_count += len(lapsed)
    return lapsed_count


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind confirmed registrants of sessions starting within their event's reminder time;
    each person once (a conditional update claims the reminder before it is sent)."""
    now = now or timezone.now()
    sent = 0
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(days=14),
        registrations__status=Registration.Status.CONFIRMED,
        registrations__reminder_sent_at__isnull=True,
    ).select_related("event__venue")
    for session in sessions.distinct():
        if session.starts_at > now + dt.timedelta(hours=session.event.reminder_hours):
            continue
        pending = session.registrations.filter(
            status=Registration.Status.CONFIRMED, reminder_sent_at__isnull=True
        )
        for registration in pending:
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=registration.pk, reminder_sent_at__isnull=True
                ).update(reminder_sent_at=now)
                if claimed:
                    registration.session = session
                    notifications.send_to_registrant(registration, "reminder")
                    sent += 1
    return sent


def send_survey_invitations(*, now: dt.datetime | None = None) -> int:
    """Ask attendees of sessions that ended in the last week for the survey, once each."""
    now = now or timezone.now()
    sent = 0
    attendees = Registration.objects.filter(
        attendance=Registration.Attendance.ATTENDED,
        survey_sent_at__isnull=True,
        anonymised_at__isnull=True,
        session__ends_at__lte=now,
        session__ends_at__gte=now - dt.timedelta(days=7),
    ).select_related("session__event__venue")
    for registration in attendees:
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, survey_sent_at__isnull=True).update(
                survey_sent_at=now
            ):
                notifications.send_to_registrant(registration, "survey")
                sent += 1
    return sent


# --- Attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInOutcome:
    registration: Registration
    already: bool


def _locked_confirmed_registration(registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .select_related("session__event")
        .get(pk=registration_id)
    )
    if registration.status != Registration.Status.CONFIRMED:
        raise _error(NOT_CONFIRMED, "not_confirmed")
    return registration


def _on_business_timeline(
    organisation_id: int | None,
    *,
    kind: str,
    title: str,
    url: str,
    occurred_at: dt.datetime,
    actor: User | None,
) -> None:
    """Append to the business's timeline in the directory, inside
    the caller's transaction so that the record and its timeline entry stand or fall together.
    Titles are records, kept in Japanese like the rest of the business's history."""
    if organisation_id is None:
        return
    record_timeline_event(
        business=Organisation.objects.get(pk=organisation_id),
        kind=kind,
        title=title,
        url=url,
        occurred_at=occurred_at,
        actor=actor,
    )


def check_in(
    *, registration_id: int, actor: User, now: dt.datetime | None = None
) -> CheckInOutcome:
    """Record that a confirmed registrant arrived (受付). Twice is harmless (``already``)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked_confirmed_registration(registration_id)
        if timezone.localtime(now).date() < registration.session.local_date:
            raise _error(CHECK_IN_TOO_EARLY, "too_early")
        if registration.attendance == Registration.Attendance.ATTENDED:
            return CheckInOutcome(registration, already=True)
        registration.attendance = Registration.Attendance.ATTENDED
        registration.checked_in_at = now
        registration.checked_in_by = actor
        registration.save(
            update_fields=["attendance", "checked_in_at", "checked_in_by", "updated_at"]
        )
        _on_business_timeline(
            registration.organisation_id,
            kind="event_attended",
            title=f"参加: {registration.session}",
            url=reverse("events:staff-event", args=[registration.session.event_id]),
            occurred_at=now,
            actor=actor,
        )
    return CheckInOutcome(registration, already=False)


def set_attendance(
    *, registration_id: int, attendance: str, actor: User, now: dt.datetime | None = None
) -> Registration:
    """Correct the attendance of one confirmed registrant: attended, no-show or unknown."""
    now = now or timezone.now()
    if attendance == Registration.Attendance.ATTENDED:
        return check_in(registration_id=registration_id, actor=actor, now=now).registration
    with transaction.atomic():
        registration = _locked_confirmed_registration(registration_id)
        if attendance == Registration.Attendance.NO_SHOW and registration.session.ends_at > now:
            raise _error(SESSION_NOT_ENDED, "not_ended")
        registration.attendance = attendance
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save(
            update_fields=["attendance", "checked_in_at", "checked_in_by", "updated_at"]
        )
    return registration


def record_no_shows(*, session_id: int, actor: User, now: dt.datetime | None = None) -> int:
    """After a session: every confirmed registrant not checked in is recorded absent."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked_session(session_id)
        if session.ends_at > now:
            raise _error(SESSION_NOT_ENDED, "not_ended")
        absent = list(
            session.registrations.filter(
                status=Registration.Status.CONFIRMED, attendance=Registration.Attendance.UNKNOWN
            )
        )
        for registration in absent:
            registration.attendance = Registration.Attendance.NO_SHOW
            registration.save(update_fields=["attendance", "updated_at"])
    return len(absent)


# --- Events, series and sessions (staff) ---------------------------------------------------------


def save_series(*, series: Series, actor: User) -> Series:
    with transaction.atomic():
        if series.pk is None:
            series.created_by = actor
        series.full_clean()
        series.save()
    return series


def save_event(*, event: Event, actor: User) -> Event:
    with transaction.atomic():
        if event.pk is None:
            event.created_by = actor
        event.full_clean()
        event.save()
    return event


def save_session(
    *,
    session: Session,
    areas: Iterable[str] = (),
    actor: User,
    now: dt.datetime | None = None,
) -> Session:
    """Create or change a session. Raising the capacity offers the new seats to the waitlist;
    lowering it below the seats already held is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        if session.pk is not None:
            current = _locked_session(session.pk)
            if session.capacity < current.seats_taken:
                raise _error(
                    CAPACITY_BELOW_TAKEN, "capacity_below_taken", taken=current.seats_taken
                )
            session.seats_taken = current.seats_taken
        session.full_clean()
        session.save()
        wanted = {SupportArea(a) for a in areas}
        session.areas.exclude(area__in=wanted).delete()
        existing = set(session.areas.values_list("area", flat=True))
        SessionArea.objects.bulk_create(
            SessionArea(session=session, area=a) for a in wanted if a not in existing
        )
        _offer_free_seats(session, now=now)
    return session


def cancel_session(*, session_id: int, actor: User, now: dt.datetime | None = None) -> int:
    """中止: cancel the session and every live registration, telling each registrant."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked_session(session_id)
        session.status = Session.Status.CANCELLED
        session.seats_taken = 0
        session.save(update_fields=["status", "seats_taken", "updated_at"])
        live = list(session.registrations.filter(status__in=Registration.ACTIVE))
        for registration in live:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at", "updated_at"])
            notifications.send_to_registrant(registration, "session_cancelled")
    return len(live)


def delete_session(*, session_id: int, actor: User) -> None:
    with transaction.atomic():
        session = _locked_session(session_id)
        if session.registrations.exists():
            raise _error(SESSION_HAS_REGISTRATIONS, "has_registrations")
        session.delete()


def _clone(instance: Any, **changes: Any) -> Any:
    """Save a copy of a model instance (all columns, translations included) with changes."""
    instance.pk = None
    instance.id = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    return instance


def _copy_questions(questions: Iterable[Question], **owner: Any) -> None:
    for question in questions:
        _clone(question, **owner)


def copy_event(
    *, event_id: int, actor: User, shift_days: int, series: Series | None = None
) -> Event:
    """A new, unpublished copy of an event: its questions, and its sessions moved by
    ``shift_days`` with no registrations."""
    shift = dt.timedelta(days=shift_days)
    with transaction.atomic():
        source = Event.objects.get(pk=event_id)
        sessions = list(source.sessions.prefetch_related("areas"))
        questions = list(source.questions.all())
        copy = _clone(
            source,
            series=series if series is not None else source.series,
            published=False,
            created_by=actor,
        )
        _copy_questions(questions, event=copy)
        for session in sessions:
            areas = [a.area for a in session.areas.all()]
            new = _clone(
                session,
                event=copy,
                starts_at=session.starts_at + shift,
                ends_at=session.ends_at + shift,
                registration_opens_at=session.registration_opens_at + shift
                if session.registration_opens_at
                else None,
                registration_closes_at=session.registration_closes_at + shift
                if session.registration_closes_at
                else None,
                seats_taken=0,
                status=Session.Status.SCHEDULED,
            )
            SessionArea.objects.bulk_create(SessionArea(session=new, area=a) for a in areas)
    return copy


def copy_series(*, series_id: int, actor: User, shift_days: int) -> Series:
    """A copy of a series with all its events (see ``copy_event``), e.g. for next year."""
    with transaction.atomic():
        source = Series.objects.get(pk=series_id)
        events = list(source.events.values_list("pk", flat=True))
        questions = list(source.questions.all())
        copy = _clone(source, created_by=actor)
        _copy_questions(questions, series=copy)
        for event_id in events:
            copy_event(event_id=event_id, actor=actor, shift_days=shift_days, series=copy)
    return copy


def save_question(*, question: Question, actor: User) -> Question:
    with transaction.atomic():
        question.full_clean()
        question.save()
    return question


def delete_question(*, question_id: int, actor: User) -> None:
    Question.objects.filter(pk=question_id).delete()


def staff_register(
    *,
    session_id: int,
    registrant: Registrant,
    seats: int,
    actor: User,
    now: dt.datetime | None = None,
) -> RegistrationOutcome:
    """A sign-up taken by staff (by phone or at the door): outside the window if need be."""
    return register(
        session_id=session_id,
        registrant=registrant,
        seats=seats,
        source=Registration.Source.STAFF,
        actor=actor,
        now=now,
    )


def send_message(
    *,
    event_id: int,
    session_id: int | None,
    audience: str,
    subject: str,
    body: str,
    actor: User,
) -> RegistrantMessage:
    """お知らせ: email every registrant of the event (or one session) in the audience."""
    statuses = {
        RegistrantMessage.Audience.CONFIRMED: [Registration.Status.CONFIRMED],
        RegistrantMessage.Audience.WAITLISTED: [
            Registration.Status.WAITLISTED,
            Registration.Status.OFFERED,
        ],
        RegistrantMessage.Audience.ALL: list(Registration.ACTIVE),
    }[RegistrantMessage.Audience(audience)]
    with transaction.atomic():
        event = Event.objects.get(pk=event_id)
        recipients = Registration.objects.filter(
            session__event=event, status__in=statuses
        ).select_related("session__event__venue")
        if session_id is not None:
            recipients = recipients.filter(session_id=session_id)
        recipients = list(recipients)
        if not recipients:
            raise _error(MESSAGE_NO_RECIPIENTS, "no_recipients")
        message = RegistrantMessage.objects.create(
            event=event,
            session_id=session_id,
            audience=audience,
            subject=subject,
            body=body,
            sent_by=actor,
            recipient_count=len(recipients),
        )
        for registration in recipients:
            notifications.send_to_registrant(
                registration, "message", extra={"subject": subject, "body": body}
            )
    return message


# --- Retention -----------------------------------------------------------------------------------

ANONYMISED_NAME = "（匿名化済み）"


def anonymise_registrations(
    *, retention_days: int, actor: User | None = None, now: dt.datetime | None = None
) -> int:
    """Erase the personal data of sign-ups for sessions that ended more than
    ``retention_days`` ago. Counts (seats, attendance, status, organisation) stay for the plan's
    figures; the token is replaced so that emailed links stop working."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days)
    done = 0
    stale = Registration.objects.filter(
        session__ends_at__lt=cutoff, anonymised_at__isnull=True
    ).only("pk")
    with acting_as(actor), transaction.atomic():
        for registration in stale.iterator():
            registration.full_name = ANONYMISED_NAME
            registration.full_name_kana = ""
            registration.email = f"anonymised-{registration.pk}@anonymised.invalid"
            registration.phone = ""
            registration.business_name = ""
            registration.answers = {}
            registration.token = new_token()
            registration.anonymised_at = now
            registration.save(
                update_fields=[
                    "full_name",
                    "full_name_kana",
                    "email",
                    "phone",
                    "business_name",
                    "answers",
                    "token",
                    "anonymised_at",
                    "updated_at",
                ]
            )
            done += 1
    return done


# --- 特定創業支援等事業 certificates --------------------------------------------------------------


def issue_certificate(
    *, series_id: int, email: str, actor: User, now: dt.datetime | None = None
) -> Certificate:
    """Issue the numbered certificate to a person who met the series' conditions."""
    now = now or timezone.now()
    email = UserManager.normalize_email(email)
    with transaction.atomic():
        series = Series.objects.select_for_update().get(pk=series_id)
        if not series.certified_programme:
            raise _error(NOT_CERTIFIED_PROGRAMME, "not_certified")
        if series.certificates.filter(holder_email=email).exists():
            raise _error(CERTIFICATE_ALREADY_ISSUED, "already_issued")
        candidate = certificate_candidate(series, email)
        if candidate is None or not candidate.eligible:
            raise _error(NOT_ELIGIBLE, "not_eligible")
        fiscal_year = FiscalYear.of(now).year
        certificate = Certificate.objects.create(
            series=series,
            fiscal_year=fiscal_year,
            serial=next_number(f"certificate:{fiscal_year}"),
            holder_name=candidate.full_name,
            holder_name_kana=candidate.full_name_kana,
            holder_email=email,
            organisation=candidate.organisation,
            issued_on=timezone.localtime(now).date(),
            issued_by=actor,
        )
        certificate.registrations.set(candidate.registrations)
        _on_business_timeline(
            certificate.organisation_id,
            kind="certificate",
            title=f"特定創業支援等事業の証明書 {certificate.number}（{certificate.holder_name}）",
            url=reverse("events:staff-certificates"),
            occurred_at=now,
            actor=actor,
        )
    return certificate


# --- Consultations -------------------------------------------------------------------------------


def _may_manage_slot(actor: User, slot: ConsultationSlot) -> bool:
    return permissions.is_official(actor) or slot.consultant_id == actor.pk


def save_slot(*, slot: ConsultationSlot, actor: User) -> ConsultationSlot:
    """Publish or change a consultation slot; consultants manage only their own."""
    with transaction.atomic():
        if slot.pk is None and not permissions.is_official(actor):
            slot.consultant = actor
        if not _may_manage_slot(actor, slot):
            raise _error(NOT_YOUR_SLOT, "not_your_slot")
        if slot.ends_at - slot.starts_at < dt.timedelta(minutes=15):
            raise _error(SLOT_TOO_SHORT, "too_short")
        overlapping = ConsultationSlot.objects.filter(
            consultant_id=slot.consultant_id,
            cancelled=False,
            starts_at__lt=slot.ends_at,
            ends_at__gt=slot.starts_at,
        ).exclude(pk=slot.pk)
        if overlapping.exists():
            raise _error(SLOT_OVERLAPS, "overlaps")
        slot.full_clean()
        slot.save()
    return slot


def publish_availability(
    *,
    consultant: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    minutes: int,
    template: ConsultationSlot,
    actor: User,
) -> list[ConsultationSlot]:
    """Cut a block of availability (e.g. 13:00–17:00) into bookable slots of ``minutes``."""
    if minutes < 15:
        raise _error(SLOT_TOO_SHORT, "too_short")
    slots = []
    with transaction.atomic():
        start = starts_at
        while start + dt.timedelta(minutes=minutes) <= ends_at:
            slot = ConsultationSlot(
                consultant=consultant,
                programme=template.programme,
                plan_item=template.plan_item,
                venue=template.venue,
                note=template.note,
                published=True,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=minutes),
            )
            slots.append(save_slot(slot=slot, actor=actor))
            start += dt.timedelta(minutes=minutes)
    return slots


def cancel_slot(*, slot_id: int, actor: User) -> ConsultationSlot:
    """Withdraw a slot; a business that booked it is told."""
    with transaction.atomic():
        slot = ConsultationSlot.objects.select_for_update().get(pk=slot_id)
        if not _may_manage_slot(actor, slot):
            raise _error(NOT_YOUR_SLOT, "not_your_slot")
        slot.cancelled = True
        slot.save(update_fields=["cancelled", "updated_at"])
        for booking in slot.bookings.filter(status=ConsultationBooking.Status.BOOKED):
            _cancel_booking(booking)
    return slot


def _cancel_booking(booking: ConsultationBooking) -> None:
    booking.status = ConsultationBooking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    notifications.send_consultation_email(booking, "cancelled")


def _locked_booking(booking_id: int) -> ConsultationBooking:
    return ConsultationBooking.objects.select_for_update().select_related("slot").get(pk=booking_id)


def book_consultation(
    *,
    slot_id: int,
    organisation: Organisation,
    actor: User,
    request_note: str = "",
    now: dt.datetime | None = None,
) -> ConsultationBooking:
    """A business books a slot. One live booking per slot, enforced by a unique constraint;
    the same business booking again gets its booking back."""
    now = now or timezone.now()
    if not permissions.can_edit_for(actor, organisation):
        raise _error(ORGANISATION_NOT_YOURS, "organisation_not_yours")
    with transaction.atomic():
        slot = ConsultationSlot.objects.select_for_update().get(pk=slot_id)
        if slot.cancelled or not slot.published:
            raise _error(SLOT_UNAVAILABLE, "unavailable")
        if slot.starts_at <= now:
            raise _error(SLOT_PAST, "past")
        live = slot.bookings.filter(status__in=ConsultationBooking.ACTIVE).first()
        if live is not None:
            if live.organisation_id == organisation.pk:
                return live
            raise _error(SLOT_TAKEN, "taken")
        try:
            with transaction.atomic():
                booking = ConsultationBooking.objects.create(
                    slot=slot,
                    organisation=organisation,
                    booked_by=actor,
                    request_note=request_note.strip(),
                )
        except IntegrityError as exc:
            raise _error(SLOT_TAKEN, "taken") from exc
        notifications.send_consultation_email(booking, "booked")
    return booking


def cancel_consultation_booking(
    *, booking_id: int, actor: User, now: dt.datetime | None = None
) -> ConsultationBooking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking_id)
        if not (
            permissions.can_edit_for(actor, booking.organisation_id)
            or _may_manage_slot(actor, booking.slot)
        ):
            raise PermissionDenied
        if booking.status != ConsultationBooking.Status.BOOKED:
            raise _error(BOOKING_NOT_ACTIVE, "not_active")
        if booking.slot.starts_at <= now:
            raise _error(SLOT_PAST, "past")
        _cancel_booking(booking)
    return booking


def record_consultation(
    *,
    booking_id: int,
    actor: User,
    status: str,
    topic: str,
    notes: str,
    follow_up: str = "",
    follow_up_due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ConsultationBooking:
    """The consultant (or an official) records what was discussed, private notes and the
    follow-up; or that the business did not come."""
    now = now or timezone.now()
    status = ConsultationBooking.Status(status)
    if status not in (ConsultationBooking.Status.HELD, ConsultationBooking.Status.NO_SHOW):
        raise ValueError(f"a consultation is recorded as held or no_show, not {status!r}")
    with transaction.atomic():
        booking = _locked_booking(booking_id)
        if not _may_manage_slot(actor, booking.slot):
            raise _error(NOT_YOUR_SLOT, "not_your_slot")
        if booking.status == ConsultationBooking.Status.CANCELLED:
            raise _error(BOOKING_NOT_ACTIVE, "not_active")
        if booking.slot.starts_at > now:
            raise _error(CONSULTATION_NOT_STARTED, "not_started")
        booking.status = status
        booking.topic = topic.strip()
        booking.notes = notes.strip()
        booking.follow_up = follow_up.strip()
        booking.follow_up_due = follow_up_due
        booking.recorded_by = actor
        booking.recorded_at = now
        booking.save()
        if status == ConsultationBooking.Status.HELD:
            # The topic only: the consultant's notes stay private to staff.
            _on_business_timeline(
                booking.organisation_id,
                kind="consultation",
                title=f"個別相談: {booking.topic}",
                url="",
                occurred_at=booking.slot.starts_at,
                actor=actor,
            )
    return booking


# --- Surveys -------------------------------------------------------------------------------------


def submit_survey(
    *,
    registration_id: int,
    satisfaction: int,
    comment: str = "",
    answers: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """One response per attendee, after the session ended."""
    now = now or timezone.now()
    if isinstance(satisfaction, bool) or satisfaction not in range(1, 6):
        raise _error(SATISFACTION_INVALID, "satisfaction_invalid")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("session")
            .get(pk=registration_id)
        )
        took_part = registration.attendance == Registration.Attendance.ATTENDED or (
            registration.status == Registration.Status.CONFIRMED
            and registration.attendance == Registration.Attendance.UNKNOWN
        )
        if not took_part or registration.session.ends_at > now:
            raise _error(SURVEY_NOT_AVAILABLE, "not_available")
        if SurveyResponse.objects.filter(registration=registration).exists():
            raise _error(SURVEY_ALREADY_ANSWERED, "already_answered")
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    registration=registration,
                    satisfaction=satisfaction,
                    comment=comment.strip()[:4000],
                    answers=dict(answers or {}),
                )
        except IntegrityError as exc:
            raise _error(SURVEY_ALREADY_ANSWERED, "already_answered") from exc
    return response


def seats_held(session_id: int) -> int:
    """Seats held by registrations (for consistency checks against ``seats_taken``)."""
    return (
        Registration.objects.filter(
            session_id=session_id, status__in=Registration.HOLDING
        ).aggregate(total=Sum("seats"))["total"]
        or 0
    )


# --- Screenings other apps create (contests' winners) --------------------------------------------

NOT_AN_OFFICIAL = _("区の職員だけが上映会を作成できます。")


@dataclass(frozen=True)
class ScreeningData:
    """What another app knows of a screening: titles and descriptions per language code (``ja``
    required), when, where and how many seats."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    venue_name: str
    venue_address: str
    division: str = "commerce"
    plan_item: str = ""
    programme: str = "anime_screening"
    published: bool = True


def create_screening(*, actor: User, data: ScreeningData) -> Event:
    """A screening event with one session (e.g. the winners of a contest), at a venue found or
    created by name; officials only, one transaction."""
    if not permissions.is_official(actor):
        raise PermissionDenied(NOT_AN_OFFICIAL)
    with transaction.atomic(), acting_as(actor):
        venue = Venue.objects.filter(name=data.venue_name).first()
        if venue is None:
            venue = Venue(name=data.venue_name, address=data.venue_address)
            venue.full_clean()
            venue.save()
        event = Event(
            kind="screening",
            programme=data.programme,
            plan_item=data.plan_item,
            organiser_division=data.division,
            venue=venue,
            published=data.published,
            created_by=actor,
        )
        for language, text in data.title.items():
            setattr(event, f"title_{field_suffix(language)}", text)
        for language, text in data.description.items():
            setattr(event, f"description_{field_suffix(language)}", text)
        event.full_clean()
        event.save()
        session = Session(
            event=event, starts_at=data.starts_at, ends_at=data.ends_at, capacity=data.capacity
        )
        session.full_clean()
        session.save()
    return event
