"""Content people read in several languages (ja, en, zh-hans, zh-hant, ko; Japanese fallback)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.contests.models import (
    Award,
    AwardWinner,
    Call,
    Category,
    ChecklistItem,
    Criterion,
    Declaration,
    Round,
)


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "organiser", "contact")


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description", "task_brief")


@register(Declaration)
class DeclarationTranslation(TranslationOptions):
    fields = ("text",)


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    fields = ("label",)


@register(Round)
class RoundTranslation(TranslationOptions):
    fields = ("name",)


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Award)
class AwardTranslation(TranslationOptions):
    fields = ("name",)


@register(AwardWinner)
class AwardWinnerTranslation(TranslationOptions):
    fields = ("jury_comment",)
