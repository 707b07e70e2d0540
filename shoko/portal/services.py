"""Writes of the portal: stories and their publication workflow, translation states.

Workflow (記事の公開手順)::

    draft ──submit──▶ review ──publish──▶ published ──archive──▶ archived
      ▲                 │                                          │
      └────return───────┘◀─────────────────reopen──────────────────┘

Street associations write drafts and send them for review; ward officials return, publish and
archive. Officials may also publish their own drafts directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.audit import acting_as
from shoko.core.translation import translated_field_names
from shoko.directory.models import ShoppingStreet, TranslationState
from shoko.portal.models import Story
from shoko.portal.romaji import kana_runs

if TYPE_CHECKING:
    from shoko.core.models import Organisation, User

NOT_ALLOWED_MESSAGE = _("この操作を行う権限がありません。")
WRONG_STATUS_MESSAGE = _("「%(status)s」の記事にはこの操作はできません。")
TITLE_REQUIRED_MESSAGE = _("日本語の見出しと本文を入力してください。")
ALT_REQUIRED_MESSAGE = _(
    "写真のある記事は、写真の代替テキスト（何が写っているか）を書かないと公開できません。"
)
STREET_NOT_OURS_MESSAGE = _("自分の商店会の商店街についてだけ記事を書けます。")
NOT_AN_ASSOCIATION_MESSAGE = _("記事を書けるのは商店会（団体）の方です。")
READING_MESSAGE = _("よみは、ひらがな・カタカナで入力してください。")
UNKNOWN_STATE_MESSAGE = _("翻訳の状態「%(state)s」はありません。")
RETURN_REASON_MESSAGE = _("差し戻す理由を書いてください。")

STORY_FIELDS = (
    *translated_field_names("title", "summary", "body", "cover_alt"),
    "title_kana",
    "keywords",
    "street",
    "shop",
    "byline",
    "cover_image",
    "is_featured",
)
MEMBER_FIELDS = tuple(f for f in STORY_FIELDS if f != "is_featured")
LANGUAGES = [code for code, _n in settings.LANGUAGES]

Status = Story.Status


def _is_official(user: User | None) -> bool:
    return permissions.is_official(user)


def association_streets(organisation: Organisation) -> list[ShoppingStreet]:
    """The streets a street association runs (through its Business record)."""
    business = getattr(organisation, "business", None)
    if business is None or not business.is_association:
        return []
    return list(ShoppingStreet.objects.filter(association=business).order_by("name_kana"))


def _check_reading(story: Story) -> None:
    reading = story.title_kana.replace(" ", "").replace("\u3000", "")
    if reading and "".join(kana_runs(reading)) != reading:
        raise ValidationError({"title_kana": READING_MESSAGE})


def _check_street(actor: User, story: Story) -> None:
    if _is_official(actor) or story.organisation is None:
        return
    allowed = {s.pk for s in association_streets(story.organisation)}
    if story.street_id and story.street_id not in allowed:
        raise ValidationError({"street": STREET_NOT_OURS_MESSAGE})
    if story.shop_id and story.shop.street_id not in allowed:
        raise ValidationError({"shop": STREET_NOT_OURS_MESSAGE})


def _apply(story: Story, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(story, name, data[name])
    story.title = story.title_ja or story.title
    story.search_reading = story.title_kana


def _save(actor: User, story: Story) -> Story:
    _check_reading(story)
    _check_street(actor, story)
    story.full_clean(exclude=["organisation", "author", "reviewed_by"])
    with acting_as(actor):
        story.save()
    return story


def _require(condition: bool) -> None:
    if not condition:
        raise ValidationError(NOT_ALLOWED_MESSAGE, code="not_allowed")


def _require_status(story: Story, *allowed: str) -> None:
    if story.status not in allowed:
        raise ValidationError(
            WRONG_STATUS_MESSAGE, code="status", params={"status": story.get_status_display()}
        )


def may_edit(user: User | None, story: Story) -> bool:
    """Officials edit any story; an association's members edit its drafts."""
    if _is_official(user):
        return True
    return (
        story.organisation_id is not None
        and story.status == Status.DRAFT
        and permissions.can_edit_for(user, story.organisation_id)
    )


