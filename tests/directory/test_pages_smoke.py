"""Every staff and portal page of the directory opens for the people it is for."""

import pytest
from django.urls import reverse

from tests.directory.factories import ShopFactory, VacantShopFactory

pytestmark = pytest.mark.django_db


def test_staff_pages_open(client, official):
    shop = ShopFactory()
    vacant = VacantShopFactory(street=shop.street)
    client.force_login(official)
    for name, args in [
        ("staff-business-list", []),
        ("staff-business-new", []),
        ("staff-business-detail", [shop.business.pk]),
        ("staff-business-edit", [shop.business.pk]),
        ("staff-duplicates", []),
        ("staff-street-list", []),
        ("staff-street-new", []),
        ("staff-street-detail", [shop.street.pk]),
        ("staff-street-edit", [shop.street.pk]),
        ("staff-shop-list", []),
        ("staff-shop-new", []),
        ("staff-shop-detail", [shop.pk]),
        ("staff-shop-edit", [shop.pk]),
        ("staff-changes", []),
        ("staff-vacant-list", []),
        ("staff-vacant-new", []),
        ("staff-vacant-edit", [vacant.pk]),
        ("staff-map", []),
        ("staff-map-data", []),
        ("staff-import", []),
    ]:
        response = client.get(reverse(f"directory:{name}", args=args))
        assert response.status_code == 200, name


def test_portal_pages_open_for_the_owner(client, owner, business):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    for name, args in [
        ("my-business-list", []),
        ("my-business", [business.pk]),
        ("my-business-edit", [business.pk]),
        ("my-shop", [shop.pk]),
        ("my-shop-edit", [shop.pk]),
        ("my-shop-new", [business.pk]),
    ]:
        response = client.get(reverse(f"directory:{name}", args=args))
        assert response.status_code == 200, name
