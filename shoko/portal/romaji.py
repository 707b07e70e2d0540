"""Kana → Hepburn romaji (ヘボン式ローマ字), so that a visitor typing ``nerima``, ``shakujii`` or
``ramen`` finds 練馬, 石神井 and ラーメン.

Kanji have no reading of their own here: the directory keeps kana readings (``name_kana``) and
the search documents carry them; this module turns those readings, and the kana inside names
(ラーメン), into romaji. Three spellings of long vowels exist in the wild, so ``to_hepburn``
offers them all:

- ``"macron"`` — modified Hepburn as printed on signs: とうきょう → ``tōkyō``
- ``"plain"`` — passport style, long vowels unmarked: ``tokyo`` (what most visitors type)
- ``"double"`` — as typed on a Japanese keyboard (wāpuro): ``toukyou``

``search_romaji`` gives the plain and double spellings together for the search index;
``fold_romaji_query`` folds what a visitor typed (macrons, hyphens, capitals) to match them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from shoko.core.text import to_hiragana

LongVowels = Literal["macron", "plain", "double"]

__all__ = ["fold_romaji_query", "kana_runs", "search_romaji", "to_hepburn"]

_SINGLE = {
    "あ": "a",
    "い": "i",
    "う": "u",
    "え": "e",
    "お": "o",
    "か": "ka",
    "き": "ki",
    "く": "ku",
    "け": "ke",
    "こ": "ko",
    "さ": "sa",
    "し": "shi",
    "す": "su",
    "せ": "se",
    "そ": "so",
    "た": "ta",
    "ち": "chi",
    "つ": "tsu",
    "て": "te",
    "と": "to",
    "な": "na",
    "に": "ni",
    "ぬ": "nu",
    "ね": "ne",
    "の": "no",
    "は": "ha",
    "ひ": "hi",
    "ふ": "fu",
    "へ": "he",
    "ほ": "ho",
    "ま": "ma",
    "み": "mi",
    "む": "mu",
    "め": "me",
    "も": "mo",
    "や": "ya",
    "ゆ": "yu",
    "よ": "yo",
    "ら": "ra",
    "り": "ri",
    "る": "ru",
    "れ": "re",
    "ろ": "ro",
    "わ": "wa",
    "ゐ": "i",
    "ゑ": "e",
    "を": "o",
    "が": "ga",
    "ぎ": "gi",
    "ぐ": "gu",
    "げ": "ge",
    "ご": "go",
    "ざ": "za",
    "じ": "ji",
    "ず": "zu",
    "ぜ": "ze",
    "ぞ": "zo",
    "だ": "da",
    "ぢ": "ji",
    "づ": "zu",
    "で": "de",
    "ど": "do",
    "ば": "ba",
    "び": "bi",
    "ぶ": "bu",
    "べ": "be",
    "ぼ": "bo",
    "ぱ": "pa",
    "ぴ": "pi",
    "ぷ": "pu",
    "ぺ": "pe",
    "ぽ": "po",
    "ゔ": "vu",
    "ぁ": "a",
    "ぃ": "i",
    "ぅ": "u",
    "ぇ": "e",
    "ぉ": "o",
    "ゃ": "ya",
    "ゅ": "yu",
    "ょ": "yo",
    "ゎ": "wa",
    "ゕ": "ka",
    "ゖ": "ke",
}

# Two kana read as one syllable: きゃ kya, しゃ sha, ふぁ fa, てぃ ti …
_YOON_BASES = {
    "き": "ky",
    "ぎ": "gy",
    "に": "ny",
    "ひ": "hy",
    "び": "by",
    "ぴ": "py",
    "み": "my",
    "り": "ry",
    "し": "sh",
    "じ": "j",
    "ぢ": "j",
    "ち": "ch",
}
_DOUBLE = {
    base + small: stem + vowel
    for base, stem in _YOON_BASES.items()
    for small, vowel in (("ゃ", "a"), ("ゅ", "u"), ("ょ", "o"))
}
_DOUBLE |= {
    "しぇ": "she",
    "じぇ": "je",
    "ちぇ": "che",
    "いぇ": "ye",
    "ふぁ": "fa",
    "ふぃ": "fi",
    "ふぇ": "fe",
    "ふぉ": "fo",
    "ふゅ": "fyu",
    "うぃ": "wi",
    "うぇ": "we",
    "うぉ": "wo",
    "ゔぁ": "va",
    "ゔぃ": "vi",
    "ゔぇ": "ve",
    "ゔぉ": "vo",
    "てぃ": "ti",
    "でぃ": "di",
    "とぅ": "tu",
    "どぅ": "du",
    "でゅ": "dyu",
    "てゅ": "tyu",
    "つぁ": "tsa",
    "つぃ": "tsi",
    "つぇ": "tse",
    "つぉ": "tso",
    "くぁ": "kwa",
    "ぐぁ": "gwa",
}
_SOKUON = "っ"
_N = "ん"
_CHOON = "ー"
_MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}
_KANA_RE = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9f]+")


def _syllables(hiragana: str) -> list[str]:
    """Split into syllables: digraphs first, then single kana; anything else as one item."""
    out: list[str] = []
    i = 0
    while i < len(hiragana):
        pair = hiragana[i : i + 2]
        if pair in _DOUBLE:
            out.append(pair)
            i += 2
        else:
            out.append(hiragana[i])
            i += 1
    return out


def _romanise(syllable: str) -> str | None:
    return _DOUBLE.get(syllable) or _SINGLE.get(syllable)


def to_hepburn(text: str, *, long_vowels: LongVowels = "macron", apostrophe: bool = True) -> str:
    """Hepburn romaji for the kana in ``text`` (hiragana, katakana, half-width katakana).

    Characters that are not kana pass through unchanged. ``apostrophe`` separates ん from a
    following vowel or y (``kin'yōbi``), which search spellings leave out.
    """
    hiragana = to_hiragana(unicodedata.normalize("NFKC", text))
    syllables = _syllables(hiragana)
    parts: list[str] = []
    geminate = False
    for index, syllable in enumerate(syllables):
        nxt = syllables[index + 1] if index + 1 < len(syllables) else ""
        if syllable == _SOKUON:
            geminate = True
            continue
        if syllable == _N:
            following = _romanise(nxt) or ""
            parts.append(
                "n'" if apostrophe and following[:1] in tuple("aiueoy") and following else "n"
            )
            continue
        if syllable == _CHOON:
            _lengthen(parts, long_vowels, by_mark=True)
            continue
        roman = _romanise(syllable)
        if roman is None:
            if geminate:
                geminate = False
            parts.append(syllable)
            continue
        if geminate:
            # っち → tchi (Hepburn), otherwise the consonant doubles: っぱ → ppa.
            roman = ("t" + roman) if roman.startswith("ch") else (roman[0] + roman)
            geminate = False
        if parts and long_vowels != "double" and _is_long(parts[-1], roman):
            _lengthen(parts, long_vowels, by_mark=False)
            continue
        parts.append(roman)
    return "".join(parts)


def _is_long(previous: str, roman: str) -> bool:
    """おう, おお and うう are long vowels in Hepburn; ああ, いい and えい are written out."""
    if not previous or not previous[-1].isalpha() or previous[-1] not in "ou":
        return False
    return (previous[-1] == "o" and roman in ("u", "o")) or (previous[-1] == "u" and roman == "u")


def _lengthen(parts: list[str], long_vowels: LongVowels, *, by_mark: bool) -> None:
    if not parts or not parts[-1] or parts[-1][-1] not in _MACRON:
        return
    vowel = parts[-1][-1]
    if long_vowels == "macron":
        parts[-1] = parts[-1][:-1] + _MACRON[vowel]
    elif long_vowels == "double" and by_mark:
        parts[-1] += vowel
    # "plain": the long vowel is simply not written.


def kana_runs(text: str) -> list[str]:
    """The runs of kana in ``text``: ``ラーメン 一番星`` → ``["ラーメン"]``."""
    return _KANA_RE.findall(unicodedata.normalize("NFKC", text or ""))


def search_romaji(*readings: str) -> str:
    """The romaji the search index stores for some kana readings: each reading in the plain and
    the keyboard (double) spelling, without spaces inside a reading, as one string."""
    spellings: list[str] = []
    for reading in readings:
        for run in kana_runs(reading):
            for mode in ("plain", "double"):
                spelled = to_hepburn(run, long_vowels=mode, apostrophe=False)  # type: ignore[arg-type]
                spelled = re.sub(r"[^a-z]", "", spelled)
                if spelled and spelled not in spellings:
                    spellings.append(spelled)
    return " ".join(spellings)


def fold_romaji_query(text: str) -> str:
    """What a visitor typed in Latin letters, folded to the index's spelling: lower case,
    macrons and accents dropped, hyphens and apostrophes removed (``Shakujii-Kōen`` →
    ``shakujiikoen``). Non-Latin text comes back unchanged apart from the lower case."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"(?<=[a-z])['’\-‐](?=[a-z])", "", unicodedata.normalize("NFC", stripped))
