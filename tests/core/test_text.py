"""Text as Japanese people type it: codes, amounts of yen, kana and company names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoko.core.text import (
    DASHES,
    digits_only,
    fold_for_search,
    normalize_code,
    normalize_company_name,
    parse_yen,
    to_hiragana,
    to_katakana,
)

WIDE_DIGITS = str.maketrans("0123456789,", "０１２３４５６７８９，")


# --- Codes --------------------------------------------------------------------------------------


class TestNormalizeCode:
    def test_full_width_characters_become_ascii(self) -> None:
        assert normalize_code("ＡＢＣ１２３") == "ABC123"

    def test_surrounding_whitespace_goes_including_the_ideographic_space(self) -> None:
        assert normalize_code("\u3000 176-8501\t\u3000") == "176-8501"

    def test_inner_whitespace_stays(self) -> None:
        assert normalize_code("A 1") == "A 1"

    @pytest.mark.parametrize(
        "dash",
        ["-", "ー", "－", "‐", "−", "―", "‑", "‒", "–", "—", "﹣", "ｰ", "⁃", "﹘"],
    )
    def test_every_dash_look_alike_becomes_a_hyphen(self, dash: str) -> None:
        assert normalize_code(f"03{dash}3993{dash}1111") == "03-3993-1111"

    def test_the_dash_table_covers_the_contract(self) -> None:
        contract = [chr(cp) for cp in range(0x2010, 0x2016)]
        contract += ["\u2212", "\ufe63", "\uff0d", "\u30fc", "\uff70"]
        assert all(ch in DASHES for ch in contract)

    def test_none_is_an_empty_code(self) -> None:
        assert normalize_code(None) == ""

    def test_only_text_is_a_code(self) -> None:
        with pytest.raises(TypeError):
            normalize_code(123)  # type: ignore[arg-type]

    @given(st.text())
    def test_normalising_twice_changes_nothing(self, text: str) -> None:
        once = normalize_code(text)
        assert normalize_code(once) == once


def test_digits_only_keeps_the_digits_in_order() -> None:
    assert digits_only("０３－３９９３－１１１１") == "0339931111"
    assert digits_only("〒176-8501") == "1768501"
    assert digits_only(None) == ""
    assert digits_only("no digits") == ""


# --- Amounts of yen -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("１２３，４５６円", 123_456),
        ("123,456", 123_456),
        ("123456", 123_456),
        ("¥123,456", 123_456),
        ("￥１２３，４５６", 123_456),
        ("\\123,456", 123_456),  # how ¥ looks on a Japanese keyboard
        ("123,456 円", 123_456),
        ("100 JPY", 100),
        ("12万3456円", 123_456),
        ("50万円", 500_000),
        ("1,200千円", 1_200_000),  # thousands of yen, as in financial statements
        ("1億2000万円", 120_000_000),
        ("5千万円", 50_000_000),
        ("3千5百万円", 35_000_000),
        ("1万2千円", 12_000),
        ("2千500円", 2_500),
        ("1.5万円", 15_000),  # a decimal that makes whole yen with its unit
        ("¥12,000-", 12_000),  # the dash that closes an amount on a receipt
        ("金123,456円也", 123_456),
        ("0", 0),
        ("0円", 0),
        (123_456, 123_456),
        (0, 0),
    ],
)
def test_amounts_are_read_as_people_type_them(text: str | int, amount: int) -> None:
    assert parse_yen(text) == amount


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("-100", "negative"),
        ("−100", "negative"),
        ("ー100", "negative"),
        ("△100", "negative"),  # the accountant's minus
        ("▲1,000", "negative"),
        ("¥-100", "negative"),
        ("マイナス100", "negative"),
        (-1, "negative"),
        ("123.45", "decimals"),
        ("123.0", "decimals"),
        ("1.00001万円", "decimals"),
        ("", "no amount"),
        ("   ", "no amount"),
        ("abc", "could not read"),
        ("12,34", "could not read"),  # commas group by three
        ("1,2345", "could not read"),
        ("万円", "could not read"),
        ("1万2億", "could not read"),
        ("100円50", "could not read"),
        ("100-", "trailing dash"),
        ("12万34567円", "smaller than the unit before it"),
        ("2千1500円", "smaller than the unit before it"),
    ],
)
def test_what_is_not_a_whole_positive_amount_is_refused(text: str | int, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_yen(text)


@pytest.mark.parametrize("value", [True, None, 1.5])
def test_only_text_and_integers_are_amounts(value: object) -> None:
    with pytest.raises(TypeError):
        parse_yen(value)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**15))
def test_any_amount_written_with_separators_reads_back(amount: int) -> None:
    assert parse_yen(f"{amount:,}円") == amount
    assert parse_yen(f"¥{amount:,}") == amount
    assert parse_yen(f"{amount:,}".translate(WIDE_DIGITS) + "円") == amount
    assert parse_yen(amount) == amount


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_man_and_the_rest_add_up(man: int, rest: int) -> None:
    assert parse_yen(f"{man}万{rest}円") == man * 10_000 + rest


# --- Kana ---------------------------------------------------------------------------------------

KATAKANA = st.text(
    alphabet=st.sampled_from([chr(cp) for cp in range(0x30A1, 0x30F7)] + ["ヽ", "ヾ"])
)


def test_katakana_becomes_hiragana_and_back() -> None:
    assert to_hiragana("ヤマダ ショウテン") == "やまだ しょうてん"
    assert to_katakana("やまだ しょうてん") == "ヤマダ ショウテン"
    assert to_hiragana("ヴァイオリン") == "ゔぁいおりん"
    assert to_katakana("ゝゞ") == "ヽヾ"


def test_half_width_katakana_is_folded_with_its_voicing_mark() -> None:
    assert to_hiragana("ｶﾞｯｺｳ") == "がっこう"
    assert to_katakana("ｶﾞｯｺｳ") == "ガッコウ"


def test_everything_else_is_left_alone() -> None:
    assert to_hiragana("ABC１２３漢字ー") == "ABC１２３漢字ー"
    assert to_katakana("ABC１２３漢字ー") == "ABC１２３漢字ー"


@given(KATAKANA)
def test_katakana_survives_a_round_trip(text: str) -> None:
    assert to_katakana(to_hiragana(text)) == text


# --- Search keys --------------------------------------------------------------------------------


def test_search_keys_meet_however_the_name_was_typed() -> None:
    typed = ["ﾔﾏﾀﾞ　ｼｮｳﾃﾝ", "ヤマダ ショウテン", "やまだ  しょうてん", " やまだ しょうてん "]
    assert {fold_for_search(text) for text in typed} == {"やまだ しょうてん"}


def test_search_keys_ignore_case_and_width() -> None:
    assert fold_for_search("ＳＨＯＫＯ Café") == fold_for_search("shoko CAFÉ") == "shoko café"
    assert fold_for_search("Straße") == "strasse"
    assert fold_for_search(None) == ""


@given(st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    once = fold_for_search(text)
    assert fold_for_search(once) == once


# --- Company names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "株式会社ヤマダ商店",
        "ヤマダ商店株式会社",
        "ヤマダ商店(株)",
        "ヤマダ商店（株）",
        "㈱ヤマダ商店",
        "㈱ ﾔﾏﾀﾞ商店",
        "【株】ヤマダ商店",
        "有限会社ヤマダ商店",
        "(有)ヤマダ商店",
        "㈲ヤマダ商店",
        "合同会社 ヤマダ商店",
        "ヤマダ商店(同)",
        "やまだ 商店",
        "ヤマダ・商店",
    ],
)
def test_the_legal_form_does_not_make_a_different_business(name: str) -> None:
    assert normalize_company_name(name) == "やまだ商店"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("一般社団法人 元町商店街", "元町商店街"),
        ("NPO法人ふるさと", "ふるさと"),
        ("特定非営利活動法人 ａｂｃ", "abc"),
        ("医療法人社団 さくら会", "さくら会"),
        ("Yamada Co., Ltd.", "yamada"),
        ("YAMADA Inc.", "yamada"),
        ("Yamada K.K.", "yamada"),
        ("元町商店街振興組合", "元町商店街振興組合"),  # an association's form is its identity
        ("株式会社", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_other_legal_forms(name: str | None, key: str) -> None:
    assert normalize_company_name(name) == key


def test_different_businesses_stay_different() -> None:
    assert normalize_company_name("株式会社ヤマダ商店") != normalize_company_name("ヤマダ商事(株)")
