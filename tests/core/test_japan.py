"""The Japanese calendar as a city office uses it: eras, era dates and fiscal years."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoko.core import japan
from shoko.core.japan import ERAS, TOKYO, Era, FiscalYear, era_of, parse_wareki, to_wareki

SUPPORTED_DATES = st.dates(min_value=date(1868, 10, 23), max_value=date(2100, 12, 31))


# --- Eras ---------------------------------------------------------------------------------------


class TestEras:
    def test_the_table_runs_from_meiji_to_reiwa_in_order(self) -> None:
        assert [era.name for era in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
        assert [era.letter for era in ERAS] == ["M", "T", "S", "H", "R"]
        assert [era.start for era in ERAS] == sorted(era.start for era in ERAS)

    def test_an_era_knows_its_names_and_first_day(self) -> None:
        reiwa = era_of(date(2025, 1, 1))
        assert isinstance(reiwa, Era)
        assert (reiwa.name, reiwa.romaji, reiwa.letter, reiwa.start) == (
            "令和",
            "Reiwa",
            "R",
            date(2019, 5, 1),
        )

    @pytest.mark.parametrize(
        ("last_day", "old", "new"),
        [
            (date(1912, 7, 29), "明治", "大正"),
            (date(1926, 12, 24), "大正", "昭和"),
            (date(1989, 1, 7), "昭和", "平成"),
            (date(2019, 4, 30), "平成", "令和"),
        ],
    )
    def test_an_era_ends_the_day_before_the_next_begins(
        self, last_day: date, old: str, new: str
    ) -> None:
        assert era_of(last_day).name == old
        assert era_of(last_day + timedelta(days=1)).name == new
        assert era_of(last_day).end == last_day

    def test_the_current_era_has_no_end(self) -> None:
        assert ERAS[-1].end is None
        assert ERAS[-1].last_year is None
        assert era_of(date(1989, 1, 7)).last_year == 64

    def test_before_meiji_there_is_no_era_to_give(self) -> None:
        with pytest.raises(ValueError, match="before Meiji"):
            era_of(date(1868, 10, 22))

    def test_an_aware_datetime_is_read_in_tokyo_time(self) -> None:
        # 15:00 UTC on 30 April 2019 is already 1 May in Tokyo: the first day of Reiwa.
        moment = datetime(2019, 4, 30, 15, 0, tzinfo=UTC)
        assert era_of(moment).name == "令和"
        assert to_wareki(moment) == "令和元年5月1日"
        # A naive datetime is taken as already being local.
        assert to_wareki(datetime(2019, 4, 30, 23, 59)) == "平成31年4月30日"


# --- Writing era dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1868, 10, 23), "明治元年10月23日", "M1.10.23"),
        (date(2025, 12, 31), "令和7年12月31日", "R7.12.31"),
    ],
)
def test_dates_are_written_in_the_era_of_the_day(day: date, long: str, short: str) -> None:
    assert to_wareki(day) == long
    assert to_wareki(day, short=True) == short


def test_only_dates_can_be_written() -> None:
    with pytest.raises(TypeError):
        to_wareki("2019-05-01")  # type: ignore[arg-type]


# --- Reading era dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("令和元年五月一日", date(2019, 5, 1)),
        ("平成三十一年四月三十日", date(2019, 4, 30)),
        ("昭和元年十二月二十五日", date(1926, 12, 25)),
        ("昭和六十四年一月七日", date(1989, 1, 7)),
        ("令和二〇年一月一日", date(2038, 1, 1)),  # kanji digits written positionally
        ("令和２年４月１日", date(2020, 4, 1)),  # full-width digits
        ("　令和 2 年 4 月 1 日 ", date(2020, 4, 1)),  # spaces, including U+3000
        ("令和2年4月1", date(2020, 4, 1)),  # the closing 日 forgotten
        ("R1.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("r1/5/1", date(2019, 5, 1)),
        ("R01.05.01", date(2019, 5, 1)),
        ("s64-1-7", date(1989, 1, 7)),
        ("Ｈ３１．４．３０", date(2019, 4, 30)),  # full-width letter and dots
        ("H31‐4‐30", date(2019, 4, 30)),  # a Unicode hyphen
        ("Reiwa 1.5.1", date(2019, 5, 1)),
        ("heisei 31/4/30", date(2019, 4, 30)),
        ("Shōwa 64.1.7", date(1989, 1, 7)),
        ("令和1.5.1", date(2019, 5, 1)),
        ("㋿元年5月1日", date(2019, 5, 1)),  # the one-character era sign
        ("㍻31年4月30日", date(2019, 4, 30)),
    ],
)
def test_era_dates_are_read_however_people_type_them(text: str, expected: date) -> None:
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("平成32年1月1日", "Heisei has no year 32"),
        ("大正16年1月1日", "Taisho has no year 16"),
        ("平成31年5月1日", "after Heisei ended on 2019-04-30"),
        ("昭和64年1月8日", "after Showa ended on 1989-01-07"),
        ("令和元年4月30日", "before Reiwa began on 2019-05-01"),
        ("昭和元年12月24日", "before Showa began"),
        ("明治元年1月1日", "before Meiji began"),
        ("令和2年2月30日", "not a real date"),
        ("令和5年2月29日", "not a real date"),  # 2023 is no leap year
        ("令和元年13月1日", "not a real date"),
        ("令和0年1月1日", "era years start at 1"),
        ("令和十十年1月1日", "not a number written in kanji"),
        ("2019年5月1日", "could not read"),  # no era
        ("X1.5.1", "could not read"),
        ("R1.5/1", "could not read"),  # mixed separators
        ("令和元年", "could not read"),
        ("", "could not read"),
        ("hello", "could not read"),
    ],
)
def test_impossible_era_dates_are_refused_with_the_reason(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_wareki(text)


def test_a_refusal_points_to_the_right_era_when_it_can() -> None:
    with pytest.raises(ValueError, match="令和元年5月1日"):
        parse_wareki("平成31年5月1日")


def test_only_text_can_be_read() -> None:
    with pytest.raises(TypeError):
        parse_wareki(20190501)  # type: ignore[arg-type]


@given(SUPPORTED_DATES)
def test_every_date_survives_a_round_trip_through_the_era_calendar(day: date) -> None:
    assert parse_wareki(to_wareki(day)) == day


@given(SUPPORTED_DATES)
def test_every_date_survives_a_round_trip_through_the_short_form(day: date) -> None:
    assert parse_wareki(to_wareki(day, short=True)) == day


@given(SUPPORTED_DATES)
def test_full_width_digits_read_the_same(day: date) -> None:
    wide = to_wareki(day).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert unicodedata.normalize("NFKC", wide) == to_wareki(day)
    assert parse_wareki(wide) == day


# --- Fiscal years -------------------------------------------------------------------------------


class TestFiscalYearBoundaries:
    def test_a_fiscal_year_runs_from_1_april_to_31_march(self) -> None:
        fy = FiscalYear(2019)
        assert fy.year == 2019
        assert fy.start == date(2019, 4, 1)
        assert fy.end == date(2020, 3, 31)

    def test_january_to_march_belong_to_the_previous_fiscal_year(self) -> None:
        assert FiscalYear.of(date(2020, 3, 31)) == FiscalYear(2019)
        assert FiscalYear.of(date(2020, 4, 1)) == FiscalYear(2020)
        assert FiscalYear.of(date(2020, 1, 1)) == FiscalYear(2019)
        assert FiscalYear.of(date(2019, 12, 31)) == FiscalYear(2019)

    def test_an_aware_datetime_is_placed_by_the_day_in_tokyo(self) -> None:
        # 31 March 15:30 UTC is already 1 April in Tokyo.
        assert FiscalYear.of(datetime(2020, 3, 31, 15, 30, tzinfo=UTC)) == FiscalYear(2020)
        assert FiscalYear.of(datetime(2020, 3, 31, 14, 59, tzinfo=UTC)) == FiscalYear(2019)
        assert FiscalYear.of(datetime(2020, 4, 1, 0, 0, tzinfo=TOKYO)) == FiscalYear(2020)

    def test_contains_uses_the_same_boundaries(self) -> None:
        fy = FiscalYear(2019)
        assert fy.contains(date(2019, 4, 1))
        assert fy.contains(date(2020, 3, 31))
        assert not fy.contains(date(2019, 3, 31))
        assert not fy.contains(date(2020, 4, 1))
        assert date(2019, 10, 1) in fy
        assert date(2020, 4, 1) not in fy

    def test_the_current_fiscal_year_follows_the_day_in_japan(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(japan, "today_in_tokyo", lambda: date(2025, 3, 31))
        assert FiscalYear.current() == FiscalYear(2024)
        monkeypatch.setattr(japan, "today_in_tokyo", lambda: date(2025, 4, 1))
        assert FiscalYear.current() == FiscalYear(2025)

    def test_today_is_taken_in_tokyo(self) -> None:
        assert japan.today_in_tokyo() == datetime.now(TOKYO).date()


@given(SUPPORTED_DATES)
def test_every_day_lies_within_its_fiscal_year_and_the_year_ends_sharply(day: date) -> None:
    fy = FiscalYear.of(day)
    assert fy.contains(day)
    assert fy.start <= day <= fy.end
    assert not fy.contains(fy.start - timedelta(days=1))
    assert not fy.contains(fy.end + timedelta(days=1))


class TestFiscalYearLabels:
    @pytest.mark.parametrize(
        ("year", "label"),
        [
            (2019, "令和元年度"),  # began in 平成31年 but is governed by 令和
            (2018, "平成30年度"),
            (2025, "令和7年度"),
            (1989, "平成元年度"),
            # 平成 began on 8 January 1989: FY1988 ended in it but cannot be 平成0年度.
            (1988, "昭和63年度"),
            (1926, "昭和元年度"),
            (1912, "大正元年度"),
        ],
    )
    def test_in_japanese_a_year_is_named_by_the_era_at_its_end(self, year: int, label: str) -> None:
        assert FiscalYear(year).label("ja") == label
        assert FiscalYear(year).label() == label  # Japanese is the default

    @pytest.mark.parametrize(
        ("year", "label"),
        [(2019, "平成31年度"), (1988, "昭和63年度"), (1912, "明治45年度"), (2020, "令和2年度")],
    )
    def test_it_can_be_named_by_the_era_of_its_first_day(self, year: int, label: str) -> None:
        assert FiscalYear(year).label("ja", era_of="start") == label

    def test_no_two_fiscal_years_share_a_japanese_name(self) -> None:
        every_year = FiscalYear.span(japan.FISCAL_YEAR_MIN, japan.FISCAL_YEAR_MAX)
        for era_choice in ("end", "start"):
            labels = [fy.label("ja", era_of=era_choice) for fy in every_year]
            assert len(set(labels)) == len(labels)

    def test_english_uses_the_western_year(self) -> None:
        assert FiscalYear(2019).label("en") == "FY2019"
        assert FiscalYear(2019).label("en-gb") == "FY2019"

    def test_with_western_shows_both_calendars(self) -> None:
        fy = FiscalYear(2019)
        assert fy.label("ja", with_western=True) == "令和元年度 (FY2019)"
        assert fy.label("en", with_western=True) == "FY2019 (Reiwa 1)"
        assert fy.label("ja", era_of="start", with_western=True) == "平成31年度 (FY2019)"
        assert fy.label("zh-hans", with_western=True) == "2019年度 (令和元年度)"
        assert fy.label("ko", with_western=True) == "2019 회계연도 (Reiwa 1)"

    @pytest.mark.parametrize(
        ("lang", "label"),
        [
            ("zh-hans", "2019年度"),
            ("zh-hant", "2019年度"),
            ("zh_Hant", "2019年度"),
            ("ko", "2019 회계연도"),
            ("fr", "FY2019"),  # unknown languages fall back to English
            ("", "FY2019"),
        ],
    )
    def test_other_languages(self, lang: str, label: str) -> None:
        assert FiscalYear(2019).label(lang) == label

    def test_an_unknown_era_rule_is_refused(self) -> None:
        with pytest.raises(ValueError, match="era_of"):
            FiscalYear(2019).label("ja", era_of="middle")  # type: ignore[arg-type]

    def test_the_era_and_its_year_number_are_available_directly(self) -> None:
        era, number = FiscalYear(2019).era_year()
        assert (era.name, number) == ("令和", 1)
        assert FiscalYear(2019).era("start").name == "平成"

    def test_plain_conversions(self) -> None:
        fy = FiscalYear(2019)
        assert str(fy) == "FY2019"
        assert repr(fy) == "FiscalYear(2019)"
        assert int(fy) == 2019


class TestFiscalYearAsAValue:
    def test_equal_years_are_equal_and_hash_alike(self) -> None:
        assert FiscalYear(2019) == FiscalYear(2019)
        assert hash(FiscalYear(2019)) == hash(FiscalYear(2019))
        assert len({FiscalYear(2019), FiscalYear(2019), FiscalYear(2020)}) == 2
        assert FiscalYear(2019) != FiscalYear(2020)

    def test_it_is_not_equal_to_a_bare_number(self) -> None:
        assert FiscalYear(2019) != 2019

    def test_fiscal_years_are_ordered(self) -> None:
        years = [FiscalYear(2021), FiscalYear(2019), FiscalYear(2020)]
        assert sorted(years) == [FiscalYear(2019), FiscalYear(2020), FiscalYear(2021)]
        assert FiscalYear(2019) < FiscalYear(2020) <= FiscalYear(2020)
        assert max(years) == FiscalYear(2021)

    def test_they_compare_only_with_each_other(self) -> None:
        with pytest.raises(TypeError):
            assert FiscalYear(2019) < 2020  # type: ignore[operator]

    def test_it_is_immutable(self) -> None:
        fy = FiscalYear(2019)
        with pytest.raises(AttributeError):
            fy.year = 2020  # type: ignore[misc]

    def test_adding_and_subtracting_years(self) -> None:
        assert FiscalYear(2019) + 1 == FiscalYear(2020)
        assert 1 + FiscalYear(2019) == FiscalYear(2020)
        assert FiscalYear(2019) - 1 == FiscalYear(2018)
        assert FiscalYear(2025) - FiscalYear(2019) == 6
        assert isinstance(FiscalYear(2025) - FiscalYear(2019), int)

    def test_arithmetic_with_anything_else_is_refused(self) -> None:
        with pytest.raises(TypeError):
            FiscalYear(2019) + 1.5  # type: ignore[operator]
        with pytest.raises(TypeError):
            FiscalYear(2019) + True  # type: ignore[operator]
        with pytest.raises(TypeError):
            FiscalYear(2019) - "1"  # type: ignore[operator]

    def test_span_lists_every_year_with_both_ends_included(self) -> None:
        assert FiscalYear.span(FiscalYear(2024), FiscalYear(2026)) == [
            FiscalYear(2024),
            FiscalYear(2025),
            FiscalYear(2026),
        ]
        assert FiscalYear.span(2024, 2024) == [FiscalYear(2024)]
        assert FiscalYear.span(2026, 2024) == []

    @pytest.mark.parametrize("year", [1867, 2201, -1, 0])
    def test_years_outside_the_supported_range_are_refused(self, year: int) -> None:
        with pytest.raises(ValueError, match="out of range"):
            FiscalYear(year)

    def test_the_range_ends_are_supported(self) -> None:
        assert FiscalYear(1868).label("ja") == "明治元年度"
        assert FiscalYear(2200).start == date(2200, 4, 1)

    @pytest.mark.parametrize("year", ["2019", 2019.0, True, None])
    def test_only_integers_make_a_fiscal_year(self, year: object) -> None:
        with pytest.raises(TypeError):
            FiscalYear(year)  # type: ignore[arg-type]

    def test_leaving_the_range_by_arithmetic_is_refused(self) -> None:
        with pytest.raises(ValueError, match="out of range"):
            FiscalYear(2200) + 1
