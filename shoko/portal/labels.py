"""Words visitors read for the directory's codes, in the portal's own catalogue, so that every
public page is complete in five languages whatever state other catalogues are in."""

from django.utils.translation import gettext_lazy as _

CONVENIENCES = (
    ("free_wifi", "wifi", _("無料Wi-Fi")),
    ("tax_free", "tax", _("免税対応")),
    ("step_free_entrance", "step", _("段差のない入口")),
    ("accessible_toilet", "toilet", _("車いす対応トイレ")),
)
PAYMENTS = {
    "cash": _("現金"),
    "credit_card": _("クレジットカード"),
    "emoney": _("電子マネー・交通系IC"),
    "qr": _("QRコード決済"),
}
LANGUAGES = {
    "ja": _("日本語"),
    "en": _("英語"),
    "zh-hans": _("中国語（簡体字）"),
    "zh-hant": _("中国語（繁体字）"),
    "ko": _("韓国語"),
    "fr": _("フランス語"),
    "es": _("スペイン語"),
    "vi": _("ベトナム語"),
    "th": _("タイ語"),
}
SPEAKING_LEVELS = {"greeting": _("あいさつ程度"), "conversation": _("日常会話")}
DIETARY = {
    "vegetarian": _("ベジタリアン対応"),
    "vegan": _("ヴィーガン対応"),
    "halal": _("ハラール対応"),
}
CONCEPTS = {
    "anime": _("アニメ"),
    "nature": _("自然"),
    "culture": _("文化"),
    "history": _("歴史"),
    "music": _("音楽"),
    "food": _("食"),
    "agriculture": _("都市農業"),
    "station_redevelopment": _("駅前再開発"),
}
KINDS = {"street": _("商店街"), "shop": _("お店"), "story": _("記事"), "event": _("イベント")}


def labels(codes, table):  # type: ignore[no-untyped-def]
    return [table.get(code, code) for code in codes]
