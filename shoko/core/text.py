"""Normalising text the way Japanese people type it.

The same code, amount or company name reaches Shoko in full-width digits, with five kinds of
dash, with ¥ or 円, in katakana or hiragana. Everything that compares, stores or searches such
values goes through here first, so that equal things end up equal.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

__all__ = [
    "DASHES",
    "digits_only",
    "fold_for_search",
    "normalize_code",
    "normalize_company_name",
    "parse_yen",
    "to_hiragana",
    "to_katakana",
]

DASHES = (
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, non-breaking hyphen, figure dash … bar
    "\u2043"  # hyphen bullet
    "\u2212"  # minus sign
    "\ufe58\ufe63"  # small em dash, small hyphen-minus
    "\uff0d"  # full-width hyphen-minus
    "\u30fc\uff70"  # katakana prolonged sound mark (full and half width)
)
"""Characters that stand in for an ASCII hyphen in typed codes, postcodes and phone numbers."""

_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))


def normalize_code(text: str | None) -> str:
    """NFKC, every dash look-alike (including ー) turned into ``-``, surrounding whitespace
    (including the ideographic space) stripped: codes then compare equal however typed.

    ``None`` gives ``""`` so that empty form values need no special case.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    return unicodedata.normalize("NFKC", text).translate(_DASH_TABLE).strip()


def digits_only(text: str | None) -> str:
    """The ASCII digits of a normalised code, in order (``０３－１２３４`` → ``031234``)."""
    return "".join(ch for ch in normalize_code(text) if "0" <= ch <= "9")


# --- Amounts of money -------------------------------------------------------------------------

_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_SMALL_RE = re.compile(
    rf"(?:(?P<thousands>{_NUMBER})千)?(?:(?P<hundreds>{_NUMBER})百)?(?P<units>{_NUMBER})?"
)
_NEGATIVE_MARKERS = ("-", "△", "▲", "マイナス")
_PREFIXES = ("金", "¥", "\\", "jpy")  # a backslash is how ¥ looks on a Japanese keyboard
_SUFFIXES = ("円也", "円", "jpy")


def _decimal(token: str) -> Decimal:
    return Decimal(token.replace(",", ""))


def _small(text: str, original: str, *, before_unit: bool) -> Decimal:
    """A number below the next big unit: ``3456``, ``5千``, ``1,200千``, ``2千5百``."""
    match = _SMALL_RE.fullmatch(text)
    if not text or match is None:
        raise ValueError(
            f"could not read {original!r} as an amount of yen; "
            "write it like 123,456, ¥123,456, 12万3456円 or 1,200千円"
        )
    value = Decimal(0)
    limit: int | None = None  # what follows 千 stays below 1000, what follows 百 below 100
    for name, factor in (("thousands", 1000), ("hundreds", 100), ("units", 1)):
        token = match[name]
        if not token:
            continue
        number = _decimal(token)
        if limit is not None and ("." in token or number * factor >= limit):
            raise ValueError(
                f"{original!r}: each part must be a whole number smaller than the unit "
                "before it (write 2千500円, not 2千1500円)"
            )
        if "." in token and factor == 1 and not before_unit:
            raise ValueError(f"{original!r}: amounts are whole yen; decimals are not accepted")
        value += number * factor
        limit = factor
    return value


def parse_yen(text: str | int) -> int:
    """An amount of yen as people type it: ``１２３，４５６円``, ``¥123,456``, ``12万3456円``,
    ``50万円``, ``1,200千円`` (thousands of yen, as in accounts), ``1億2000万円``.

    ``1.5万円`` is 15,000 yen; a decimal point is otherwise refused, as are negative amounts
    (``-100``, ``△100``, ``▲100``) and anything that is not a number. The ValueError says which.
    """
    if isinstance(text, bool):
        raise TypeError("expected an amount, got a bool")
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"{text}: negative amounts are not accepted")
        return text
    if not isinstance(text, str):
        raise TypeError(f"expected a str or int, got {type(text).__name__}")
    original = text
    compact = re.sub(r"\s+", "", normalize_code(text)).casefold()
    if not compact:
        raise ValueError("no amount was given")
    if compact.startswith(_NEGATIVE_MARKERS):
        raise ValueError(f"{original!r}: negative amounts are not accepted")
    marked = False
    for prefix in _PREFIXES:
        if compact.startswith(prefix):
            compact, marked = compact[len(prefix) :], True
    if compact.startswith(_NEGATIVE_MARKERS):
        raise ValueError(f"{original!r}: negative amounts are not accepted")
    # Receipts close an amount with a dash so nothing can be added: ¥12,000-
    closing_dash = compact.endswith("-")
    compact = compact.removesuffix("-")
    for suffix in _SUFFIXES:
        if compact.endswith(suffix):
            compact, marked = compact[: -len(suffix)], True
            break
    if closing_dash and not marked:
        raise ValueError(
            f"could not read {original!r} as an amount of yen; "
            "a trailing dash is only accepted after ¥ or 円 (¥12,000-)"
        )

    components: list[tuple[int, str]] = []
    rest = compact
    for unit, factor in (("億", 10**8), ("万", 10**4)):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            components.append((factor, head))
    components.append((1, rest))

    total = Decimal(0)
    previous_factor: int | None = None
    for factor, part in components:
        if factor == 1 and not part and previous_factor is not None:
            break  # nothing after the last big unit: 50万円
        value = _small(part, original, before_unit=factor > 1)
        if previous_factor is not None and value * factor >= previous_factor:
            raise ValueError(
                f"{original!r}: each part must be smaller than the unit before it "
                "(write 12万3456円, not 12万34567円)"
            )
        total += value * factor
        previous_factor = factor
    if total != total.to_integral_value():
        raise ValueError(f"{original!r}: amounts are whole yen; decimals are not accepted")
    return int(total)


