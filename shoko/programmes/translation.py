"""Content people read in several languages (django-modeltranslation, fallback to Japanese)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.programmes.models import (
    ExpenseCategory,
    FormQuestion,
    FormSection,
    Programme,
    RequiredDocument,
    RubricCriterion,
)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "configuration_note")


@register(ExpenseCategory)
class ExpenseCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(RequiredDocument)
class RequiredDocumentTranslation(TranslationOptions):
    fields = ("name", "help_text")


@register(FormSection)
class FormSectionTranslation(TranslationOptions):
    fields = ("title",)


@register(FormQuestion)
class FormQuestionTranslation(TranslationOptions):
    fields = ("label", "help_text", "choices")


@register(RubricCriterion)
class RubricCriterionTranslation(TranslationOptions):
    fields = ("name", "description")
