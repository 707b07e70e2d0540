"""Plan texts people read in five languages (ja is the source; the others fall back to it)."""

from modeltranslation.translator import TranslationOptions, register

from shoko.plan.models import ActionPlan, Baseline, Item, Measure, Strategy, Target, TargetRow


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title", "vision_target")


@register(Baseline)
class BaselineTranslation(TranslationOptions):
    fields = ("caption",)


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title", "work_so_far")


@register(Measure)
class MeasureTranslation(TranslationOptions):
    fields = ("title", "description", "divisions")


@register(Item)
class ItemTranslation(TranslationOptions):
    fields = ("goal", "description")


@register(TargetRow)
class TargetRowTranslation(TranslationOptions):
    fields = ("label",)


@register(Target)
class TargetTranslation(TranslationOptions):
    fields = ("text", "unit")
