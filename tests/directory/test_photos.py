"""Owners and staff add photos with alt text; files are checked by what they are, not their name."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shoko.core.models import Membership
from shoko.directory.models import Photo
from tests.directory.conftest import member
from tests.directory.factories import BusinessFactory, ShopFactory, StreetFactory, VacantShopFactory

pytestmark = pytest.mark.django_db


def image_file(name="shopfront.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def add(client, kind, pk, upload, caption="八百屋の店先"):
    return client.post(
        reverse("directory:photo-add", args=[kind, pk]), {"image": upload, "caption": caption}
    )


def test_owner_adds_a_photo_to_their_shop_and_it_shows_with_its_alt_text(client, business, owner):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    response = add(client, "shop", shop.pk, image_file())
    assert response["Location"] == reverse("directory:my-shop", args=[shop.pk])
    photo = Photo.objects.get(shop=shop)
    assert photo.caption == "八百屋の店先"
    page = client.get(reverse("directory:my-shop", args=[shop.pk])).content.decode()
    assert f'src="{photo.image.url}" alt="八百屋の店先"' in page


def test_staff_add_photos_to_streets_and_vacant_shops(client, official):
    street, vacant = StreetFactory(), VacantShopFactory()
    client.force_login(official)
    add(client, "street", street.pk, image_file(fmt="PNG", name="street.png"))
    add(client, "vacant", vacant.pk, image_file())
    assert Photo.objects.filter(street=street).count() == 1
    assert Photo.objects.filter(vacant_shop=vacant).count() == 1
    page = client.get(reverse("directory:staff-street-detail", args=[street.pk])).content.decode()
    assert "写真を追加" in page


def test_a_text_file_named_jpg_is_refused(client, business, owner):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    fake = SimpleUploadedFile("menu.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = add(client, "shop", shop.pk, fake)
    assert Photo.objects.count() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("画像として読めません" in m for m in messages)


def test_a_photo_over_the_size_limit_is_refused_before_reading(client, business, owner, settings):
    settings.SHOKO_UPLOAD_MAX_BYTES = 1024
    shop = ShopFactory(business=business)
    client.force_login(owner)
    response = add(client, "shop", shop.pk, image_file(size=(400, 400)))
    assert Photo.objects.count() == 0
    assert any("大きすぎます" in str(m) for m in response.wsgi_request._messages)


def test_alt_text_is_required(client, business, owner):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    add(client, "shop", shop.pk, image_file(), caption="   ")
    assert Photo.objects.count() == 0


def test_message_in_english_for_an_english_speaking_owner(client, business, owner):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    fake = SimpleUploadedFile("a.png", b"plain text", content_type="image/png")
    response = client.post(
        "/en" + reverse("directory:photo-add", args=["shop", shop.pk]),
        {"image": fake, "caption": "front"},
    )
    assert any("image" in str(m).lower() for m in response.wsgi_request._messages)


def test_another_business_cannot_add_or_delete_photos(client, business, owner):
    other_shop = ShopFactory(business=BusinessFactory())
    client.force_login(owner)
    assert add(client, "shop", other_shop.pk, image_file()).status_code == 404
    photo = Photo.objects.create(shop=other_shop, image=image_file(), caption="他店")
    response = client.post(reverse("directory:photo-delete", args=[photo.pk]))
    assert response.status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()


@pytest.mark.parametrize("kind", ["street", "vacant"])
def test_business_members_cannot_touch_street_or_vacant_photos(client, business, owner, kind):
    subject = StreetFactory() if kind == "street" else VacantShopFactory()
    client.force_login(owner)
    assert add(client, kind, subject.pk, image_file()).status_code == 404


def test_read_only_member_cannot_add_photos(client, business):
    viewer = member(business, Membership.Role.VIEWER)
    shop = ShopFactory(business=business)
    client.force_login(viewer)
    add(client, "shop", shop.pk, image_file())
    assert Photo.objects.count() == 0


def test_owner_deletes_a_photo_and_its_file(client, business, owner):
    shop = ShopFactory(business=business)
    client.force_login(owner)
    add(client, "shop", shop.pk, image_file())
    photo = Photo.objects.get()
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(reverse("directory:photo-delete", args=[photo.pk]))
    assert not Photo.objects.exists()
    assert not storage.exists(name)


def test_unknown_photo_kind_is_404(client, official):
    client.force_login(official)
    assert add(client, "planet", 1, image_file()).status_code == 404
