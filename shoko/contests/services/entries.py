"""Entries: an entrant starts one, fills it in (drafts), previews and submits it, corrects it
when staff ask, or withdraws it; staff tick the checklist, request fixes with a deadline,
accept or disqualify. Every move goes through ``transition`` and the table in ``workflow``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.contests import access, notifications, workflow
from shoko.contests.media.storage import media_storage
from shoko.contests.models import (
    Call,
    CareerStage,
    Category,
    ChecklistItem,
    Entry,
    EntryCheck,
    EntryDecision,
    EntryMember,
    EntryStatus,
    FixRequest,
    LocalConnection,
    Still,
)
from shoko.contests.services.common import (
    locked,
    require_call_staff,
    require_editable,
    require_owner,
)
from shoko.core.audit import acting_as
from shoko.core.concurrency import busy_is_a_message
from shoko.core.models import Organisation, User
from shoko.core.numbering import next_number
from shoko.core.permissions import can_edit_for
from shoko.core.text import normalize_code
from shoko.core.uploads import validate_image
from shoko.core.validators import (
    normalize_phone_jp,
    normalize_postal_code,
    validate_phone_jp,
    validate_postal_code,
)

CALL_CLOSED_MESSAGE = _("この募集は現在受け付けていません。")
WRONG_CATEGORY_MESSAGE = _("この募集の部門ではありません。")
NOT_ORGANISATION_EDITOR_MESSAGE = _("この事業者・スタジオとして応募する権限がありません。")
NOT_ALLOWED_MESSAGE = _("「%(action)s」を行う権限がありません。")
WRONG_STATUS_MESSAGE = _("「%(status)s」の応募作品には「%(action)s」を行えません。")
ALREADY_DONE_MESSAGE = _("この応募作品はすでに「%(status)s」です。")
BIRTH_DATE_MESSAGE = _("生年月日は今日より前の日付にしてください。")
UNKNOWN_DECLARATION_MESSAGE = _("誓約事項「%(code)s」はこの部門にありません。")
UNKNOWN_CONNECTION_MESSAGE = _("区とのつながり「%(code)s」は選べません。")
STUDIO_NOT_MEMBER_MESSAGE = _("選んだスタジオは、この募集の会員スタジオではありません。")
TOO_MANY_STILLS_MESSAGE = _("場面写真は %(max)s 枚までです。")
MEMBER_FIELDS_MESSAGE = _("%(row)s 人目: 氏名と担当を入力してください。")
TOO_MANY_MEMBERS_MESSAGE = _("グループの人数は %(max)s 人までです（入力: %(count)s 人）。")
PHONE_MESSAGE = _("電話番号を確かめてください（国外の番号は + と国番号から）。")

#: What an entrant may write on their entry (everything else is set by the services).
ENTRANT_FIELDS = (
    "title",
    "title_en",
    "synopsis",
    "synopsis_en",
    "pen_name",
    "entrant_name",
    "entrant_name_kana",
    "date_of_birth",
    "phone",
    "postal_code",
    "address",
    "connections",
    "connection_detail",
    "studio",
    "career_stage",
    "first_key_animation_year",
    "technique",
    "music_credits",
    "guardian_name",
    "guardian_relationship",
    "guardian_email",
    "language",
)


@busy_is_a_message
def start_entry(
    *,
    actor: User,
    call: Call,
    category: Category,
    organisation: Organisation | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """A new draft in ``category``, for the actor alone or for a studio (business) they edit
    for; the form starts from what the account knows."""
    if not call.is_open(now):
        raise ValidationError(CALL_CLOSED_MESSAGE, code="closed")
    if category.call_id != call.pk:
        raise ValidationError(WRONG_CATEGORY_MESSAGE, code="wrong_category")
    if organisation is not None and not can_edit_for(actor, organisation):
        raise PermissionDenied(NOT_ORGANISATION_EDITOR_MESSAGE)
    with transaction.atomic(), acting_as(actor):
        return Entry.objects.create(
            call=call,
            category=category,
            entrant=actor,
            organisation=organisation,
            entrant_name=actor.full_name,
            entrant_name_kana=actor.full_name_kana,
            language=actor.preferred_language or "ja",
        )


def _clean_phone(value: str) -> str:
    text = normalize_code(value).strip()
    if not text:
        return ""
    if text.startswith("+") and not text.startswith("+81"):
        digits = "".join(ch for ch in text if ch.isdigit())
        if not 8 <= len(digits) <= 15:
            raise ValidationError({"phone": PHONE_MESSAGE})
        return "+" + digits
    try:
        validate_phone_jp(text)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    return normalize_phone_jp(text)


def _clean_entrant_data(entry: Entry, data: Mapping[str, Any]) -> dict[str, Any]:
    """The entrant's fields, normalised (codes NFKC, prose as written) and checked."""
    values = {name: data[name] for name in ENTRANT_FIELDS if name in data}
    errors: dict[str, list[Any]] = {}
    for name in ("title", "title_en", "pen_name", "entrant_name", "entrant_name_kana"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "postal_code" in values:
        code = normalize_postal_code(normalize_code(values["postal_code"] or ""))
        if code:
            try:
                validate_postal_code(code)
            except ValidationError as error:
                errors["postal_code"] = error.messages
        values["postal_code"] = code
    if "phone" in values:
        try:
            values["phone"] = _clean_phone(values["phone"] or "")
        except ValidationError as error:
            errors.update(error.message_dict)
    born = values.get("date_of_birth")
    if born is not None and born >= timezone.localdate():
        errors["date_of_birth"] = [str(BIRTH_DATE_MESSAGE)]
    if "connections" in values:
        known = {c.value for c in LocalConnection}
        chosen = list(dict.fromkeys(values["connections"] or []))
        unknown = [c for c in chosen if c not in known]
        if unknown:
            errors["connections"] = [str(UNKNOWN_CONNECTION_MESSAGE % {"code": unknown[0]})]
        values["connections"] = [c for c in chosen if c in known]
    studio = values.get("studio")
    if studio is not None and not entry.call.member_studios.filter(pk=studio.pk).exists():
        errors["studio"] = [str(STUDIO_NOT_MEMBER_MESSAGE)]
    if "career_stage" in values and values["career_stage"] not in {c.value for c in CareerStage}:
        values["career_stage"] = ""
    if errors:
        raise ValidationError(errors)
    return values


@busy_is_a_message
def update_entry(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> Entry:
    """Save what the entrant wrote (a draft, or an entry staff asked to correct).

    ``data["declarations"]`` lists the codes of the declarations ticked (each keeps the time it
    was first given); ``data["guardian_consent"]`` records or clears the guardian's consent.
    """
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        require_owner(actor, entry)
        require_editable(entry)
        values = _clean_entrant_data(entry, data)
        for name, value in values.items():
            setattr(entry, name, value)
        now = timezone.now()
        if "declarations" in data:
            allowed = {d.code for d in workflow.declarations_for(entry)}
            ticked = list(data["declarations"] or [])
            unknown = [code for code in ticked if code not in allowed]
            if unknown:
                raise ValidationError(
                    {"declarations": UNKNOWN_DECLARATION_MESSAGE % {"code": unknown[0]}}
                )
            previous = entry.declarations or {}
            entry.declarations = {code: previous.get(code, now.isoformat()) for code in ticked}
        if "guardian_consent" in data:
            if data["guardian_consent"]:
                entry.guardian_consented_at = entry.guardian_consented_at or now
            else:
                entry.guardian_consented_at = None
        entry.full_clean(exclude=["video"])
        entry.save()
    return entry


def set_members(*, actor: User, entry: Entry, members: Sequence[Mapping[str, str]]) -> Entry:
    """Replace a group entry's members (name, pen name, role), in the order given."""
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        require_owner(actor, entry)
        require_editable(entry)
        rows = [
            {k: (m.get(k) or "").strip() for k in ("name", "pen_name", "role")}
            for m in members
            if any((m.get(k) or "").strip() for k in ("name", "pen_name", "role"))
        ]
        errors = [
            ValidationError(MEMBER_FIELDS_MESSAGE, code="member", params={"row": i})
            for i, row in enumerate(rows, start=1)
            if not row["name"] or not row["role"]
        ]
        if len(rows) > entry.category.max_group_size:
            errors.append(
                ValidationError(
                    TOO_MANY_MEMBERS_MESSAGE,
                    code="group_too_large",
                    params={"max": entry.category.max_group_size, "count": len(rows)},
                )
            )
        if errors:
            raise ValidationError(errors)
        entry.members.all().delete()
        EntryMember.objects.bulk_create(
            EntryMember(entry=entry, order=(i + 1) * 10, **row) for i, row in enumerate(rows)
        )
    return entry


def add_still(
    *, actor: User, entry: Entry, upload: UploadedFile[bytes], caption: str = ""
) -> Still:
    """A still from the work: checked as an image by its content, then re-encoded as JPEG so
    that no metadata (a phone's GPS position) and nothing but pixels is kept."""
    from PIL import Image, ImageOps

    validate_image(upload)
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        require_owner(actor, entry)
        require_editable(entry)
        if entry.stills.count() >= entry.category.stills_max:
            raise ValidationError(
                TOO_MANY_STILLS_MESSAGE,
                code="too_many_stills",
                params={"max": entry.category.stills_max},
            )
        upload.seek(0)
        with Image.open(upload) as image:
            picture = ImageOps.exif_transpose(image).convert("RGB")
        picture.thumbnail((1920, 1920))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=88)
        order = (entry.stills.count() + 1) * 10
        name = media_storage().save(
            f"contests/stills/{entry.pk}/{timezone.now():%Y%m%d%H%M%S%f}.jpg",
            ContentFile(buffer.getvalue()),
        )
        return Still.objects.create(
            entry=entry,
            file_name=name,
            width=picture.width,
            height=picture.height,
            caption=caption.strip()[:200],
            order=order,
        )


def remove_still(*, actor: User, still: Still) -> None:
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, still.entry_id)
        require_owner(actor, entry)
        require_editable(entry)
        name = still.file_name
        still.delete()
        transaction.on_commit(lambda: media_storage().delete(name))


