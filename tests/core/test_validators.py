"""Validators for corporate numbers, postcodes and phone numbers, as typed into Shoko's forms."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shoko.core.validators import (
    corporate_number_check_digit,
    format_postal_code,
    normalize_corporate_number,
    normalize_phone_jp,
    normalize_postal_code,
    validate_corporate_number,
    validate_phone_jp,
    validate_postal_code,
)

WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")


def rejection(validator, value: str) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def message_in_japanese(error: ValidationError) -> str:
    with translation.override("ja"):
        (message,) = error.messages
        return str(message)


# --- 法人番号 -----------------------------------------------------------------------------------

# Published corporate numbers; each one is also confirmed by the formula.
PUBLISHED_NUMBERS = {
    "7000012050002": "国税庁 (the National Tax Agency itself)",
    "4000012090001": "経済産業省",
    "1180301018771": "トヨタ自動車株式会社",
    "5010001008846": "株式会社三菱ＵＦＪ銀行",
}


class TestCorporateNumber:
    @pytest.mark.parametrize("number", sorted(PUBLISHED_NUMBERS))
    def test_published_numbers_are_valid(self, number: str) -> None:
        validate_corporate_number(number)
        assert corporate_number_check_digit(number[1:]) == int(number[0])

    def test_the_national_tax_agency_example_step_by_step(self) -> None:
        # Base 000012050002, digits from the right: 2,0,0,0,5,0,2,1,0,0,0,0
        # weights 1,2,1,2,…: 2 + 5 + 2 + 1×2 = 11; 11 mod 9 = 2; 9 − 2 = 7.
        assert corporate_number_check_digit("000012050002") == 7

    @pytest.mark.parametrize(
        "typed",
        [
            "７０００ー０１２０ー５０００２",
            "7000-01-205000-2",
            " 7000012050002 ",
            "7 0000 1205 0002",
        ],
    )
    def test_full_width_digits_hyphens_and_spaces_are_accepted(self, typed: str) -> None:
        validate_corporate_number(typed)
        assert normalize_corporate_number(typed) == "7000012050002"

    def test_an_integer_is_accepted(self) -> None:
        validate_corporate_number(7000012050002)

    @pytest.mark.parametrize(
        "value", ["700001205000", "70000120500021", "700001205000A", "", "法人番号"]
    )
    def test_anything_but_13_digits_is_refused(self, value: str) -> None:
        error = rejection(validate_corporate_number, value)
        assert error.code == "corporate_number_length"
        assert "13桁" in message_in_japanese(error)

    def test_a_wrong_check_digit_is_refused(self) -> None:
        error = rejection(validate_corporate_number, "8000012050002")
        assert error.code == "corporate_number_check_digit"
        assert "チェックデジット" in message_in_japanese(error)

    @pytest.mark.parametrize(
        "base", ["", "12345678901", "1234567890123", "１２３４５６７８９０１２"]
    )
    def test_the_check_digit_needs_a_12_digit_base(self, base: str) -> None:
        with pytest.raises(ValueError, match="12 ASCII digits"):
            corporate_number_check_digit(base)

    @given(st.text(alphabet="0123456789", min_size=12, max_size=12))
    def test_only_the_computed_check_digit_makes_a_valid_number(self, base: str) -> None:
        check = corporate_number_check_digit(base)
        assert 1 <= check <= 9
        validate_corporate_number(f"{check}{base}")
        for other in "0123456789":
            if other != str(check):
                with pytest.raises(ValidationError) as caught:
                    validate_corporate_number(f"{other}{base}")
                assert caught.value.code == "corporate_number_check_digit"


# --- 郵便番号 -----------------------------------------------------------------------------------


class TestPostalCode:
    @pytest.mark.parametrize(
        "typed",
        ["176-8501", "1768501", "〒176-8501", "〒 176-8501", "１７６－８５０１", "176ー8501"],
    )
    def test_the_ways_people_write_a_postcode_are_accepted(self, typed: str) -> None:
        validate_postal_code(typed)
        assert normalize_postal_code(typed) == "1768501"
        assert format_postal_code(typed) == "176-8501"

    @pytest.mark.parametrize("value", ["176-850", "17685011", "176-85O1", "", "〒", "東京都"])
    def test_anything_but_7_digits_is_refused(self, value: str) -> None:
        error = rejection(validate_postal_code, value)
        assert error.code == "postal_code"
        assert "7桁" in message_in_japanese(error)

    def test_formatting_needs_a_real_postcode(self) -> None:
        with pytest.raises(ValueError, match="7 digits"):
            format_postal_code("12345")

    @given(st.text(alphabet="0123456789", min_size=7, max_size=7))
    def test_normalise_and_format_undo_each_other(self, digits: str) -> None:
        printed = format_postal_code(digits)
        assert printed == f"{digits[:3]}-{digits[3:]}"
        assert normalize_postal_code(printed) == digits
        assert normalize_postal_code(printed.translate(WIDE)) == digits
        validate_postal_code(printed)


# --- 電話番号 -----------------------------------------------------------------------------------


class TestPhoneNumber:
    @pytest.mark.parametrize(
        ("typed", "digits"),
        [
            ("03-3993-1111", "0339931111"),  # fixed line, Tokyo
            ("0422-12-3456", "0422123456"),
            ("(03) 3993-1111", "0339931111"),
            ("０３－３９９３－１１１１", "0339931111"),
            ("090-1234-5678", "09012345678"),  # mobile
            ("080 1234 5678", "08012345678"),
            ("070-1234-5678", "07012345678"),
            ("050-1234-5678", "05012345678"),  # IP phone
            ("0120-123-456", "0120123456"),  # toll-free
            ("0800-123-4567", "08001234567"),
            ("0570-123-456", "0570123456"),  # navi-dial
            ("+81-3-3993-1111", "0339931111"),  # international form
            ("+81 (0)3-3993-1111", "0339931111"),
            ("+81 90 1234 5678", "09012345678"),
        ],
    )
    def test_japanese_numbers_are_accepted(self, typed: str, digits: str) -> None:
        validate_phone_jp(typed)
        assert normalize_phone_jp(typed) == digits

    @pytest.mark.parametrize(
        "value",
        [
            "3993-1111",  # no area code
            "03-3993-111",  # too short
            "03-3993-11111",  # too long for a fixed line
            "0120-123-4567",  # toll-free 0120 has 10 digits
            "1234567890",  # does not start with 0
            "+1-212-555-0100",  # not a Japanese number
            "03-3993-1111 内線12",
            "",
        ],
    )
    def test_other_numbers_are_refused(self, value: str) -> None:
        error = rejection(validate_phone_jp, value)
        assert error.code == "phone_jp"
        assert "10桁または11桁" in message_in_japanese(error)

    @pytest.mark.parametrize("value", ["090-1234-567", "050-1234-567", "0800-123-456"])
    def test_mobile_ip_and_0800_numbers_need_11_digits(self, value: str) -> None:
        error = rejection(validate_phone_jp, value)
        assert error.code == "phone_jp"
        assert "11桁" in message_in_japanese(error)


# --- In a form ----------------------------------------------------------------------------------


class ContactForm(forms.Form):
    corporate_number = forms.CharField(validators=[validate_corporate_number])
    postal_code = forms.CharField(validators=[validate_postal_code])
    phone = forms.CharField(validators=[validate_phone_jp])


def test_a_form_reports_each_rule_by_its_code() -> None:
    form = ContactForm(
        data={"corporate_number": "8000012050002", "postal_code": "176", "phone": "03-1234"}
    )
    assert not form.is_valid()
    codes = {
        field: [e["code"] for e in errors] for field, errors in form.errors.get_json_data().items()
    }
    assert codes == {
        "corporate_number": ["corporate_number_check_digit"],
        "postal_code": ["postal_code"],
        "phone": ["phone_jp"],
    }


def test_a_form_accepts_full_width_input() -> None:
    form = ContactForm(
        data={
            "corporate_number": "７０００－０１－２０５０００－２",
            "postal_code": "〒１７６－８５０１",
            "phone": "０３－３９９３－１１１１",
        }
    )
    assert form.is_valid(), form.errors
