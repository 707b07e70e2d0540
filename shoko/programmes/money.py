"""Money of a grant, in whole yen and integer arithmetic only (no floats, no Decimal drift).

The grant is eligible expenses × rate, then the cap, then rounding to the programme's unit
(千円未満切捨て by default): the order the brief and the ward's rules give.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core.text import parse_yen

AMOUNT_REQUIRED_MESSAGE = _("金額を入力してください。")
AMOUNT_UNREADABLE_MESSAGE = _(
    "「%(value)s」を金額として読み取れません。123,456 や 12万3456円 のように入力してください。"
)
AMOUNT_NEGATIVE_MESSAGE = _("マイナスの金額は入力できません。")
AMOUNT_TOO_LARGE_MESSAGE = _("%(value)s 円は大きすぎます。%(limit)s 円以下で入力してください。")

#: The largest amount anyone may type (100億円 by default): anything above is a typo.
MAX_AMOUNT_YEN: int = getattr(settings, "SHOKO_PROGRAMMES_MAX_AMOUNT_YEN", 10_000_000_000)


def yen(value: int | None) -> str:
    """``1234567`` → ``1,234,567`` (messages and documents)."""
    return "—" if value is None else f"{value:,}"


def parse_amount(value: str | int | None, *, allow_zero: bool = True) -> int:
    """An amount typed by a person: full-width digits, commas, 円 and ¥ are welcome
    (``shoko.core.text.parse_yen``); negative and absurd amounts are refused with a message
    that says what to do."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(AMOUNT_REQUIRED_MESSAGE, code="required")
    try:
        amount = parse_yen(value)  # type: ignore[arg-type]
    except (ValueError, TypeError) as error:
        if "negative" in str(error):
            raise ValidationError(AMOUNT_NEGATIVE_MESSAGE, code="negative") from None
        raise ValidationError(
            AMOUNT_UNREADABLE_MESSAGE, code="unreadable", params={"value": str(value)[:40]}
        ) from None
    if amount > MAX_AMOUNT_YEN:
        raise ValidationError(
            AMOUNT_TOO_LARGE_MESSAGE,
            code="too_large",
            params={"value": yen(amount), "limit": yen(MAX_AMOUNT_YEN)},
        )
    if amount == 0 and not allow_zero:
        raise ValidationError(AMOUNT_REQUIRED_MESSAGE, code="required")
    return amount


def round_to_unit(amount: int, unit: int, mode: str = "floor") -> int:
    """Round a non-negative amount to a multiple of ``unit``: floor (切捨て) or half up
    (四捨五入)."""
    if unit <= 1:
        return amount
    if mode == "half_up":
        return (amount + unit // 2) // unit * unit
    return amount // unit * unit


def grant_for(
    eligible_yen: int,
    *,
    numerator: int,
    denominator: int,
    cap_yen: int | None,
    unit: int = 1000,
    mode: str = "floor",
) -> int:
    """The grant for ``eligible_yen`` of eligible expenses: × rate (integer floor), capped,
    rounded. ``grant_for(1_000_000, numerator=2, denominator=3, cap_yen=None)`` = 666,000."""
    if eligible_yen < 0:
        raise ValueError("eligible expenses cannot be negative")
    raw = eligible_yen * numerator // denominator
    if cap_yen is not None:
        raw = min(raw, cap_yen)
    return round_to_unit(raw, unit, mode)


def programme_grant(programme, eligible_yen: int) -> int:
    return grant_for(
        eligible_yen,
        numerator=programme.rate_numerator,
        denominator=programme.rate_denominator,
        cap_yen=programme.cap_yen,
        unit=programme.rounding_unit,
        mode=programme.rounding,
    )
