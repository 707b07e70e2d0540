"""What every stage of the services shares: the "try again" for a busy database, the lock on an
application, the messages refusing someone who may not act."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

from shoko.programmes.models import Application

P = ParamSpec("P")
R = TypeVar("R")

NOT_ALLOWED_MESSAGE = _("「%(action)s」を行う権限がありません。")
BUSY_MESSAGE = _("ほかの職員が同時に処理しています。少し待ってからもう一度お試しください。")
DATES_ORDER_MESSAGE = _("事業完了予定日は事業開始予定日より後にしてください。")


def busy_is_a_message(function: Callable[P, R]) -> Callable[P, R]:
    """A write that cannot get its lock in time (SQLite busy, a PostgreSQL deadlock) becomes a
    clear "try again" for the person, never a half-done change (the transaction rolled back)."""

    @wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            text = str(error).lower()
            if "lock" in text or "deadlock" in text or "busy" in text:
                raise ValidationError(BUSY_MESSAGE, code="busy") from error
            raise

    return wrapped


def locked_application(application: Application) -> Application:
    """The application's row, locked until the end of the transaction."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "business")
        .get(pk=application.pk)
    )
