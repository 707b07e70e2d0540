"""Opening hours in Japan time, public holidays, locations and choice sets."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from shoko.directory import geo, hours, selectors
from shoko.directory.fields import has_choice
from shoko.directory.holidays import is_public_holiday
from shoko.directory.models import Shop
from tests.directory.factories import BusinessFactory, ShopFactory

TOKYO = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def bar():
    # A bar open late on weekdays, past midnight on Saturday, closed on public holidays.
    return ShopFactory(
        opening_hours="月-金 11:00-14:00,17:00-22:00; 土 18:00-02:00; 祝 休",
        opening_exceptions="2026-12-31 休; 2027-01-03 10:00-15:00",
    )


def test_open_and_closed_through_the_week(bar):
    shop = selectors.with_hours(Shop.objects.filter(pk=bar.pk)).get()
    assert selectors.is_open_at(shop, at(2026, 11, 24, 12, 0))  # Tuesday lunch
    assert not selectors.is_open_at(shop, at(2026, 11, 24, 15, 0))  # between the two ranges
    assert not selectors.is_open_at(shop, at(2026, 11, 24, 22, 0))  # closing time is exclusive
    assert selectors.is_open_at(shop, at(2026, 11, 29, 1, 30))  # Saturday night, past midnight
    assert not selectors.is_open_at(shop, at(2026, 11, 29, 2, 0))
    assert not selectors.is_open_at(shop, at(2026, 11, 29, 12, 0))  # Sunday


def test_public_holidays_and_dated_exceptions(bar):
    assert is_public_holiday(dt.date(2026, 11, 23))  # 勤労感謝の日, a Monday
    assert not selectors.is_open_at(bar, at(2026, 11, 23, 12, 0))
    assert not selectors.is_open_at(bar, at(2026, 12, 31, 12, 0))  # irregular closure (Thursday)
    assert selectors.is_open_at(bar, at(2027, 1, 3, 11, 0))  # irregular opening on a Sunday


def test_an_instant_is_judged_in_japan_time(bar):
    # 03:00 UTC on Tuesday is 12:00 in Tokyo.
    assert selectors.is_open_at(bar, dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="aware"):
        selectors.is_open_at(bar, dt.datetime(2026, 11, 24, 12, 0))


def test_japanese_holiday_rules():
    assert is_public_holiday(dt.date(2025, 5, 6))  # substitute holiday for Sunday 5 May
    assert is_public_holiday(dt.date(2026, 9, 22))  # 国民の休日 between 敬老の日 and 秋分の日
    assert is_public_holiday(dt.date(2026, 1, 12))  # 成人の日, second Monday
    assert not is_public_holiday(dt.date(2026, 11, 24))


def test_schema_org_opening_hours(bar):
    spec = selectors.opening_hours_specification(bar)
    monday = [s for s in spec if s.get("dayOfWeek") == "https://schema.org/Monday"]
    assert [(s["opens"], s["closes"]) for s in monday] == [("11:00", "14:00"), ("17:00", "22:00")]
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/PublicHolidays",
        "opens": "00:00",
        "closes": "00:00",
    } in spec
    closure = next(s for s in spec if s.get("validFrom") == "2026-12-31")
    assert closure["opens"] == closure["closes"] == "00:00"


def test_hours_text_round_trips_and_refuses_nonsense():
    text = "月-金 11:00-14:00,17:00-22:00; 土 18:00-02:00; 祝 休"
    assert hours.format_weekly(hours.parse_weekly(text)) == text
    # Full-width digits and wave dashes are what people type.
    assert (
        hours.format_weekly(hours.parse_weekly("月・水 １０：００〜１８：００"))
        == "月 10:00-18:00; 水 10:00-18:00"
    )
    for bad in ("月曜 10時から", "月-金 25:00-26:00", "月 10:00-18:00; 月 11:00-12:00"):
        with pytest.raises(ValidationError) as exc:
            hours.parse_weekly(bad)
        assert "読めません" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("lat", "lon"), [("35.7", "200"), ("51.5", "-0.12"), ("0", "0"), ("abc", "139")]
)
def test_locations_outside_japan_are_refused(lat, lon):
    with pytest.raises(ValidationError):  # noqa: PT012
        geo.parse_latitude(lat)
        geo.parse_longitude(lon)


def test_full_width_coordinates_are_read():
    assert str(geo.parse_latitude("３５．７３５６")) == "35.735600"


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        '{"type": "Point", "coordinates": [139.65, 35.73]}',
        '{"type": "LineString", "coordinates": [[139.65, 35.73]]}',
        '{"type": "LineString", "coordinates": [[35.73, 139.65], [35.74, 139.66]]}',
        '{"type": "Polygon", "coordinates": [[[139.65, 35.73], [139.66, 35.73], [139.66, 35.74], [139.65, 35.74]]]}',  # noqa: E501
        '{"type": "MultiLineString", "coordinates": "x"}',
    ],
)
def test_malformed_geojson_is_refused(bad):
    with pytest.raises(ValidationError):
        geo.clean_geometry(bad)


def test_a_street_line_is_accepted():
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[139.654, 35.737], [139.655, 35.738]]},
    }
    assert geo.clean_geometry(line)["type"] == "LineString"


def test_choice_sets_filter_on_every_database():
    qr = ShopFactory(payment_methods=["qr", "cash"])
    ShopFactory(payment_methods=["cash"])
    assert list(Shop.objects.filter(has_choice("payment_methods", "qr"))) == [qr]
    with pytest.raises(ValidationError):
        ShopFactory(payment_methods=["bitcoin"])


def test_founded_within_for_eligibility():
    business = BusinessFactory(founded_on=dt.date(2022, 6, 1))
    assert business.founded_within(5, on=dt.date(2026, 11, 24))
    assert not business.founded_within(3, on=dt.date(2026, 11, 24))
    assert business.is_in_city
