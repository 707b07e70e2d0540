"""When two people write at the same moment: the database decides (row locks, constraints), and
a write that cannot get its lock in time becomes a clear "try again", never a server error nor a
half-done change (its transaction has rolled back)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

P = ParamSpec("P")
R = TypeVar("R")

BUSY_MESSAGE = _("混み合っています。少し待ってからもう一度お試しください。")


def busy_is_a_message(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service: SQLite's "database is locked" and PostgreSQL's deadlock or lock
    timeout become ``ValidationError(BUSY_MESSAGE, code="busy")``."""

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
