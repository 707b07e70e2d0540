"""Factories for the directory: businesses come with their core organisation, through services."""

from __future__ import annotations

import factory
from django.utils import timezone

from shoko.core.validators import corporate_number_check_digit
from shoko.directory import services
from shoko.directory.models import Area, Business, Shop, ShopCategory, ShoppingStreet, VacantShop


def corporate_number(base: int) -> str:
    base12 = f"{base:012d}"
    return f"{corporate_number_check_digit(base12)}{base12}"


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"株式会社テスト商事{n}")
    name_kana = factory.Sequence(lambda n: f"テストショウジ{n}")
    legal_form = Business.LegalForm.CORPORATION
    postal_code = "1768501"
    address = factory.Sequence(lambda n: f"東京都練馬区豊玉北6-{n}-1")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_business(actor=None, data=kwargs)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShoppingStreet

    name_ja = factory.Sequence(lambda n: f"テスト商店会{n}")
    area = factory.LazyFunction(lambda: Area.objects.get(code="nerima"))
    latitude = "35.737300"
    longitude = "139.654000"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_street(actor=None, data=kwargs)


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    business = factory.SubFactory(BusinessFactory)
    street = factory.SubFactory(StreetFactory)
    name_ja = factory.Sequence(lambda n: f"テスト食堂{n}")
    category = factory.LazyFunction(lambda: ShopCategory.objects.get(code="restaurant"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        published = kwargs.pop("published", False)
        shop = services.create_shop(actor=None, data=kwargs)
        if published:
            shop.published_at = timezone.now()
            shop.save(update_fields=["published_at"])
        return shop


class VacantShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacantShop

    street = factory.SubFactory(StreetFactory)
    address = factory.Sequence(lambda n: f"東京都練馬区練馬1-{n}-1")
    rent_yen = 150000

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_vacant_shop(actor=None, data=kwargs)
