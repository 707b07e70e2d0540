"""Kana readings become the romaji visitors type: nerima, shakujii, ramen."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoko.portal.romaji import fold_romaji_query, kana_runs, search_romaji, to_hepburn


@pytest.mark.parametrize(
    ("kana", "macron", "plain", "double"),
    [
        ("ねりま", "nerima", "nerima", "nerima"),
        ("しゃくじい", "shakujii", "shakujii", "shakujii"),
        ("ラーメン", "rāmen", "ramen", "raamen"),
        ("ﾗｰﾒﾝ", "rāmen", "ramen", "raamen"),
        ("とうきょう", "tōkyō", "tokyo", "toukyou"),
        ("がっこう", "gakkō", "gakko", "gakkou"),
        ("まっちゃ", "matcha", "matcha", "matcha"),
        ("しんばし", "shinbashi", "shinbashi", "shinbashi"),
        ("おおいずみ", "ōizumi", "oizumi", "ooizumi"),
        ("ちゅうおう", "chūō", "chuo", "chuuou"),
        ("ふじみだい", "fujimidai", "fujimidai", "fujimidai"),
        ("ヴァイオリン", "vaiorin", "vaiorin", "vaiorin"),
        ("ティー", "tī", "ti", "tii"),
        ("えいが", "eiga", "eiga", "eiga"),
    ],
)
def test_hepburn_in_three_spellings_of_long_vowels(kana, macron, plain, double):
    assert to_hepburn(kana) == macron
    assert to_hepburn(kana, long_vowels="plain") == plain
    assert to_hepburn(kana, long_vowels="double") == double


def test_n_before_a_vowel_takes_an_apostrophe_only_when_asked():
    assert to_hepburn("きんようび") == "kin'yōbi"
    assert to_hepburn("せんえん", apostrophe=False) == "senen"


def test_small_tsu_before_ch_becomes_t_and_at_the_end_is_dropped():
    assert to_hepburn("こっち") == "kotchi"
    assert to_hepburn("あっ") == "a"


def test_non_kana_passes_through():
    assert to_hepburn("ぶどう酒場 せき", long_vowels="plain") == "budo酒場 seki"
    assert kana_runs("ラーメン 一番星 らーめん") == ["ラーメン", "らーめん"]


def test_search_romaji_stores_plain_and_keyboard_spellings_once():
    assert search_romaji("しょうてんかい") == "shotenkai shoutenkai"
    assert search_romaji("ねりま", "ネリマ") == "nerima"
    assert search_romaji("練馬", "") == ""


def test_query_folding_drops_macrons_capitals_and_hyphens():
    assert fold_romaji_query("Shakujii-Kōen") == "shakujiikoen"
    assert fold_romaji_query("RĀMEN") == "ramen"
    assert fold_romaji_query("練馬") == "練馬"


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x30FC), max_size=30))
def test_any_kana_gives_lower_case_ascii_or_leaves_non_kana(text):
    spelled = to_hepburn(text, long_vowels="plain", apostrophe=False)
    assert isinstance(spelled, str)
    for ch in search_romaji(text).replace(" ", ""):
        assert "a" <= ch <= "z"
