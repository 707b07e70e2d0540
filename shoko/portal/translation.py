"""Story content read in five languages (django-modeltranslation, fallback to Japanese)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.portal.models import Story


@register(Story)
class StoryTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "cover_alt")