@transaction.atomic
def create_story(
    *, actor: User, data: Mapping[str, Any], organisation: Organisation | None = None
) -> Story:
    """A new draft, by an official (``organisation`` None) or a street association's member."""
    if organisation is None:
        _require(_is_official(actor))
    else:
        _require(permissions.can_edit_for(actor, organisation.pk))
        if not association_streets(organisation):
            raise ValidationError(NOT_AN_ASSOCIATION_MESSAGE, code="not_association")
    story = Story(organisation=organisation, author=actor, status=Status.DRAFT)
    _apply(story, data, STORY_FIELDS if organisation is None else MEMBER_FIELDS)
    return _save(actor, story)


@transaction.atomic
def update_story(*, actor: User, story: Story, data: Mapping[str, Any]) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    _require(may_edit(actor, story))
    _apply(story, data, STORY_FIELDS if _is_official(actor) else MEMBER_FIELDS)
    return _save(actor, story)


def _transition(story: Story) -> Story:
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=story.pk)
    )


@transaction.atomic
def submit_story(*, actor: User, story: Story) -> Story:
    """Send a draft to the ward for review."""
    story = _transition(story)
    _require(may_edit(actor, story))
    _require_status(story, Status.DRAFT)
    if not (story.title_ja and story.body_ja):
        raise ValidationError(TITLE_REQUIRED_MESSAGE, code="incomplete")
    story.status = Status.REVIEW
    story.submitted_at = timezone.now()
    with acting_as(actor):
        story.save(update_fields=["status", "submitted_at", "updated_at"])
    return story


@transaction.atomic
def publish_story(*, actor: User, story: Story) -> Story:
    """Officials publish a story in review (or their own draft)."""
    story = _transition(story)
    _require(_is_official(actor))
    _require_status(story, Status.REVIEW, Status.DRAFT)
    if not (story.title_ja and story.body_ja):
        raise ValidationError(TITLE_REQUIRED_MESSAGE, code="incomplete")
    if story.cover_image and not (story.cover_alt_ja or "").strip():
        raise ValidationError(ALT_REQUIRED_MESSAGE, code="photo_alt")
    story.status = Status.PUBLISHED
    story.published_at = story.published_at or timezone.now()
    story.reviewed_by = actor
    with acting_as(actor):
        story.save(update_fields=["status", "published_at", "reviewed_by", "updated_at"])
    return story


@transaction.atomic
def return_story(*, actor: User, story: Story, reason: str) -> Story:
    """Send a story in review back to its writers with a reason."""
    story = _transition(story)
    _require(_is_official(actor))
    _require_status(story, Status.REVIEW)
    if not reason.strip():
        raise ValidationError(RETURN_REASON_MESSAGE, code="reason")
    story.status = Status.DRAFT
    story.review_note = reason.strip()
    with acting_as(actor):
        story.save(update_fields=["status", "review_note", "updated_at"])
    return story


def _official_move(actor: User, story: Story, source: str, target: str) -> Story:
    story = _transition(story)
    _require(_is_official(actor))
    _require_status(story, source)
    story.status = target
    with acting_as(actor):
        story.save(update_fields=["status", "updated_at"])
    return story


@transaction.atomic
def archive_story(*, actor: User, story: Story) -> Story:
    """Officials take a published story off the portal."""
    return _official_move(actor, story, Status.PUBLISHED, Status.ARCHIVED)


@transaction.atomic
def reopen_story(*, actor: User, story: Story) -> Story:
    """An archived story goes back to draft, to be revised and published again."""
    return _official_move(actor, story, Status.ARCHIVED, Status.DRAFT)


@transaction.atomic
def set_translation_states(*, actor: User, record: Any, states: Mapping[str, str]) -> Any:
    """Record where each language's translation came from (machine draft, human, reviewed).
    An empty state removes the language's entry."""
    _require(_is_official(actor))
    allowed = set(TranslationState.values)
    record = type(record).objects.select_for_update().get(pk=record.pk)
    current = dict(record.translation_states or {})
    for language, state in states.items():
        if language not in LANGUAGES or language == settings.LANGUAGE_CODE:
            continue
        if not state:
            current.pop(language, None)
            continue
        if state not in allowed:
            raise ValidationError(UNKNOWN_STATE_MESSAGE, code="state", params={"state": state})
        current[language] = state
    record.translation_states = current
    with acting_as(actor):
        record.save(update_fields=["translation_states"])
    return record
