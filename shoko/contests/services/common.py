"""What the service modules share: the permission checks they start with, and row locks."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shoko.contests import access
from shoko.contests.models import Call, Entry
from shoko.core.models import User

NOT_CALL_STAFF_MESSAGE = _("この募集の担当職員だけが行えます。")
NOT_YOUR_ENTRY_MESSAGE = _("この応募作品を操作する権限がありません。")
NOT_EDITABLE_MESSAGE = _("「%(status)s」の応募作品は変更できません。")

M = TypeVar("M", bound=models.Model)


def require_call_staff(actor: User, call: Call) -> None:
    if not access.is_call_staff(actor, call):
        raise PermissionDenied(NOT_CALL_STAFF_MESSAGE)


def require_owner(actor: User, entry: Entry) -> None:
    if not access.owns_entry(actor, entry):
        raise PermissionDenied(NOT_YOUR_ENTRY_MESSAGE)


def require_editable(entry: Entry) -> None:
    if not entry.is_editable:
        raise ValidationError(
            NOT_EDITABLE_MESSAGE, code="not_editable", params={"status": entry.get_status_display()}
        )


def locked(model: type[M], pk: int | None) -> M:
    """The row, locked until the transaction ends (SQLite: the IMMEDIATE transaction already
    holds the write lock)."""
    return model._default_manager.select_for_update().get(pk=pk)
