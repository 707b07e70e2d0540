"""Forms for staff: manual actuals, target edits, the next plan period.

Numbers are typed by people, in full-width or half-width digits: both are accepted. The rules
themselves (no negatives, no future years, a note) live in ``services`` and are reported on the
field they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import FiscalYear
from shoko.core.templatetags.shoko import fy_label
from shoko.core.text import normalize_code
from shoko.plan import services
from shoko.plan.models import ActionPlan, TargetKind

NOT_A_NUMBER = _("整数で入力してください（全角数字も使えます）。")
BAD_SLUG = _("識別名は半角英小文字・数字・ハイフンで入力してください。")


class LooseIntegerField(forms.CharField):
    """An integer typed as people type it: ３, 3, " 3 ", -3 (negative numbers reach the service,
    which refuses them with its own message)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = normalize_code(super().to_python(value)).replace(",", "")
        if text == "":
            return None
        try:
            return int(text)
        except ValueError:
            raise forms.ValidationError(NOT_A_NUMBER, code="invalid") from None


def fiscal_year_choices(plan: ActionPlan) -> list[tuple[int, str]]:
    return [(fy.year, fy_label(fy)) for fy in plan.fiscal_years]


class ManualActualForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    value = LooseIntegerField(label=_("実績値"))
    continuing = LooseIntegerField(label=_("うち継続"), required=False)
    new = LooseIntegerField(label=_("うち新規"), required=False)
    note = forms.CharField(
        label=_("根拠・備考"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service refuses a blank note with its own message
        help_text=_("どの記録に基づく数値か、誰が確認したかを書いてください。"),
    )
    evidence = forms.FileField(
        label=_("根拠資料"),
        required=False,
        help_text=_("PDF、画像、Excel、Word、CSV、テキスト（任意）"),
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(plan)

    def breakdown(self) -> dict[str, int]:
        data = self.cleaned_data
        if data.get("continuing") is None and data.get("new") is None:
            return {}
        return {"continuing": data.get("continuing") or 0, "new": data.get("new") or 0}


class TargetForm(forms.Form):
    text_ja = forms.CharField(label=_("記載（日本語）"), max_length=300, required=False)
    text_en = forms.CharField(label=_("記載（英語）"), max_length=300, required=False)
    text_zh_hans = forms.CharField(label=_("記載（簡体字中国語）"), max_length=300, required=False)
    text_zh_hant = forms.CharField(label=_("記載（繁体字中国語）"), max_length=300, required=False)
    text_ko = forms.CharField(label=_("記載（韓国語）"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("目標の種類"), choices=TargetKind.choices)
    number = LooseIntegerField(label=_("数値"), required=False)
    continuing = LooseIntegerField(label=_("うち継続"), required=False)
    new = LooseIntegerField(label=_("うち新規"), required=False)

    def texts(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            lang: data.get(f"text_{lang.replace('-', '_')}") or "" for lang in services.LANGUAGES
        }

    breakdown = ManualActualForm.breakdown


class NextPeriodForm(forms.Form):
    slug = forms.SlugField(
        label=_("識別名"), max_length=80, help_text=_("例: nerima-2026（URLに使われます）")
    )
    first_fy = LooseIntegerField(label=_("開始年度（西暦）"))
    last_fy = LooseIntegerField(label=_("終了年度（西暦）"))
    title_ja = forms.CharField(label=_("計画名（日本語）"), max_length=200)
    title_en = forms.CharField(label=_("計画名（英語）"), max_length=200, required=False)

    def clean_slug(self) -> str:
        slug = normalize_code(self.cleaned_data["slug"]).lower()
        if not slug.replace("-", "").isalnum() or not slug.isascii():
            raise forms.ValidationError(BAD_SLUG)
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("first_fy", "last_fy"):
            value = data.get(name)
            if value is not None:
                try:
                    FiscalYear(value)
                except (TypeError, ValueError):
                    self.add_error(name, NOT_A_NUMBER)
        return data
