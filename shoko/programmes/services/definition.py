"""The programme's definition, budgets and windows: staff edit them, the audit trail keeps
their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.core.japan import FiscalYear
from shoko.core.translation import translated_field_names
from shoko.programmes import eligibility
from shoko.programmes.models import (
    GRANTED_STATUSES,
    Application,
    ApplicationWindow,
    Programme,
    ProgrammeBudget,
)
from shoko.programmes.money import parse_amount, yen
from shoko.programmes.services.actors import require_programme_staff
from shoko.programmes.services.common import DATES_ORDER_MESSAGE, busy_is_a_message

if TYPE_CHECKING:
    from shoko.core.models import User

BUDGET_BELOW_COMMITTED_MESSAGE = _(
    "予算額を、すでに交付決定した額（%(committed)s 円）より少なくはできません。"
)
#: What staff may change in a programme's definition.
PROGRAMME_FIELDS = frozenset(
    {
        *translated_field_names("name", "summary", "description", "configuration_note"),
        "plan_item",
        "division",
        "subject",
        "eligibility_rules",
        "rate_numerator",
        "rate_denominator",
        "cap_yen",
        "minimum_expense_yen",
        "rounding_unit",
        "rounding",
        "report_due_days",
        "notice_prefix",
        "is_published",
        "order",
    }
)
RATE_MESSAGE = _("補助率は 0 より大きく 1 以下の分数にしてください（例: 2/3）。")


@transaction.atomic
def update_programme(*, actor: User, programme: Programme, data: Mapping[str, Any]) -> Programme:
    """Change a programme's definition (its history is kept by the audit trail)."""
    require_programme_staff(actor, programme, _("事業の設定を変更する"))
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"not programme fields: {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for name, value in data.items():
        setattr(programme, name, value)
    programme.eligibility_rules = eligibility.validate_rules(programme.eligibility_rules)
    if not (0 < programme.rate_numerator <= programme.rate_denominator):
        raise ValidationError({"rate_numerator": RATE_MESSAGE})
    programme.full_clean(exclude=["code"], validate_constraints=False)
    with acting_as(actor):
        programme.save()
    return programme


@busy_is_a_message
@transaction.atomic
def set_budget(
    *, actor: User, programme: Programme, fiscal_year: int, amount: str | int
) -> ProgrammeBudget:
    """Set the budget of a programme for a fiscal year (never below what is committed)."""
    require_programme_staff(actor, programme, _("予算を登録する"))
    amount_yen = parse_amount(amount)
    FiscalYear(fiscal_year)  # range check
    with acting_as(actor):
        budget, _created = ProgrammeBudget.objects.get_or_create(
            programme=programme, fiscal_year=fiscal_year, defaults={"amount_yen": amount_yen}
        )
        budget = ProgrammeBudget.objects.select_for_update().get(pk=budget.pk)
        if amount_yen < budget.committed_yen:
            below = ValidationError(
                BUDGET_BELOW_COMMITTED_MESSAGE,
                code="below_committed",
                params={"committed": yen(budget.committed_yen)},
            )
            raise ValidationError({"amount": below})
        budget.amount_yen = amount_yen
        budget.save()
    return budget


@transaction.atomic
def add_window(
    *,
    actor: User,
    programme: Programme,
    fiscal_year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    label: str = "",
) -> ApplicationWindow:
    require_programme_staff(actor, programme, _("募集期間を登録する"))
    window = ApplicationWindow(
        programme=programme,
        fiscal_year=FiscalYear(fiscal_year).year,
        opens_on=opens_on,
        closes_on=closes_on,
        label=label,
    )
    if opens_on > closes_on:
        raise ValidationError({"closes_on": DATES_ORDER_MESSAGE})
    with acting_as(actor):
        window.save()
    return window


@transaction.atomic
def delete_window(*, actor: User, window: ApplicationWindow) -> None:
    require_programme_staff(actor, window.programme, _("募集期間を削除する"))
    with acting_as(actor):
        window.delete()


@transaction.atomic
def recompute_budget(*, programme: Programme, fiscal_year: int) -> ProgrammeBudget:
    """Rebuild a budget row's committed, confirmed and paid sums from its applications (after a
    data import; the workflow keeps them up to date on its own)."""
    budget = ProgrammeBudget.objects.select_for_update().get(
        programme=programme, fiscal_year=fiscal_year
    )
    committed = confirmed = paid = 0
    for app in Application.objects.filter(
        programme=programme, fiscal_year=fiscal_year, status__in=GRANTED_STATUSES
    ):
        committed += app.confirmed_yen if app.confirmed_yen is not None else app.approved_yen or 0
        confirmed += app.confirmed_yen or 0
        paid += app.paid_yen or 0
    budget.committed_yen, budget.confirmed_yen, budget.paid_yen = committed, confirmed, paid
    budget.save()
    return budget