# --- The workflow ---------------------------------------------------------------------------------


def _actor_kind(actor: User, entry: Entry) -> set[workflow.Actor]:
    kinds: set[workflow.Actor] = set()
    if access.owns_entry(actor, entry):
        kinds.add(workflow.Actor.ENTRANT)
    if access.is_call_staff(actor, entry.call):
        kinds.add(workflow.Actor.STAFF)
    return kinds


@busy_is_a_message
def transition(
    name: str,
    *,
    actor: User,
    entry: Entry,
    comment: str = "",
    now: dt.datetime | None = None,
    **params: Any,
) -> Entry:
    """Run one row of ``workflow.TRANSITIONS`` in one transaction: lock the entry (and, for
    moves that count towards the per-person limit, the entrant), check who acts and from which
    state, run the guard, change the state, record the decision, email the entrant."""
    move = workflow.TRANSITIONS[name]
    now = now or timezone.now()
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        if move.actor not in _actor_kind(actor, entry):
            raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": move.label})
        if entry.status not in move.sources:
            if entry.status == move.target:
                raise ValidationError(
                    ALREADY_DONE_MESSAGE,
                    code="already_done",
                    params={"status": entry.get_status_display()},
                )
            raise ValidationError(
                WRONG_STATUS_MESSAGE,
                code="wrong_status",
                params={"status": entry.get_status_display(), "action": move.label},
            )
        comment = (comment or "").strip()
        if move.comment_required and not comment:
            raise ValidationError({"comment": workflow.REASON_REQUIRED_MESSAGE})
        if move.target == EntryStatus.SUBMITTED:
            # Two drafts of one person submitted at once must not both pass the limit.
            locked(User, entry.entrant_id)
        if move.guard is not None:
            move.guard(entry, {**params, "now": now})
        from_status = entry.status
        _apply(move.name, entry, now=now, comment=comment, actor=actor, **params)
        entry.status = move.target
        entry.save()
        EntryDecision.objects.create(
            entry=entry,
            action=move.name,
            from_status=from_status,
            to_status=move.target,
            actor=actor,
            comment=comment,
            created_at=now,
        )
        if move.notify:
            kind = {
                "submit": "submitted",
                "resubmit": "resubmitted",
                "request_fix": "fix_requested",
                "accept": "eligible",
                "disqualify": "disqualified",
                "reinstate": "reinstated",
            }[move.name]
            notifications.send_to_entrant(entry, kind, extra={"comment": comment})
    return entry


