"""Money: the grant is eligible × rate, then the cap, then rounding — in whole yen; amounts are
read the way people type them, and nonsense is refused with a message that says what to do."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shoko.programmes.money import (
    AMOUNT_NEGATIVE_MESSAGE,
    AMOUNT_REQUIRED_MESSAGE,
    AMOUNT_TOO_LARGE_MESSAGE,
    AMOUNT_UNREADABLE_MESSAGE,
    MAX_AMOUNT_YEN,
    grant_for,
    parse_amount,
    round_to_unit,
)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1200000", 1_200_000),
        ("1,200,000", 1_200_000),
        ("１，２００，０００", 1_200_000),
        ("１２０万円", 1_200_000),
        ("¥1,200,000", 1_200_000),
        ("1,200,000円", 1_200_000),
        ("  ３５０，０００ 円 ", 350_000),
        ("1,200千円", 1_200_000),
        (980_000, 980_000),
    ],
)
def test_amounts_are_read_however_people_type_them(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5000", AMOUNT_NEGATIVE_MESSAGE),
        ("－５０００", AMOUNT_NEGATIVE_MESSAGE),
        ("△5,000", AMOUNT_NEGATIVE_MESSAGE),
        (-1, AMOUNT_NEGATIVE_MESSAGE),
        ("", AMOUNT_REQUIRED_MESSAGE),
        (None, AMOUNT_REQUIRED_MESSAGE),
        ("たくさん", AMOUNT_UNREADABLE_MESSAGE),
        ("1.5", AMOUNT_UNREADABLE_MESSAGE),
        ("1e9", AMOUNT_UNREADABLE_MESSAGE),
        ("100億1円", AMOUNT_TOO_LARGE_MESSAGE),
        ("99999999999999999999", AMOUNT_TOO_LARGE_MESSAGE),
    ],
)
def test_negative_absurd_and_unreadable_amounts_are_refused_clearly(typed, message):
    with pytest.raises(ValidationError) as caught:
        parse_amount(typed)
    assert caught.value.message == message


def test_the_limit_itself_is_accepted_and_zero_only_where_allowed():
    assert parse_amount(str(MAX_AMOUNT_YEN)) == MAX_AMOUNT_YEN
    assert parse_amount("0") == 0
    with pytest.raises(ValidationError):
        parse_amount("0", allow_zero=False)


def test_two_thirds_of_a_million_is_cut_below_a_thousand_yen():
    assert grant_for(1_000_000, numerator=2, denominator=3, cap_yen=None) == 666_000
    assert grant_for(1_000_000, numerator=2, denominator=3, cap_yen=None, unit=1) == 666_666
    assert grant_for(1_000_000, numerator=2, denominator=3, cap_yen=None, mode="half_up") == 667_000


def test_the_cap_applies_before_rounding():
    # 2/3 of 1,600,000 = 1,066,666 → capped at 999,999 → 千円未満切捨て → 999,000
    assert grant_for(1_600_000, numerator=2, denominator=3, cap_yen=999_999) == 999_000
    assert grant_for(1_600_000, numerator=2, denominator=3, cap_yen=1_000_000) == 1_000_000


def test_rounding_to_a_unit():
    assert round_to_unit(12_345, 1000) == 12_000
    assert round_to_unit(12_500, 1000, "half_up") == 13_000
    assert round_to_unit(12_499, 1000, "half_up") == 12_000
    assert round_to_unit(12_345, 1) == 12_345


@given(
    eligible=st.integers(min_value=0, max_value=10**10),
    numerator=st.integers(min_value=1, max_value=10),
    extra=st.integers(min_value=0, max_value=10),
    cap=st.one_of(st.none(), st.integers(min_value=0, max_value=10**9)),
    unit=st.sampled_from([1, 100, 1000, 10_000]),
)
def test_a_grant_never_exceeds_the_rate_or_the_cap_and_is_whole_units(
    eligible, numerator, extra, cap, unit
):
    denominator = numerator + extra
    grant = grant_for(
        eligible, numerator=numerator, denominator=denominator, cap_yen=cap, unit=unit
    )
    assert isinstance(grant, int)
    assert grant >= 0
    assert grant * denominator <= eligible * numerator
    if cap is not None:
        assert grant <= cap
    assert grant % unit == 0
