"""Audit trail (監査記録): who changed what, when, and from where.

A model switches it on with one line::

    @audited()
    class Application(models.Model): ...

Requests get their actor and remote address from ``AuditlogMiddleware``; commands and tasks that
change data on someone's behalf wrap the work in ``acting_as(user)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model, QuerySet

from shoko.core.models import Membership, Organisation, User

M = TypeVar("M", bound=type[Model])


def audited(
    *, exclude_fields: Sequence[str] = (), mask_fields: Sequence[str] = ()
) -> Callable[[M], M]:
    """Class decorator registering a model with the audit trail."""

    def decorator(model: M) -> M:
        auditlog.register(model, exclude_fields=list(exclude_fields), mask_fields=list(mask_fields))
        return model

    return decorator


@contextmanager
def acting_as(user: Model | None, remote_addr: str | None = None) -> Iterator[None]:
    """Attribute changes made outside a request (commands, tasks) to ``user``."""
    with set_actor(user, remote_addr=remote_addr):
        yield


def history_of(obj: Model) -> QuerySet[LogEntry]:
    """The audit entries of one record, newest first."""
    return (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")
    )


def _register_core_models() -> None:
    auditlog.register(
        User,
        exclude_fields=["last_login", "password"],
        m2m_fields={"groups"},
    )
    auditlog.register(Organisation)
    auditlog.register(Membership)


_register_core_models()
