"""Content fields people read in several languages (django-modeltranslation, fallback to ja)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.directory.models import Area, IndustryDivision, Photo, Shop, ShopCategory, ShoppingStreet


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)


@register(IndustryDivision)
class IndustryDivisionTranslation(TranslationOptions):
    fields = ("name",)


@register(ShopCategory)
class ShopCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(ShoppingStreet)
class ShoppingStreetTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Shop)
class ShopTranslation(TranslationOptions):
    fields = ("name", "description", "hours_note")


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption",)