def _apply(
    name: str, entry: Entry, *, now: dt.datetime, comment: str, actor: User, **params: Any
) -> None:
    """The effect of a move beyond its new state."""
    if name == "submit":
        entry.submitted_at = now
        if not entry.number:
            sequence = next_number(f"contests:call:{entry.call.pk}")
            entry.number = f"{entry.call.fiscal_year.start.year}-{sequence:03d}"
    elif name == "resubmit":
        entry.fix_deadline = None
        entry.fix_requests.filter(resolved_at__isnull=True).update(resolved_at=now)
    elif name == "request_fix":
        entry.fix_deadline = params["deadline"]
        FixRequest.objects.create(
            entry=entry, message=comment, deadline=params["deadline"], requested_by=actor
        )
    elif name == "disqualify":
        entry.disqualification_reason = comment
    elif name == "reinstate":
        entry.disqualification_reason = ""
    elif name == "withdraw":
        entry.withdrawn_at = now


def submit_entry(*, actor: User, entry: Entry, now: dt.datetime | None = None) -> Entry:
    return transition("submit", actor=actor, entry=entry, now=now)


def resubmit_entry(*, actor: User, entry: Entry, now: dt.datetime | None = None) -> Entry:
    return transition("resubmit", actor=actor, entry=entry, now=now)


