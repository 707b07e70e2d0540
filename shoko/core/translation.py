"""Names of translated model fields (django-modeltranslation): ``name`` → ``name_ja``, ``name_en``…

One helper instead of a copy per app: forms, serializers, exports and services ask here which
columns hold a field's translations.
"""

from __future__ import annotations

from django.conf import settings


def field_suffix(language: str) -> str:
    """The column suffix modeltranslation uses for a language code: ``zh-hans`` → ``zh_hans``."""
    return language.replace("-", "_")


def content_languages() -> tuple[str, ...]:
    """Every language model content is kept in (ja first: the source language)."""
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def translated_field_names(*names: str, languages: tuple[str, ...] | None = None) -> list[str]:
    """``translated_field_names("title", "body")`` → ``["title_ja", "title_en", …, "body_ko"]``.

    ``languages`` narrows the list (staff forms show ``settings.STAFF_LANGUAGES``).
    """
    wanted = content_languages() if languages is None else languages
    return [f"{name}_{field_suffix(lang)}" for name in names for lang in wanted]
