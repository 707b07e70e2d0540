"""Businesses and their organisations, shop changes waiting for staff, merging duplicates."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from shoko.core.models import Membership, Organisation
from shoko.core.validators import CORPORATE_NUMBER_CHECK_DIGIT_MESSAGE, POSTAL_CODE_MESSAGE
from shoko.directory import selectors, services
from shoko.directory.models import Business, BusinessMerge, ShopChangeRequest, TimelineEvent
from tests.directory.conftest import member
from tests.directory.factories import BusinessFactory, ShopFactory, StreetFactory, corporate_number

pytestmark = pytest.mark.django_db
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_a_business_gets_its_organisation_and_keeps_it_in_step(official):
    business = services.create_business(
        actor=official,
        data={
            "name": "ねりま商店会",
            "legal_form": Business.LegalForm.ASSOCIATION,
            "corporate_number": corporate_number(1234).translate(FULL_WIDTH),
            "postal_code": "〒１７６－８５０１",
            "phone": "０３－３９９３－１１１１",
        },
    )
    assert business.organisation.name == "ねりま商店会"
    assert business.organisation.kind == Organisation.Kind.ASSOCIATION
    assert business.corporate_number == corporate_number(1234)
    assert business.postal_code == "1768501"  # full-width digits normalised, not refused
    assert business.phone == "0339931111"
    services.update_business(
        actor=official,
        business=business,
        data={"name": "ねりま商店会（改）", "legal_form": "corporation"},
    )
    business.organisation.refresh_from_db()
    assert (business.organisation.name, business.organisation.kind) == (
        "ねりま商店会（改）",
        "business",
    )
    assert LogEntry.objects.get_for_object(business).exists()


def test_bad_codes_are_refused_with_the_rule(official):
    with pytest.raises(ValidationError) as exc:
        services.create_business(
            actor=official, data={"name": "x", "corporate_number": "1234567890123"}
        )
    assert str(CORPORATE_NUMBER_CHECK_DIGIT_MESSAGE) in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        services.create_business(actor=official, data={"name": "x", "postal_code": "176-85"})
    assert str(POSTAL_CODE_MESSAGE) in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        selectors.resolve_industry("Z9")
    assert exc.value.messages == [str(selectors.UNKNOWN_JSIC_MESSAGE) % {"code": "Z9"}]
    assert selectors.resolve_industry("５").code == "05"  # full-width, one digit


def test_a_corporate_number_belongs_to_one_business(official):
    number = corporate_number(777)
    BusinessFactory(corporate_number=number)
    with pytest.raises(ValidationError) as exc:
        BusinessFactory(corporate_number=number)
    assert str(services.CORPORATE_NUMBER_TAKEN_MESSAGE) % {"number": number} in exc.value.messages


def test_members_change_published_shops_through_staff_approval(business, official):
    manager = member(business)
    shop = ShopFactory(business=business, published=True, name_ja="元の店名")
    change = services.submit_shop_change(
        actor=manager,
        shop=shop,
        data={"name_ja": "新しい店名", "opening_hours": "月-金 10:00-18:00"},
    )
    shop.refresh_from_db()
    assert shop.name_ja == "元の店名"  # nothing visible changes before approval
    assert change.changes == {"name_ja": "新しい店名", "opening_hours": "月-金 10:00-18:00"}
    # A second submission replaces the first: one open request per shop.
    change2 = services.submit_shop_change(
        actor=manager, shop=shop, data={"name_ja": "もっと新しい店名"}
    )
    change.refresh_from_db()
    assert change.status == ShopChangeRequest.Status.WITHDRAWN
    services.approve_shop_change(actor=official, change=change2)
    shop.refresh_from_db()
    assert shop.name_ja == "もっと新しい店名"
    with pytest.raises(ValidationError) as exc:
        services.approve_shop_change(actor=official, change=change2)  # double submit
    assert exc.value.messages == [str(services.CHANGE_NOT_PENDING_MESSAGE)]


def test_rejection_keeps_the_shop_and_only_officials_decide(business, official):
    manager = member(business)
    shop = ShopFactory(business=business, published=True)
    change = services.submit_shop_change(actor=manager, shop=shop, data={"phone": "03-1234-5678"})
    with pytest.raises(ValidationError):
        services.approve_shop_change(actor=manager, change=change)
    services.reject_shop_change(actor=official, change=change, reason="電話番号を確認してください")
    shop.refresh_from_db()
    assert shop.phone == ""


def test_unpublished_shops_change_at_once_and_viewers_cannot(business):
    manager = member(business)
    viewer = member(business, Membership.Role.VIEWER)
    shop = ShopFactory(business=business)
    assert (
        services.submit_shop_change(actor=manager, shop=shop, data={"name_ja": "すぐ変わる"})
        is None
    )
    shop.refresh_from_db()
    assert shop.name_ja == "すぐ変わる"
    with pytest.raises(ValidationError):
        services.submit_shop_change(actor=viewer, shop=shop, data={"name_ja": "x"})
    with pytest.raises(ValidationError):
        services.publish_shop(actor=viewer, shop=shop)
    services.publish_shop(actor=manager, shop=shop)
    assert shop.is_published


def test_invalid_member_changes_are_refused_before_review(business):
    manager = member(business)
    shop = ShopFactory(business=business, published=True)
    with pytest.raises(ValidationError):
        services.submit_shop_change(
            actor=manager, shop=shop, data={"latitude": 35.7}
        )  # no longitude
    assert not ShopChangeRequest.objects.exists()


def test_merge_moves_every_link_and_is_recorded(official):
    keep = BusinessFactory(name="株式会社ヤマダ商店", phone="0339931111")
    dup = BusinessFactory(
        name="ヤマダ商店(株)", corporate_number=corporate_number(4242), phone="0339931111"
    )
    both = member(keep, Membership.Role.VIEWER)
    Membership.objects.create(
        user=both, organisation=dup.organisation, role=Membership.Role.REPRESENTATIVE
    )
    only_dup = member(dup)
    shop = ShopFactory(business=dup)
    street = StreetFactory(association=dup)
    services.record_timeline_event(business=dup, kind="seminar", title="創業セミナー受講")
    pairs = selectors.likely_duplicates()
    assert [(p.first.pk, p.second.pk) for p in pairs] == [(keep.pk, dup.pk)]
    assert set(pairs[0].reasons) == {"name", "phone"}

    record = services.merge_businesses(actor=official, survivor=keep, duplicate=dup)

    assert not Business.objects.filter(pk=dup.pk).exists()
    assert not Organisation.objects.filter(pk=dup.organisation_id).exists()
    shop.refresh_from_db()
    street.refresh_from_db()
    keep.refresh_from_db()
    assert shop.business == keep
    assert street.association == keep
    assert keep.corporate_number == corporate_number(4242)  # blank filled from the duplicate
    assert (
        Membership.objects.get(user=both, organisation=keep.organisation).role == "representative"
    )
    assert Membership.objects.filter(user=only_dup, organisation=keep.organisation).exists()
    assert TimelineEvent.objects.filter(business=keep, kind="seminar").exists()
    assert record.moved["directory.Shop.business"] == 1
    assert BusinessMerge.objects.get().merged_by == official
    assert LogEntry.objects.get_for_object(record).exists()


def test_merge_refuses_itself_and_non_officials(business, owner, official):
    with pytest.raises(ValidationError):
        services.merge_businesses(actor=official, survivor=business, duplicate=business)
    with pytest.raises(ValidationError):
        services.merge_businesses(actor=owner, survivor=business, duplicate=BusinessFactory())


def test_timeline_accepts_an_organisation_from_another_app(official):
    organisation = Organisation.objects.create(name="イベント参加団体")
    event = services.record_timeline_event(
        business=organisation, kind="event", title="参加", actor=official
    )
    assert event.business.organisation == organisation
    assert selectors.timeline_of(event.business) == [event]


def test_eligibility_facts_for_programmes(business):
    street = StreetFactory()
    ShopFactory(business=business, street=street, is_association_member=True)
    assert selectors.is_street_association_member(business, street)
    assert not selectors.is_street_association_member(BusinessFactory(), street)
    assert selectors.shops_in_city_streets(business).count() == 1
