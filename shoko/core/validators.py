"""Validators for Japanese identifiers: corporate numbers (法人番号), postcodes, phone numbers.

Each accepts what people really type (full-width digits, any dash, spaces, 〒, +81) and
rejects with a message that states the rule, so the person filling the form can fix it.
Japanese is the source language of the interface, hence Japanese msgids; the ``code`` of each
ValidationError is stable for callers and tests.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core.text import normalize_code

__all__ = [
    "corporate_number_check_digit",
    "format_postal_code",
    "normalize_corporate_number",
    "normalize_phone_jp",
    "normalize_postal_code",
    "validate_corporate_number",
    "validate_phone_jp",
    "validate_postal_code",
]

CORPORATE_NUMBER_LENGTH_MESSAGE = _("法人番号は13桁の数字で入力してください。")
CORPORATE_NUMBER_CHECK_DIGIT_MESSAGE = _(
    "法人番号の先頭1桁（チェックデジット）が残りの12桁から計算した値と一致しません。"
    "番号に誤りがないかご確認ください。"
)
POSTAL_CODE_MESSAGE = _("郵便番号は7桁の数字で入力してください（例: 176-8501）。")
PHONE_JP_MESSAGE = _(
    "電話番号は0から始まる10桁または11桁の数字で入力してください"
    "（例: 03-3993-1111、090-1234-5678）。"
)
PHONE_JP_ELEVEN_DIGITS_MESSAGE = _(
    "050・070・080・090・0800で始まる電話番号は11桁で入力してください。"
)

_SEPARATORS_RE = re.compile(r"[\s-]+")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return normalize_code(value if isinstance(value, str) else str(value))


# --- 法人番号 (corporate number) ----------------------------------------------------------------


def normalize_corporate_number(value: str | int | None) -> str:
    """The corporate number with full-width digits made ASCII and hyphens and spaces removed;
    not validated."""
    return _SEPARATORS_RE.sub("", _text(value))


def corporate_number_check_digit(base12: str) -> int:
    """The check digit (1–9) the National Tax Agency puts in front of a 12-digit base.

    With the base digits numbered from the right (P1 the rightmost) and Qn = 1 for odd n,
    2 for even n: check = 9 − (Σ Pn × Qn mod 9).
    """
    if not (isinstance(base12, str) and re.fullmatch(r"[0-9]{12}", base12)):
        raise ValueError(f"the base of a corporate number is 12 ASCII digits, got {base12!r}")
    total = sum(
        int(digit) * (1 if position % 2 else 2)
        for position, digit in enumerate(reversed(base12), start=1)
    )
    return 9 - total % 9


def validate_corporate_number(value: str | int) -> None:
    """A 法人番号: 13 digits whose first digit is the check digit of the other twelve."""
    number = normalize_corporate_number(value)
    if not re.fullmatch(r"[0-9]{13}", number):
        raise ValidationError(
            CORPORATE_NUMBER_LENGTH_MESSAGE,
            code="corporate_number_length",
            params={"value": value},
        )
    if int(number[0]) != corporate_number_check_digit(number[1:]):
        raise ValidationError(
            CORPORATE_NUMBER_CHECK_DIGIT_MESSAGE,
            code="corporate_number_check_digit",
            params={"value": value},
        )


# --- 郵便番号 (postcode) -------------------------------------------------------------------------


def normalize_postal_code(value: str | None) -> str:
    """``〒１７６－８５０１`` → ``1768501``: the 〒 mark, hyphens and spaces removed; not
    validated."""
    return _SEPARATORS_RE.sub("", _text(value).lstrip("〒"))


def format_postal_code(value: str) -> str:
    """A postcode as it is printed, ``176-8501``; ValueError unless it has 7 digits."""
    code = normalize_postal_code(value)
    if not re.fullmatch(r"[0-9]{7}", code):
        raise ValueError(f"a postal code has 7 digits, got {value!r}")
    return f"{code[:3]}-{code[3:]}"


def validate_postal_code(value: str) -> None:
    """A Japanese postcode: 7 digits, written with or without 〒 and the hyphen."""
    if not re.fullmatch(r"[0-9]{7}", normalize_postal_code(value)):
        raise ValidationError(POSTAL_CODE_MESSAGE, code="postal_code", params={"value": value})


# --- 電話番号 (phone number) ---------------------------------------------------------------------

_PHONE_SEPARATORS_RE = re.compile(r"[\s\-()]+")
_PHONE_RE = re.compile(
    r"0120[0-9]{6}"  # toll-free, 10 digits
    r"|0570[0-9]{6}"  # navi-dial, 10 digits
    r"|0800[0-9]{7}"  # toll-free, 11 digits
    r"|0[5789]0[0-9]{8}"  # IP phone 050, mobile and PHS 070/080/090: 11 digits
    r"|0(?![25789]0)[1-9][0-9]{8}"  # fixed lines: area code + number, 10 digits
)
_ELEVEN_DIGIT_PREFIX_RE = re.compile(r"0[5789]0")


def normalize_phone_jp(value: str | None) -> str:
    """A Japanese phone number as domestic digits: separators dropped and the international
    form turned back (``+81 (0)3-3993-1111`` → ``0339931111``); not validated."""
    number = _PHONE_SEPARATORS_RE.sub("", _text(value))
    if number.startswith("+81"):
        rest = number[3:]
        number = "0" + (rest[1:] if rest.startswith("0") else rest)
    return number


def validate_phone_jp(value: str) -> None:
    """A Japanese phone number: a 10-digit fixed line, toll-free (0120) or navi-dial (0570)
    number, or an 11-digit mobile/PHS (070/080/090), IP (050) or toll-free (0800) one."""
    number = normalize_phone_jp(value)
    if _PHONE_RE.fullmatch(number):
        return
    if re.fullmatch(r"[0-9]+", number) and _ELEVEN_DIGIT_PREFIX_RE.match(number):
        raise ValidationError(
            PHONE_JP_ELEVEN_DIGITS_MESSAGE, code="phone_jp", params={"value": value}
        )
    raise ValidationError(PHONE_JP_MESSAGE, code="phone_jp", params={"value": value})