# --- Kana -------------------------------------------------------------------------------------

_KATAKANA_TO_HIRAGANA = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)} | {
    0x30FD: 0x309D,  # ヽ → ゝ
    0x30FE: 0x309E,  # ヾ → ゞ
}
_HIRAGANA_TO_KATAKANA = {v: k for k, v in _KATAKANA_TO_HIRAGANA.items()}
_HALF_WIDTH_KATAKANA_RE = re.compile("[\uff65-\uff9f]+")


def _widen_half_width_katakana(text: str) -> str:
    # NFKC only on the half-width runs, so ｶﾞ becomes ガ but nothing else is touched.
    return _HALF_WIDTH_KATAKANA_RE.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)


def to_hiragana(text: str) -> str:
    """Katakana (full or half width) as hiragana; other characters unchanged."""
    return _widen_half_width_katakana(text).translate(_KATAKANA_TO_HIRAGANA)


def to_katakana(text: str) -> str:
    """Hiragana (and half-width katakana) as full-width katakana; other characters
    unchanged."""
    return _widen_half_width_katakana(text).translate(_HIRAGANA_TO_KATAKANA)


def fold_for_search(text: str | None) -> str:
    """A search key: NFKC, case-folded, katakana as hiragana, runs of whitespace as one space,
    so ``ﾔﾏﾀﾞ　ｼｮｳﾃﾝ``, ``ヤマダ ショウテン`` and ``やまだ しょうてん`` all meet."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return " ".join(to_hiragana(folded).split())


# --- Company names ----------------------------------------------------------------------------

_LEGAL_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "相互会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "npo法人",
    "社会福祉法人",
    "医療法人社団",
    "医療法人財団",
    "医療法人",
    "学校法人",
    "宗教法人",
)
_LEGAL_FORM_RE = re.compile(
    "|".join(re.escape(form) for form in sorted(_LEGAL_FORMS, key=len, reverse=True)),
    re.IGNORECASE,
)
# (株) ㈱ （株） [株] 〔株〕 【株】 … after NFKC: ㈱ → (株), （ → (.
_LEGAL_ABBREVIATION_RE = re.compile(
    r"[(\[〔【]\s*(?:株|有|同|資|名|合|一社|一財|公社|公財|特非|npo|医|社福|学|宗|社|財)\s*[)\]〕】]",
    re.IGNORECASE,
)
_ENGLISH_LEGAL_SUFFIX_RE = re.compile(
    r"[\s,]*(?:co\.?,?\s*ltd\.?|co\.?|inc\.?|corp\.?|corporation|l\.?l\.?c\.?|ltd\.?|"
    r"k\.\s?k\.|g\.\s?k\.|kabushiki\s+kaisha|godo\s+kaisha)$",
    re.IGNORECASE,
)


def normalize_company_name(text: str | None) -> str:
    """A key for spotting the same business entered twice: the legal form (株式会社, (株), ㈱,
    有限会社, ㈲, 合同会社, (同), 一般社団法人, Co., Ltd. …) removed wherever it stands, then
    folded for search with spaces and ・ dropped.

    ``株式会社ヤマダ商店``, ``ヤマダ商店(株)`` and ``㈱ ﾔﾏﾀﾞ商店`` all give ``やまだ商店``.
    """
    if not text:
        return ""
    name = unicodedata.normalize("NFKC", text)
    name = _LEGAL_ABBREVIATION_RE.sub(" ", name)
    name = _LEGAL_FORM_RE.sub(" ", name)
    name = _ENGLISH_LEGAL_SUFFIX_RE.sub("", name.strip())
    return re.sub(r"[\s・]+", "", fold_for_search(name))
