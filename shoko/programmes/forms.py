"""Forms for the portal and the back office. They only read and tidy input; services validate
and save, and their errors are put back on the form (``attach_errors``)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core.forms import attach_errors
from shoko.core.japan import FiscalYear
from shoko.core.translation import translated_field_names
from shoko.directory.models import VacantShop
from shoko.programmes.models import (
    Application,
    ExpenseCategory,
    FileKind,
    FormQuestion,
    FormSection,
    Programme,
    QuestionKind,
    RequiredDocument,
    RubricCriterion,
    Status,
    Subject,
    translated_choice_lines,
)
from shoko.programmes.money import parse_amount

__all__ = ["attach_errors"]

AMOUNT_HELP = _("全角数字・カンマ・円・¥ も使えます（例: 1,200,000円）。")
RULES_JSON_MESSAGE = _("JSON として読み取れません: %(error)s")


def amount_field(label: Any, *, required: bool = True) -> forms.CharField:
    """Amounts are typed as text (全角, カンマ, 円) and parsed by the services."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=AMOUNT_HELP,
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"


# --- Applicant side -------------------------------------------------------------------------------


class ApplicationForm(forms.ModelForm):
    """The application's own fields; which record it is about depends on the programme."""

    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "shop",
            "street",
            "vacant_shop",
            "planned_start",
            "planned_end",
            "applicant_name",
            "representative_name",
            "postal_code",
            "address",
            "phone",
            "email",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        application: Application = self.instance
        programme = application.programme
        business = application.business
        self.fields["shop"].queryset = business.shops.select_related("street")
        self.fields["street"].queryset = business.associated_streets.all()
        self.fields["vacant_shop"].queryset = VacantShop.objects.exclude(
            status=VacantShop.Status.WITHDRAWN
        ).select_related("street")
        keep = {
            Subject.SHOP: "shop",
            Subject.STREET: "street",
            Subject.VACANT_SHOP: "vacant_shop",
        }.get(Subject(programme.subject))
        for name in ("shop", "street", "vacant_shop"):
            if name != keep:
                del self.fields[name]
        for name in ("postal_code", "phone"):
            # Full-width digits and hyphens are welcome: services normalise them.
            self.fields[name].max_length = 30
            self.fields[name].widget.attrs["maxlength"] = 30
            self.fields[name].validators = []
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        for name in ("title", "applicant_name"):
            self.fields[name].required = False  # checked on submission, not on saving a draft

    def _post_clean(self) -> None:
        pass  # services validate the record

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ExpenseLineForm(forms.Form):
    category = forms.ChoiceField(label=_("経費区分"), required=False)
    description = forms.CharField(label=_("内容"), max_length=200, required=False)
    amount = amount_field(_("金額（円・税抜）"), required=False)

    def __init__(self, *args: Any, categories: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *categories]
        self.fields["amount"].help_text = ""


ExpenseFormSet = forms.formset_factory(ExpenseLineForm, extra=2, max_num=30, validate_max=True)


def expense_formset(
    programme: Programme, *, data: Any = None, lines: list[Any] | None = None, prefix: str = "exp"
) -> forms.BaseFormSet:
    categories = [(c.code, str(c.name)) for c in programme.expense_categories.all()]
    initial = [
        {
            "category": line.category.code,
            "description": line.description,
            "amount": f"{line.amount_yen:,}",
        }
        for line in (lines or [])
    ]
    return ExpenseFormSet(
        data, initial=initial, prefix=prefix, form_kwargs={"categories": categories}
    )


EXPENSE_KEYS = ("category", "description", "amount")


