"""Template helpers of the public portal: content in the visitor's language with a visible note
when it falls back to Japanese, JSON-LD, Open Graph locales and language-prefixed paths."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

OG_LOCALES = {"ja": "ja_JP", "en": "en_US", "zh-hans": "zh_CN", "zh-hant": "zh_TW", "ko": "ko_KR"}
HREFLANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


@dataclass(frozen=True)
class Shown:
    """A translated field as shown: its text, the language it is really in, and the state of
    its translation (``machine``, ``human``, ``reviewed``; None when unknown)."""

    text: str
    language: str
    requested: str
    state: str | None

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.requested

    @property
    def is_machine(self) -> bool:
        return not self.is_fallback and self.state == "machine"

    @property
    def hreflang(self) -> str:
        return HREFLANG.get(self.language, self.language)

    def __str__(self) -> str:
        return self.text


def shown_field(obj: Any, name: str, language: str | None = None) -> Shown:
    language = language or get_language() or settings.LANGUAGE_CODE
    default = settings.LANGUAGE_CODE
    own = getattr(obj, f"{name}_{language.replace('-', '_')}", None) or ""
    states = getattr(obj, "translation_states", None) or {}
    if own:
        state = "human" if language == default else states.get(language)
        return Shown(own, language, language, state)
    original = getattr(obj, f"{name}_{default}", None) or ""
    return Shown(original, default, language, "human")


@register.simple_tag(takes_context=True)
def shown(context: dict[str, Any], obj: Any, name: str) -> Shown:
    """``{% shown shop "description" as description %}``"""
    return shown_field(obj, name)


@register.filter
def json_ld(data: Any) -> SafeString:
    """A ``<script type="application/ld+json">`` body, safe inside HTML (no ``</script>``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - every < > & is escaped above


@register.simple_tag
def og_locale() -> str:
    return OG_LOCALES.get(get_language() or settings.LANGUAGE_CODE, "ja_JP")


@register.simple_tag
def og_locale_alternates() -> list[str]:
    current = get_language() or settings.LANGUAGE_CODE
    return [v for k, v in OG_LOCALES.items() if k != current]


@register.filter
def localised(path: str) -> str:
    """A language-neutral path (``/shops/1/``) in the current language (``/en/shops/1/``)."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@register.simple_tag
def translation_note(value: Shown) -> str:
    """The visible note under content that is not in the visitor's language, or machine-made."""
    if value.is_fallback:
        return format_html(
            '<p class="translation-note">{}</p>',
            _("この内容はまだお使いの言語に翻訳されていません。日本語の原文を表示しています。"),
        )
    if value.is_machine:
        return format_html(
            '<p class="translation-note">{}</p>',
            _("この翻訳は機械翻訳の下書きです。正確な内容は日本語の原文をご覧ください。"),
        )
    return ""
