"""Who may apply: named rules over the business, each saying why not in the reader's language;
a programme's rules are data, checked against the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shoko.directory.models import Business, VacantShop
from shoko.programmes import eligibility
from shoko.programmes.eligibility import (
    BAD_PARAM_MESSAGE,
    RULES_NOT_A_LIST_MESSAGE,
    UNKNOWN_PARAM_MESSAGE,
    UNKNOWN_RULE_MESSAGE,
    evaluate,
    facts_for,
    validate_rules,
)
from shoko.programmes.models import Application, Programme
from tests.directory.factories import BusinessFactory, ShopFactory, StreetFactory, VacantShopFactory

pytestmark = pytest.mark.django_db


def programme_with(*rules):
    return Programme(code="p", name="p", division="commerce", eligibility_rules=list(rules))


def verdict(business, *rules, application=None, on=None):
    return evaluate(programme_with(*rules), facts_for(business, application=application, on=on))


def test_a_shop_in_a_city_street_is_eligible_and_a_business_without_one_is_told_why():
    shop = ShopFactory()
    assert verdict(shop.business, {"rule": "shop_in_city_street"}).ok
    lonely = BusinessFactory()
    result = verdict(lonely, {"rule": "shop_in_city_street"})
    assert not result.ok
    assert result.reasons == [
        "区内の商店街にある個店が登録されていません（事業者情報で個店を登録してください）。"
    ]


def test_reasons_come_in_the_readers_language():
    lonely = BusinessFactory()
    with translation.override("en"):
        reasons = verdict(lonely, {"rule": "street_association"}).reasons
    assert reasons == ["Only shopping-street associations may apply."]


def test_a_street_association_must_run_a_street():
    association = BusinessFactory(legal_form=Business.LegalForm.ASSOCIATION)
    assert not verdict(association, {"rule": "street_association"}).ok
    StreetFactory(association=association)
    assert verdict(association, {"rule": "street_association"}).ok


def test_founded_within_years_counts_from_the_founding_or_startup_day():
    today = dt.date(2026, 11, 24)
    young = BusinessFactory(founded_on=dt.date(2023, 4, 1))
    old = BusinessFactory(founded_on=dt.date(2010, 4, 1))
    unknown = BusinessFactory()
    rule = {"rule": "founded_within_years", "params": {"years": 5}}
    assert verdict(young, rule, on=today).ok
    assert verdict(old, rule, on=today).reasons == ["創業から5年以内の事業者だけが申請できます。"]
    assert "創業日が登録されていません" in verdict(unknown, rule, on=today).reasons[0]


def test_membership_of_the_street_association_is_asked_of_the_chosen_shop():
    member_shop = ShopFactory(is_association_member=True)
    other_shop = ShopFactory(business=member_shop.business, is_association_member=False)
    rule = {"rule": "member_of_street_association"}
    assert verdict(member_shop.business, rule).ok
    application = Application(business=member_shop.business, shop=other_shop)
    assert verdict(member_shop.business, rule, application=application).reasons == [
        "対象の個店が商店会の会員ではありません。"
    ]


def test_uses_vacant_shop_needs_a_listed_vacancy_in_a_street():
    business = BusinessFactory()
    rule = {"rule": "uses_vacant_shop"}
    assert verdict(business, rule).ok  # before an application, it only asks to choose one
    listed = VacantShopFactory()
    gone = VacantShopFactory(status=VacantShop.Status.WITHDRAWN)
    assert verdict(
        business, rule, application=Application(business=business, vacant_shop=listed)
    ).ok
    assert not verdict(
        business, rule, application=Application(business=business, vacant_shop=gone)
    ).ok
    assert verdict(business, rule, application=Application(business=business)).reasons == [
        "入居する空き店舗を選んでください。"
    ]


def test_located_in_city_reads_the_address():
    assert verdict(
        BusinessFactory(address="東京都練馬区豊玉北6-12-1"), {"rule": "located_in_city"}
    ).ok
    assert not verdict(
        BusinessFactory(address="東京都杉並区阿佐谷1-1"), {"rule": "located_in_city"}
    ).ok


def test_all_rules_must_hold_and_every_failure_is_listed():
    lonely = BusinessFactory(address="東京都杉並区阿佐谷1-1")
    result = verdict(lonely, {"rule": "located_in_city"}, {"rule": "shop_in_city_street"})
    assert not result.ok
    assert len(result.reasons) == 2


def test_facts_cost_two_queries_whatever_the_number_of_rules(django_assert_num_queries):
    shop = ShopFactory(is_association_member=True)
    rules = [
        {"rule": code}
        for code in (
            "shop_in_city_street",
            "member_of_street_association",
            "located_in_city",
            "street_association",
        )
    ]
    with django_assert_num_queries(2):
        facts = facts_for(shop.business)
        for _ in range(7):
            evaluate(programme_with(*rules), facts)


def test_stored_rules_are_validated_against_the_registry():
    assert validate_rules(["shop_in_city_street"]) == [
        {"rule": "shop_in_city_street", "params": {}}
    ]
    assert validate_rules([{"rule": "founded_within_years"}]) == [
        {"rule": "founded_within_years", "params": {"years": 5}}
    ]
    cases = [
        ({"rule": "x"}, UNKNOWN_RULE_MESSAGE),
        ({"rule": "founded_within_years", "params": {"years": 0}}, BAD_PARAM_MESSAGE),
        ({"rule": "founded_within_years", "params": {"years": "５"}}, BAD_PARAM_MESSAGE),
        ({"rule": "founded_within_years", "params": {"months": 5}}, UNKNOWN_PARAM_MESSAGE),
        (42, RULES_NOT_A_LIST_MESSAGE),
    ]
    for entry, message in cases:
        with pytest.raises(ValidationError) as caught:
            validate_rules([entry])
        assert caught.value.error_list[0].message == message
    with pytest.raises(ValidationError):
        validate_rules({"rule": "located_in_city"})


def test_the_rules_read_as_people_say_them():
    programme = programme_with({"rule": "founded_within_years", "params": {"years": 3}})
    assert eligibility.describe(programme) == ["創業から一定年数以内 (年数: 3)"]
