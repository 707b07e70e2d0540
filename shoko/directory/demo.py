"""Demo data: Nerima's shopping streets (names and approximate places from
``data/directory/demo_streets.yaml``), generated businesses, shops and vacant shops, and the
demo shop owner's business with a few members. ``generate_shops`` fills a database for
benchmarks with bulk inserts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from shoko.core.demo import DEMO_ORGANISATION, DEMO_PASSWORD
from shoko.core.models import Membership, Organisation, User
from shoko.core.roles import Role
from shoko.core.text import fold_for_search
from shoko.directory import records, reference, selectors, services
from shoko.directory.models import (
    Area,
    Business,
    OpeningPeriod,
    Shop,
    ShopCategory,
    ShoppingStreet,
    VacantShop,
)

DEMO_MARK = "（デモ）"
SHOP_NAMES = [
    # (ja, en, zh-hans, ko, category)
    ("ねりま食堂", "Nerima Diner", "练马食堂", "네리마 식당", "restaurant"),
    ("喫茶こもれび", "Café Komorebi", "木漏日咖啡", "카페 코모레비", "cafe"),
    ("大根屋", "Daikon-ya Greengrocer", "萝卜屋蔬果店", "다이콘야 채소가게", "grocery"),
    ("和菓子 さくら堂", "Sakura-do Japanese Sweets", "樱堂和果子", "사쿠라도 화과자", "sweets"),
    ("ベーカリー石窯", "Ishigama Bakery", "石窑面包房", "이시가마 베이커리", "sweets"),
    ("古書 みどり書房", "Midori Used Books", "绿书房旧书店", "미도리 헌책방", "culture"),
    (
        "アニメ雑貨 ねりまっく",
        "Nerimac Anime Goods",
        "练马动漫杂货",
        "네리맥 애니메이션 잡화",
        "goods",
    ),
    ("理容 いとう", "Ito Barber", "伊藤理发店", "이토 이발소", "beauty"),
    ("ラーメン 一番星", "Ramen Ichibanboshi", "一番星拉面", "라멘 이치반보시", "restaurant"),
    ("肉の まるやま", "Maruyama Butcher", "丸山肉店", "마루야마 정육점", "grocery"),
    ("花屋 はなまる", "Hanamaru Florist", "花丸花店", "하나마루 꽃집", "goods"),
    ("ぶどう酒場 せき", "Seki Wine Bar", "关葡萄酒吧", "세키 와인바", "restaurant"),
]
OWNERS = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
HOURS = [
    "月-土 10:00-19:00; 祝 休",
    "火-日 11:00-15:00,17:00-22:00",
    "月-金 07:30-18:00; 土 08:00-17:00",
    "水-月 18:00-02:00",
    "月-日 09:00-20:00",
]


def _street_records(progress: Callable[[str], None]) -> list[ShoppingStreet]:
    areas = {a.code: a for a in Area.objects.all()}
    streets = []
    for row in reference.read("demo_streets.yaml"):
        association = Business.objects.filter(
            name=row["ja"].replace("商店会", "商店会（団体）")
        ).first()
        street = ShoppingStreet.objects.filter(name_ja=row["ja"]).first()
        data = {
            "name_ja": row["ja"],
            "name_en": row["en"],
            "name_kana": row["kana"],
            "area": areas.get(row["area"]),
            "nearest_stations": row["stations"],
            "latitude": Decimal(str(row["lat"])),
            "longitude": Decimal(str(row["lon"])),
            "concepts": row["concepts"],
            "description_ja": f"{row['stations']}の近くの商店街です。",
            "description_en": f"A shopping street near {row['en'].split(' ')[0]}.",
            "translation_states": {"en": "machine"},
        }
        if street is None:
            if association is None and row.get("verified"):
                association = services.create_business(
                    actor=None,
                    data={
                        "name": row["ja"].replace("商店会", "商店会（団体）"),
                        "legal_form": Business.LegalForm.ASSOCIATION,
                        "address": f"東京都練馬区（{row['stations']}付近）",
                    },
                )
            data["association"] = association
            street = services.create_street(actor=None, data=data)
        streets.append(street)
    progress(f"  {len(streets)} shopping streets")
    return streets


def _demo_owner_business(streets: list[ShoppingStreet], progress: Callable[[str], None]) -> None:
    organisation = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if organisation is None:
        return
    business = services.business_for_organisation(organisation)
    if not business.address:
        services.update_business(
            actor=None,
            business=business,
            data={
                "legal_form": Business.LegalForm.SOLE_PROPRIETOR,
                "postal_code": "1760001",
                "address": "東京都練馬区練馬1-17-1",
                "phone": "0339931111",
                "industry": selectors.resolve_industry("76"),
                "is_startup": True,
                "founded_on": dt.date(2024, 4, 1),
                "startup_since": dt.date(2024, 4, 1),
            },
        )
    if not business.shops.exists():
        shop = services.create_shop(
            actor=None,
            data={
                "business": business,
                "street": streets[0],
                "is_association_member": True,
                "name_ja": "練馬デモ食堂",
                "name_en": "Nerima Demo Diner",
                "name_kana": "ねりまでもしょくどう",
                "description_ja": "練馬大根を使った定食の店です。",
                "description_en": "Set meals with Nerima daikon radish.",
                "category": ShopCategory.objects.filter(code="restaurant").first(),
                "postal_code": "1760001",
                "address": "東京都練馬区練馬1-17-1",
                "latitude": Decimal("35.7376"),
                "longitude": Decimal("139.6536"),
                "opening_hours": HOURS[1],
                "payment_methods": ["cash", "qr", "emoney"],
                "menu_languages": ["ja", "en"],
                "spoken_languages": {"en": "greeting"},
                "free_wifi": True,
                "conveniences_verified_on": timezone.localdate(),
                "translation_states": {"en": "human"},
            },
        )
        shop.published_at = timezone.now()
        shop.save(update_fields=["published_at"])
    for email, name, role in (
        ("staff1@demo.shoko.example", "練馬 店員", Membership.Role.MANAGER),
        ("viewer@demo.shoko.example", "練馬 会計", Membership.Role.VIEWER),
    ):
        if not User.objects.filter(email=email).exists():
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            user.groups.add(Group.objects.get(name=Role.BUSINESS_MEMBER.value))
            Membership.objects.create(user=user, organisation=organisation, role=role)
    services.record_timeline_event(business=business, kind="demo", title="デモデータを作成しました")
    progress(f"  demo owner's business: {business.name}")


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    """Idempotent: streets by name, generated shops only when the street has none."""
    streets = _street_records(progress)
    _demo_owner_business(streets, progress)
    if Shop.objects.filter(business__name__endswith=DEMO_MARK).exists():
        progress("  generated shops already present")
        return
    made = generate_shops(
        4 * len(streets),
        progress=progress,
        streets=streets,
        rng=random.Random(13),  # noqa: S311
    )
    vacant = []
    for i, street in enumerate(streets[::2]):
        vacant.append(
            VacantShop(
                street=street,
                postal_code="1760001",
                address=f"東京都練馬区練馬{i + 1}-{i + 2}-{i + 3}",
                building=f"第{i + 1}ビル 1階",
                floor="1階",
                floor_area_m2=Decimal("33.50") + i,
                rent_yen=150000 + i * 10000,
                deposit_yen=900000,
                former_use="飲食店",
                status=VacantShop.Status.AVAILABLE if i % 3 else VacantShop.Status.NEGOTIATING,
                latitude=street.latitude + Decimal("0.0004"),
                longitude=street.longitude - Decimal("0.0004"),
                owner_name=f"{OWNERS[i % len(OWNERS)]}不動産",
                owner_contact="03-0000-0000",
            )
        )
    for v in vacant:
        v.address_key = records.address_key(v.postal_code, v.address, v.building)
    VacantShop.objects.bulk_create(vacant)
    progress(f"  {made} shops, {len(vacant)} vacant shops")


def generate_shops(
    count: int,
    *,
    progress: Callable[[str], None] | None = None,
    streets: list[ShoppingStreet] | None = None,
    rng: random.Random | None = None,
    batch: int = 2000,
) -> int:
    """Create ``count`` shops (and one business per two shops) with bulk inserts."""
    rng = rng or random.Random(42)  # noqa: S311
    streets = streets or list(ShoppingStreet.objects.all())
    categories = {c.code: c for c in ShopCategory.objects.all()}
    made = 0
    start = Business.objects.count()
    while made < count:
        n = min(batch, count - made)
        n_businesses = max(1, n // 2)
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"{OWNERS[(start + i) % 10]}商店{start + i}{DEMO_MARK}")
            for i in range(n_businesses)
        )
        businesses = []
        for i, org in enumerate(orgs):
            b = Business(
                organisation=org,
                name=org.name,
                name_kana=f"ショウテン{start + i}",
                legal_form=Business.LegalForm.SOLE_PROPRIETOR
                if i % 3
                else Business.LegalForm.CORPORATION,
                postal_code="1760001",
                address=f"東京都練馬区練馬{1 + i % 4}-{1 + i % 30}-{1 + i % 20}",
                phone=f"03{rng.randrange(10**7, 10**8)}",
            )
            services.refresh_business_keys(b)
            businesses.append(b)
        businesses = Business.objects.bulk_create(businesses)
        shops = []
        for i in range(n):
            ja, en, zh, ko, cat = SHOP_NAMES[(made + i) % len(SHOP_NAMES)]
            street = streets[(made + i) % len(streets)] if streets else None
            number = made + i + 1
            shop = Shop(
                business=businesses[i // 2 % len(businesses)],
                street=street,
                is_association_member=rng.random() < 0.7,
                name_ja=f"{ja} {number}号店",
                name_en=f"{en} #{number}",
                name_zh_hans=f"{zh} {number}号店",
                name_ko=f"{ko} {number}호점",
                name_kana=f"てん{number}",
                description_ja=f"{ja}は地域に愛される店です。",
                category=categories.get(cat),
                address=f"東京都練馬区練馬{1 + number % 4}-{1 + number % 30}-{1 + number % 20}",
                postal_code="1760001",
                latitude=(street.latitude + Decimal(rng.randrange(-15, 15)) / 10000)
                if street and street.latitude
                else None,
                longitude=(street.longitude + Decimal(rng.randrange(-15, 15)) / 10000)
                if street and street.longitude
                else None,
                payment_methods=rng.sample(
                    ["cash", "credit_card", "emoney", "qr"], rng.randint(1, 4)
                ),
                menu_languages=["ja", "en"] if rng.random() < 0.4 else ["ja"],
                spoken_languages={"en": "greeting"} if rng.random() < 0.3 else {},
                tax_free=rng.random() < 0.1,
                free_wifi=rng.random() < 0.4,
                step_free_entrance=rng.random() < 0.5,
                accessible_toilet=rng.random() < 0.1,
                conveniences_verified_on=dt.date(2026, 4, 1),
                published_at=timezone.now() if rng.random() < 0.6 else None,
                translation_states={"en": "machine", "zh-hans": "machine", "ko": "machine"},
            )
            shop.name = shop.name_ja
            shop.name_key = "".join(fold_for_search(shop.name_ja).split())
            shop.search_text = fold_for_search(
                " ".join(
                    [
                        shop.name_ja,
                        shop.name_en,
                        shop.name_zh_hans,
                        shop.name_ko,
                        shop.name_kana,
                        shop.address,
                    ]
                )
            )
            shops.append(shop)
        shops = Shop.objects.bulk_create(shops)
        periods = []
        for shop in shops:
            weekly = services.hours_mod.parse_weekly(HOURS[shop.pk % len(HOURS)])
            periods.extend(
                OpeningPeriod(shop=shop, day=day, opens=r.opens, closes=r.closes)
                for day, ranges in weekly.days.items()
                for r in ranges
            )
        OpeningPeriod.objects.bulk_create(periods, batch_size=5000)
        made += n
        start += n_businesses
        if progress:
            progress(f"  shops {made}/{count}")
    return made


__all__ = ["generate_shops", "seed"]
