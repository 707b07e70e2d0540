"""Demo data of the portal: stories in several languages about the directory's demo streets and
shops, with their translation states; a street association's member with a draft in review;
then the search index rebuilt (the directory's generated shops bypass signals)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from shoko.core.demo import DEMO_PASSWORD
from shoko.core.models import Membership, User
from shoko.core.roles import Role
from shoko.directory.models import Shop, ShoppingStreet
from shoko.portal import services
from shoko.portal.indexing import rebuild
from shoko.portal.models import Story

STREET_MEMBER_EMAIL = "street@demo.shoko.example"

STORIES: list[dict[str, Any]] = [
    {
        "street": "石神井公園西友通り商店会",
        "title_kana": "しゃくじいこうえんのみずべをあるく",
        "title_ja": "石神井公園の水辺から商店街へ",
        "title_en": "From the ponds of Shakujii Park to its shopping street",
        "title_ko": "샤쿠지이 공원의 물가에서 상점가로",
        "title_zh_hans": "从石神井公园的水边走进商店街",
        "summary_ja": "池のまわりを歩いたあとは、駅前の商店街でひと休み。",
        "summary_en": "After a walk round the ponds, take a break on the street by the station.",
        "summary_ko": "연못을 산책한 뒤에는 역 앞 상점가에서 잠시 쉬어 가세요.",
        "summary_zh_hans": "绕池塘散步之后，在车站前的商店街歇一歇。",
        "body_ja": "石神井公園駅を出ると、公園へ続く道に小さな店が並びます。\n"
        "朝は八百屋とパン屋、昼は定食屋、夕方は和菓子を求める人でにぎわいます。",
        "body_en": "Leaving Shakujii-koen station, small shops line the road to the park.\n"
        "Greengrocers and bakers in the morning, set-meal diners at noon, and Japanese sweets "
        "in the evening.",
        "body_ko": "샤쿠지이코엔 역을 나서면 공원으로 이어지는 길에 작은 가게들이 늘어서 있습니다.",
        "body_zh_hans": "走出石神井公园站，通往公园的路上排列着小店。",
        "states": {"en": "human", "ko": "machine", "zh-hans": "reviewed"},
        "keywords": "shakujii park 公園 pond",
        "featured": True,
    },
    {
        "street": "江古田ゆうゆうロード商店会",
        "title_kana": "えこだのおんがくとふるほん",
        "title_ja": "江古田、音楽と古本のまち",
        "title_en": "Ekoda: a town of music and second-hand books",
        "summary_ja": "大学のまちの商店街には、ライブハウスと古本屋が似合います。",
        "summary_en": "A college-town street where live houses and used bookshops belong.",
        "body_ja": "江古田駅の周りには三つの大学があり、学生と地元の人が同じ店に通います。",
        "body_en": "Three universities surround Ekoda station, and students and locals share "
        "the same shops.",
        "states": {"en": "reviewed"},
        "keywords": "ekoda music books",
        "featured": True,
    },
    {
        "shop_prefix": "ラーメン 一番星",
        "title_kana": "らーめんいちばんぼし",
        "title_ja": "一番星のラーメン、煮干しの香り",
        "title_en": "Ichibanboshi's ramen and its dried-sardine broth",
        "title_zh_hant": "一番星拉麵，小魚乾的香氣",
        "summary_ja": "朝から煮干しでとるスープ。英語のメニューもあります。",
        "summary_en": "A broth simmered from dried sardines since morning. English menu available.",
        "summary_zh_hant": "從早上開始熬煮的小魚乾湯頭，也有英文菜單。",
        "body_ja": "店主は毎朝六時に店に入り、煮干しと昆布でスープをとります。",
        "body_en": "The owner arrives at six every morning to make the broth from dried "
        "sardines and kelp.",
        "body_zh_hant": "店主每天早上六點進店，用小魚乾和昆布熬湯。",
        "states": {"en": "human", "zh-hant": "machine"},
        "keywords": "ramen noodles 拉麵 라멘",
    },
    {
        "street": "学芸大前通り商店会",
        "title_kana": "おおいずみあにめのまち",
        "title_ja": "大泉学園、アニメのふるさと",
        "summary_ja": "日本のアニメーションが生まれたまちで、キャラクターに出会う散歩。",
        "body_ja": "大泉学園には日本初の長編カラーアニメを作ったスタジオがあります。"
        "商店街では季節ごとにアニメのイベントが開かれます。",
        "states": {},
        "keywords": "anime oizumi",
    },
    {
        "shop_name": "練馬デモ食堂",
        "title_kana": "ねりまだいこんのていしょく",
        "title_ja": "練馬大根の定食を食べに",
        "title_en": "Lunch with Nerima daikon",
        "title_ko": "네리마 무 정식을 먹으러",
        "summary_ja": "練馬の名産、練馬大根を使った日替わり定食。",
        "summary_en": "Daily set meals with Nerima's own daikon radish.",
        "summary_ko": "네리마 특산 무를 사용한 오늘의 정식.",
        "body_ja": "冬になると、店の前に練馬大根が並びます。煮物、漬物、みそ汁でどうぞ。",
        "body_en": "In winter, Nerima daikon lines the front of the shop: simmered, pickled "
        "and in miso soup.",
        "body_ko": "겨울이 되면 가게 앞에 네리마 무가 놓입니다.",
        "states": {"en": "human", "ko": "machine"},
        "keywords": "daikon radish teishoku",
    },
]


def _street(name: str) -> ShoppingStreet | None:
    return ShoppingStreet.objects.filter(name_ja=name).first()


def _street_member(progress: Callable[[str], None]) -> tuple[User, Any] | None:
    """A member of the first demo street association, who writes a draft."""
    street = ShoppingStreet.objects.filter(association__isnull=False).order_by("pk").first()
    if street is None:
        return None
    organisation = street.association.organisation
    user = User.objects.filter(email=STREET_MEMBER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=STREET_MEMBER_EMAIL, password=DEMO_PASSWORD, full_name="練馬 商店会"
        )
        user.groups.add(Group.objects.get(name=Role.BUSINESS_MEMBER.value))
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.REPRESENTATIVE}
    )
    progress(f"  street association member: {STREET_MEMBER_EMAIL} ({organisation.name})")
    return user, organisation


@transaction.atomic
def _stories(progress: Callable[[str], None]) -> None:
    editor = User.objects.filter(email="commerce@demo.shoko.example").first()
    if editor is None or Story.objects.exists():
        progress("  stories already present")
        return
    made = 0
    for spec in STORIES:
        data = {k: v for k, v in spec.items() if k.startswith(("title", "summary", "body"))}
        data["keywords"] = spec.get("keywords", "")
        data["is_featured"] = spec.get("featured", False)
        data["byline"] = "練馬区 商工観光課"
        if "street" in spec:
            data["street"] = _street(spec["street"])
        if "shop_prefix" in spec:
            shop = (
                Shop.objects.filter(
                    name_ja__startswith=spec["shop_prefix"], published_at__isnull=False
                )
                .order_by("pk")
                .first()
            )
            data["shop"], data["street"] = shop, shop.street if shop else None
        if "shop_name" in spec:
            shop = Shop.objects.filter(name_ja=spec["shop_name"]).first()
            data["shop"], data["street"] = shop, shop.street if shop else None
        story = services.create_story(actor=editor, data=data)
        services.publish_story(actor=editor, story=story)
        if spec["states"]:
            services.set_translation_states(actor=editor, record=story, states=spec["states"])
        made += 1
    member = _street_member(progress)
    if member is not None:
        user, organisation = member
        streets = services.association_streets(organisation)
        if streets:
            draft = services.create_story(
                actor=user,
                organisation=organisation,
                data={
                    "title_ja": f"{streets[0].name_ja}の夏まつり",
                    "title_kana": "なつまつり",
                    "body_ja": "今年も七月の土曜日に夏まつりを開きます。"
                    "屋台と盆踊りにお越しください。",
                    "street": streets[0],
                    "byline": organisation.name,
                },
            )
            services.submit_story(actor=user, story=draft)
            made += 1
    progress(f"  {made} stories")


def seed(progress: Callable[[str], None]) -> None:
    _stories(progress)
    counts = rebuild(progress=progress)
    progress("  search index: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
