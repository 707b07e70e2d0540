"""Template helpers of the programmes: yen as each language writes it, the workflow's steps."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shoko.programmes.models import Status

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    """``1234567`` → ``1,234,567円`` (ja, zh), ``1,234,567엔`` (ko), ``¥1,234,567`` (en)."""
    if value is None or value == "":
        return "—"
    number = f"{int(value):,}"
    language = (get_language() or "ja").split("-")[0]
    if language == "en":
        return f"¥{number}"
    if language == "ko":
        return f"{number}엔"
    return f"{number}円"


STEPS = [
    (_("申請"), {Status.SUBMITTED, Status.RESUBMITTED, Status.RETURNED}),
    (_("審査"), {Status.UNDER_REVIEW}),
    (_("交付決定"), {Status.APPROVED}),
    (_("事業完了"), {Status.WORK_COMPLETED}),
    (_("実績報告"), {Status.REPORT_SUBMITTED}),
    (_("額の確定"), {Status.CONFIRMED}),
    (_("支払"), {Status.PAID}),
]


@register.simple_tag
def workflow_steps(status: str) -> list[dict[str, Any]]:
    """The steps an applicant goes through, marking those done and the current one."""
    current = next((i for i, (_l, states) in enumerate(STEPS) if status in states), -1)
    return [
        {"label": label, "done": i < current, "current": i == current}
        for i, (label, _states) in enumerate(STEPS)
    ]


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def get_field(form: Any, name: str) -> Any:
    """``form|get_field:name`` → the bound field (for forms built from data)."""
    return form[name]