def expenses_from(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    rows = [f.cleaned_data for f in formset.forms if f.is_valid()]
    return [
        {key: row.get(key) for key in EXPENSE_KEYS}
        for row in rows
        if any(row.get(key) for key in EXPENSE_KEYS)
    ]


class AnswersForm(forms.Form):
    """The programme's extra questions, typed by kind; values are checked by services."""

    def __init__(self, *args: Any, questions: list[FormQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections: list[tuple[Any, list[str]]] = []
        current = None
        for question in questions:
            name = f"answer_{question.code}"
            self.fields[name] = self._field(question)
            if current is None or current[0] != question.section:
                current = (question.section, [])
                self.sections.append(current)
            current[1].append(name)

    @staticmethod
    def _field(question: FormQuestion) -> forms.Field:
        common = {
            "label": question.label,
            "required": False,  # required answers are asked for on submission
            "help_text": question.help_text,
        }
        kind = question.kind
        if kind == QuestionKind.TEXTAREA:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        if kind in (QuestionKind.INTEGER, QuestionKind.YEN):
            return forms.CharField(max_length=40, **common)
        if kind == QuestionKind.DATE:
            return forms.CharField(max_length=40, widget=DateInput(), **common)
        if kind == QuestionKind.CHOICE:
            base = [line.strip() for line in question.choices_ja.splitlines() if line.strip()]
            local = translated_choice_lines(question)
            return forms.ChoiceField(
                choices=list(zip(base, local, strict=True)), widget=forms.RadioSelect, **common
            )
        if kind == QuestionKind.YES_NO:
            return forms.ChoiceField(
                choices=[("yes", _("はい")), ("no", _("いいえ"))],
                widget=forms.RadioSelect,
                **common,
            )
        return forms.CharField(max_length=400, **common)

    def answers(self) -> dict[str, Any]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class UploadForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("ファイル"))


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("実施結果"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    requested = amount_field(_("請求額（空欄なら規則による額）"), required=False)


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("理由・コメント"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    amount = amount_field(_("金額"), required=False)
    date = forms.DateField(label=_("日付"), required=False, widget=DateInput())


# --- Staff side -----------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("事業"), queryset=Programme.objects.all(), required=False, empty_label=_("すべて")
    )
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    status = forms.ChoiceField(label=_("状態"), required=False)
    assigned = forms.ChoiceField(
        label=_("担当"),
        required=False,
        choices=[("", _("すべて")), ("me", _("自分")), ("none", _("未割当"))],
    )
    q = forms.CharField(label=_("申請番号・名称・申請者"), required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("すべて"))] + [
            (year, FiscalYear(year).label("ja", with_western=True)) for year in years
        ]
        self.fields["status"].choices = [
            ("", _("下書き以外")),
            ("waiting", _("職員の対応待ち")),
            *Status.choices,
        ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("担当者"), queryset=None, required=False, empty_label=_("（未割当）")
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class DocumentRequestForm(forms.Form):
    requirement = forms.ModelChoiceField(
        label=_("書類"),
        queryset=RequiredDocument.objects.none(),
        required=False,
        empty_label=_("（書類を特定しない）"),
    )
    message = forms.CharField(label=_("依頼内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = programme.required_documents.all()


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("所見"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.CharField(
                label=f"{criterion.name}（0〜{criterion.max_score}、×{criterion.weight}）",
                max_length=3,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}),
            )

    def scores(self) -> dict[str, str]:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_")
        }


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("利害関係の内容"), max_length=300, required=False)


class ProgrammeForm(forms.ModelForm):
    """The programme's definition as staff edit it (the rest lives in the admin)."""

    eligibility_rules_text = forms.CharField(
        label=_("申請資格（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    cap_text = amount_field(_("補助上限額（円）"), required=False)
    minimum_text = amount_field(_("補助対象経費の下限（円）"), required=False)

    class Meta:
        model = Programme
        fields = [
            "name_ja",
            "name_en",
            "summary_ja",
            "summary_en",
            "description_ja",
            "description_en",
            "configuration_note_ja",
            "configuration_note_en",
            "plan_item",
            "division",
            "subject",
            "rate_numerator",
            "rate_denominator",
            "rounding_unit",
            "rounding",
            "report_due_days",
            "notice_prefix",
            "is_published",
            "order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance
        self.fields["eligibility_rules_text"].initial = json.dumps(
            programme.eligibility_rules, ensure_ascii=False
        )
        self.fields["cap_text"].initial = f"{programme.cap_yen:,}" if programme.cap_yen else ""
        self.fields["minimum_text"].initial = f"{programme.minimum_expense_yen:,}"

    def _post_clean(self) -> None:
        pass

    def clean_eligibility_rules_text(self) -> Any:
        text = self.cleaned_data["eligibility_rules_text"].strip() or "[]"
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(RULES_JSON_MESSAGE, params={"error": error.msg}) from error

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["eligibility_rules"] = self.cleaned_data["eligibility_rules_text"]
        errors = {}
        cap = self.cleaned_data.get("cap_text")
        try:
            data["cap_yen"] = parse_amount(cap) if cap else None
        except ValidationError as error:
            errors["cap_text"] = error.messages
        minimum = self.cleaned_data.get("minimum_text")
        try:
            data["minimum_expense_yen"] = parse_amount(minimum) if minimum else 0
        except ValidationError as error:
            errors["minimum_text"] = error.messages
        if errors:
            raise ValidationError(errors)
        return data


class BudgetForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=1989, max_value=2200)
    amount = amount_field(_("予算額（円）"))


class WindowForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=1989, max_value=2200)
    label = forms.CharField(label=_("名称"), max_length=60, required=False)
    opens_on = forms.DateField(label=_("受付開始日"), widget=DateInput())
    closes_on = forms.DateField(label=_("受付終了日"), widget=DateInput())


# --- The programme's lists (categories, documents, form, rubric) ----------------------------------


CODE_HELP = _("半角英数字・ハイフン・アンダースコア（全角で入力しても半角になります）。")
COUNT_HELP = _("全角数字も使えます。")


def _is_other_language(name: str) -> bool:
    return name.endswith(("_en", "_zh_hans", "_zh_hant", "_ko"))


class ListItemForm(forms.ModelForm):
    """One item of a programme's lists. Japanese is required, other languages optional (they
    fall back to Japanese); codes and counts are text, tidied and checked by services."""

    code = forms.CharField(label=_("コード"), max_length=80, help_text=CODE_HELP)

    def __init__(
        self, *args: Any, programme: Programme, fixed: Collection[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        for name in fixed:  # what submitted applications rely on is shown, not sent
            if name in self.fields:
                self.fields[name].disabled = True
        for name, field in self.fields.items():
            if _is_other_language(name):
                field.required = False
        title = self.title_field
        self.fields[f"{title}_ja"].required = True

    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if not _is_other_language(field.name)]

    def other_language_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if _is_other_language(field.name)]

    def other_languages_have_errors(self) -> bool:
        return any(field.errors for field in self.other_language_fields())

    @property
    def title_field(self) -> str:
        return next(name for name in self._meta.fields if name.endswith("_ja")).removesuffix("_ja")

    def _post_clean(self) -> None:
        pass  # services validate the record

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ExpenseCategoryForm(ListItemForm):
    class Meta:
        model = ExpenseCategory
        fields = ["code", *translated_field_names("name")]


class RequiredDocumentForm(ListItemForm):
    file_kinds = forms.MultipleChoiceField(
        label=_("受け付けるファイル形式"),
        choices=FileKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_bytes = forms.CharField(
        label=_("最大サイズ（バイト）"),
        max_length=20,
        required=False,
        help_text=_("空欄ならサイト全体の上限。全角数字も使えます。"),
    )

    class Meta:
        model = RequiredDocument
        fields = [
            "code",
            *translated_field_names("name"),
            "stage",
            "file_kinds",
            "max_bytes",
            "is_required",
            *translated_field_names("help_text"),
        ]


class FormSectionForm(ListItemForm):
    code = None

    class Meta:
        model = FormSection
        fields = translated_field_names("title")


class FormQuestionForm(ListItemForm):
    class Meta:
        model = FormQuestion
        fields = [
            "section",
            "code",
            *translated_field_names("label"),
            "kind",
            "is_required",
            *translated_field_names("choices"),
            *translated_field_names("help_text"),
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in translated_field_names("choices")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = FormSection.objects.filter(programme=self.programme)
        self.fields["section"].empty_label = None
        self.fields["section"].label = _("区分")


class RubricCriterionForm(ListItemForm):
    weight = forms.CharField(label=_("重み"), max_length=10, initial="1", help_text=COUNT_HELP)
    max_score = forms.CharField(label=_("満点"), max_length=10, initial="5", help_text=COUNT_HELP)

    class Meta:
        model = RubricCriterion
        fields = [
            "code",
            *translated_field_names("name"),
            "weight",
            "max_score",
            *translated_field_names("description"),
        ]


LIST_FORMS: dict[str, type[ListItemForm]] = {
    "categories": ExpenseCategoryForm,
    "documents": RequiredDocumentForm,
    "sections": FormSectionForm,
    "questions": FormQuestionForm,
    "rubric": RubricCriterionForm,
}
