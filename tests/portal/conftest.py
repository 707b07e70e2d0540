import pytest
from django.utils import timezone

from shoko.core.models import Membership
from shoko.directory.models import Business
from tests.directory.factories import BusinessFactory, ShopFactory, StreetFactory
from tests.factories import MembershipFactory, user_with_role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def street(db):
    return StreetFactory(
        name_ja="石神井公園西友通り商店会",
        name_en="Shakujii-koen Seiyu-dori Shopping Street",
        name_kana="しゃくじいこうえんせいゆうどおりしょうてんかい",
        description_ja="石神井公園駅の近くの商店街です。",
        nearest_stations="石神井公園駅",
        concepts=["nature"],
    )


@pytest.fixture
def ramen_shop(street):
    shop = ShopFactory(
        street=street,
        name_ja="ラーメン 一番星",
        name_en="Ramen Ichibanboshi",
        name_ko="라멘 이치반보시",
        name_kana="らーめんいちばんぼし",
        description_ja="煮干しのスープが自慢です。",
        opening_hours="月-土 11:00-15:00,17:00-22:00; 祝 休",
        payment_methods=["cash", "qr"],
        menu_languages=["ja", "en"],
        spoken_languages={"en": "greeting"},
        free_wifi=True,
        tax_free=True,
        phone="0339931111",
        address="東京都練馬区石神井町3-1-1",
        postal_code="1770041",
        latitude="35.743900",
        longitude="139.607200",
        translation_states={"en": "human", "ko": "machine"},
    )
    shop.published_at = timezone.now()
    shop.save()
    return shop


@pytest.fixture
def association(street):
    """The street's association (a Business of legal form association) and its member."""
    business = BusinessFactory(
        name="石神井商店会（団体）", legal_form=Business.LegalForm.ASSOCIATION
    )
    street.association = business
    street.save()
    user = user_with_role("business_member")
    MembershipFactory(
        user=user, organisation=business.organisation, role=Membership.Role.REPRESENTATIVE
    )
    return business.organisation, user