def withdraw_entry(*, actor: User, entry: Entry) -> Entry:
    return transition("withdraw", actor=actor, entry=entry)


def request_fix(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> Entry:
    """Ask the entrant to correct something (``message``) by ``deadline``."""
    return transition(
        "request_fix",
        actor=actor,
        entry=entry,
        comment=str(data.get("message") or ""),
        deadline=data.get("deadline"),
    )


def accept_entry(*, actor: User, entry: Entry) -> Entry:
    return transition("accept", actor=actor, entry=entry)


def disqualify_entry(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> Entry:
    return transition("disqualify", actor=actor, entry=entry, comment=str(data.get("reason") or ""))


def reinstate_entry(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> Entry:
    return transition("reinstate", actor=actor, entry=entry, comment=str(data.get("reason") or ""))


@busy_is_a_message
def check_item(
    *, actor: User, entry: Entry, item: ChecklistItem, data: Mapping[str, Any]
) -> EntryCheck:
    """Staff tick (``ok``) or untick one checklist item for an entry, with a note."""
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        require_call_staff(actor, entry.call)
        if item.call_id != entry.call_id:
            raise ValidationError(WRONG_CATEGORY_MESSAGE, code="wrong_item")
        check, _created = EntryCheck.objects.update_or_create(
            entry=entry,
            item=item,
            defaults={
                "ok": bool(data.get("ok")),
                "note": str(data.get("note") or "").strip()[:300],
                "checked_by": actor,
                "checked_at": timezone.now(),
            },
        )
    return check
