"""Content people read in several languages (ja, en, zh-hans, zh-hant, ko; Japanese fallback)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.events.models import Event, Question, Series, Venue


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "address", "access")


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "fee_note")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "choices")
