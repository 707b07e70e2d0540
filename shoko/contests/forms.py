"""Forms of the three faces. They read and tidy input; the services validate and save, and
their errors are put back on the form (``shoko.core.forms.attach_errors``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shoko.contests import workflow
from shoko.contests.models import (
    Award,
    Call,
    Category,
    Entry,
    LocalConnection,
    Round,
    ScoreSheet,
)
from shoko.contests.services import entries as entry_services
from shoko.contests.services import results
from shoko.core.models import Organisation, User
from shoko.core.roles import Role

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeInput(),
    )


# --- Entrants -----------------------------------------------------------------------------------


class StartEntryForm(forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("部門"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    organisation = forms.ModelChoiceField(
        label=_("応募者"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("個人として応募する"),
        help_text=_("スタジオ・事業者として応募するときは、その事業者を選んでください。"),
    )

    def __init__(
        self, *args: Any, call: Call, organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.categories.all()  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not organisations.exists():
            del self.fields["organisation"]


class EntryForm(forms.ModelForm[Entry]):
    """What the entrant writes; declarations and the guardian's consent are ticked here."""

    connections = forms.MultipleChoiceField(
        label=_("区とのつながり"),
        choices=LocalConnection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    declarations = forms.MultipleChoiceField(
        label=_("誓約事項"), required=False, widget=forms.CheckboxSelectMultiple
    )
    guardian_consent = forms.BooleanField(
        label=_("保護者として、この応募と作品の公開に同意します。"), required=False
    )

    class Meta:
        model = Entry
        # The fields the entrant may write are the service's to say.
        fields = list(entry_services.ENTRANT_FIELDS)
        widgets = {
            "synopsis": forms.Textarea(attrs={"rows": 4}),
            "synopsis_en": forms.Textarea(attrs={"rows": 3}),
            "music_credits": forms.Textarea(attrs={"rows": 3}),
            "date_of_birth": DateInput(),
            "first_key_animation_year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry: Entry = self.instance
        call = entry.call
        rules = {r.get("rule") for r in entry.category.rules or []}
        self.fields["declarations"].choices = [  # type: ignore[attr-defined]
            (d.code, d.text) for d in workflow.declarations_for(entry)
        ]
        self.fields["studio"].queryset = call.member_studios.all()  # type: ignore[attr-defined]
        self.initial.setdefault("declarations", list((entry.declarations or {}).keys()))
        self.initial.setdefault("guardian_consent", entry.guardian_consented_at is not None)
        if "local_connection" not in rules:
            for name in ("connections", "connection_detail", "studio"):
                del self.fields[name]
        if "career_within_years" not in rules:
            for name in ("career_stage", "first_key_animation_year"):
                del self.fields[name]
        for name in ("title", "synopsis", "entrant_name", "date_of_birth"):
            self.fields[name].required = False  # drafts save half-done; submit checks all
        self.fields["language"].help_text = _("お知らせのメールをこの言語で送ります。")

    def clean_first_key_animation_year(self) -> int | None:
        value = self.cleaned_data.get("first_key_animation_year")
        return int(value) if value not in (None, "") else None


class MemberForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=150, required=False)
    pen_name = forms.CharField(label=_("ペンネーム"), max_length=100, required=False)
    role = forms.CharField(label=_("担当"), max_length=100, required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=30)


class StillForm(forms.Form):
    image = forms.ImageField(label=_("場面写真（JPEG・PNG・WebP）"))
    caption = forms.CharField(label=_("説明"), max_length=200, required=False)


# --- Staff: review ------------------------------------------------------------------------------


class FixRequestForm(forms.Form):
    message = forms.CharField(
        label=_("修正してほしい内容"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = datetime_field(_("修正の期限"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CheckForm(forms.Form):
    ok = forms.BooleanField(label=_("確認済み"), required=False)
    note = forms.CharField(label=_("メモ"), max_length=300, required=False)


class EntryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("部門"), queryset=Category.objects.none(), required=False, empty_label=_("すべて")
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        from shoko.contests.models import EntryStatus

        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)  # noqa: S101 — declared above
        status.choices = [("", _("すべて"))] + [
            c for c in EntryStatus.choices if c[0] != EntryStatus.DRAFT
        ]
        self.fields["category"].queryset = call.categories.all()  # type: ignore[attr-defined]


# --- Staff: set-up ------------------------------------------------------------------------------


class CallForm(forms.ModelForm[Call]):
    opens_at = datetime_field(_("受付開始日時"))
    closes_at = datetime_field(_("受付締切日時"))

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "title_en",
            "title_zh_hans",
            "title_zh_hant",
            "title_ko",
            "summary",
            "summary_en",
            "description",
            "description_en",
            "organiser",
            "organiser_en",
            "division",
            "plan_item",
            "edition",
            "opens_at",
            "closes_at",
            "age_reference_date",
            "entries_per_person",
            "max_video_bytes",
            "member_studios",
            "contact",
            "contact_en",
            "results_licence",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "age_reference_date": DateInput(),
            "member_studios": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_studios"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=Organisation.Kind.BUSINESS
        )


class CategoryForm(forms.ModelForm[Category]):
    """The rules are built from plain fields (age, connection, career) into the stored list."""

    min_age = forms.IntegerField(
        label=_("年齢（以上）"), required=False, min_value=0, max_value=120
    )
    max_age = forms.IntegerField(
        label=_("年齢（以下）"), required=False, min_value=0, max_value=120
    )
    connection_kinds = forms.MultipleChoiceField(
        label=_("区とのつながり（いずれか）"),
        choices=LocalConnection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    career_years = forms.IntegerField(
        label=_("原画を担当して何年以内"), required=False, min_value=0, max_value=50
    )
    formats_text = forms.CharField(
        label=_("受け付ける形式"),
        required=False,
        help_text=_("カンマ区切り（例: mp4, mov）。空なら制限なし。"),
    )

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh_hans",
            "name_zh_hant",
            "name_ko",
            "description",
            "description_en",
            "task_brief",
            "task_brief_en",
            "order",
            "work_kind",
            "min_seconds",
            "max_seconds",
            "entries_per_person",
            "max_group_size",
            "stills_required",
            "stills_max",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "task_brief": forms.Textarea(attrs={"rows": 3}),
            "task_brief_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule in self.instance.rules or []:
            if rule.get("rule") == "age_between":
                self.initial["min_age"] = rule.get("min")
                self.initial["max_age"] = rule.get("max")
            elif rule.get("rule") == "local_connection":
                self.initial["connection_kinds"] = rule.get("kinds")
            elif rule.get("rule") == "career_within_years":
                self.initial["career_years"] = rule.get("years")
        self.initial["formats_text"] = ", ".join(self.instance.formats or [])

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        rules: list[dict[str, Any]] = []
        low, high = self.cleaned_data.get("min_age"), self.cleaned_data.get("max_age")
        if low is not None or high is not None:
            rules.append({"rule": "age_between", "min": low, "max": high})
        kinds = self.cleaned_data.get("connection_kinds")
        if kinds:
            rules.append({"rule": "local_connection", "kinds": list(kinds)})
        years = self.cleaned_data.get("career_years")
        if years is not None:
            rules.append({"rule": "career_within_years", "years": years})
        data["rules"] = rules
        data["formats"] = self.cleaned_data.get("formats_text") or ""
        return data


class ItemForm(forms.Form):
    code = forms.SlugField(label=_("コード"), max_length=40, required=False)
    text = forms.CharField(label=_("文言"), max_length=400, required=False)
    text_en = forms.CharField(label=_("文言（英語）"), max_length=400, required=False)


ItemFormSet = forms.formset_factory(ItemForm, extra=2, max_num=40)


class CopyCallForm(forms.Form):
    slug = forms.SlugField(label=_("URL名"), max_length=80)
    opens_at = datetime_field(_("受付開始日時"))
    closes_at = datetime_field(_("受付締切日時"))
    age_reference_date = forms.DateField(
        label=_("年齢の基準日"), required=False, widget=DateInput()
    )


# --- Staff: judging -----------------------------------------------------------------------------


class RoundForm(forms.ModelForm[Round]):
    scoring_closes_at = datetime_field(_("採点の締切"), required=False)

    class Meta:
        model = Round
        fields = [
            "name",
            "name_en",
            "assignment",
            "judges_per_entry",
            "seed",
            "scale_min",
            "scale_max",
            "scoring_closes_at",
        ]


class CriterionForm(forms.Form):
    code = forms.CharField(label=_("コード"), max_length=40, required=False)
    name = forms.CharField(label=_("評価項目"), max_length=200, required=False)
    name_en = forms.CharField(label=_("評価項目（英語）"), max_length=200, required=False)
    description = forms.CharField(label=_("説明"), max_length=400, required=False)
    weight = forms.CharField(label=_("重み"), max_length=10, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20)


class PanelForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label=_("審査員"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["judges"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            groups__name=Role.JUDGE.value, is_active=True
        ).order_by("full_name", "pk")
        self.categories = list(round_.call.categories.all())
        for judge in self.fields["judges"].queryset:  # type: ignore[attr-defined]
            self.fields[f"categories_{judge.pk}"] = forms.ModelMultipleChoiceField(
                label=_("%(name)s さんの担当部門（空: すべて）") % {"name": judge},
                queryset=round_.call.categories.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def panel(self) -> list[tuple[User, Sequence[Category]]]:
        return [
            (judge, list(self.cleaned_data.get(f"categories_{judge.pk}") or []))
            for judge in self.cleaned_data["judges"]
        ]


class FieldForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        label=_("このラウンドで審査する作品"),
        queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = candidates  # type: ignore[attr-defined]


class ScoreSheetForm(forms.Form):
    """One integer field per criterion of the round, the comment and the private note."""

    comment_to_entrant = forms.CharField(
        label=_("応募者へのコメント"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("結果発表のあと、応募者に届きます（審査員名は表示しません）。"),
    )
    private_note = forms.CharField(
        label=_("審査員メモ（非公開）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("審査員と担当職員だけが読めます。"),
    )

    def __init__(self, *args: Any, sheet: ScoreSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        round_ = sheet.round
        self.criteria = list(round_.criteria.all())
        for criterion in self.criteria:
            self.fields[f"score_{criterion.code}"] = forms.CharField(
                label=f"{criterion.name}（×{criterion.weight.normalize()}）",
                required=False,
                help_text=criterion.description,
                widget=forms.NumberInput(
                    attrs={"min": round_.scale_min, "max": round_.scale_max, "inputmode": "numeric"}
                ),
            )
            self.initial.setdefault(
                f"score_{criterion.code}", (sheet.scores or {}).get(criterion.code)
            )
        self.initial.setdefault("comment_to_entrant", sheet.comment_to_entrant)
        self.initial.setdefault("private_note", sheet.private_note)
        self.order_fields([f"score_{c.code}" for c in self.criteria])

    def service_data(self) -> dict[str, Any]:
        return {
            "scores": {c.code: self.cleaned_data.get(f"score_{c.code}") for c in self.criteria},
            "comment_to_entrant": self.cleaned_data.get("comment_to_entrant", ""),
            "private_note": self.cleaned_data.get("private_note", ""),
        }


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("利害関係の内容"),
        max_length=300,
        help_text=_("例: 応募者が自分の教え子である、同じスタジオで働いている。"),
    )


# --- Staff: awards and results ------------------------------------------------------------------


class AwardForm(forms.ModelForm[Award]):
    class Meta:
        model = Award
        fields = [
            "name",
            "name_en",
            "name_zh_hans",
            "name_zh_hant",
            "name_ko",
            "category",
            "places",
            "order",
        ]

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.categories.all()  # type: ignore[attr-defined]
        self.fields["category"].empty_label = _("部門を問わない")  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("作品"), queryset=Entry.objects.none())
    jury_comment = forms.CharField(label=_("講評"), widget=forms.Textarea(attrs={"rows": 3}))
    jury_comment_en = forms.CharField(
        label=_("講評（英語）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    screened = forms.BooleanField(label=_("上映会で上映する"), required=False, initial=True)

    def __init__(self, *args: Any, award: Award, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = award.call.entries.eligible().select_related("category")
        if award.category_id:
            entries = entries.filter(category_id=award.category_id)
        self.fields["entry"].queryset = entries.order_by("number")  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    with_screening = forms.BooleanField(
        label=_("入賞作品の上映会を作成する"), required=False, initial=True
    )
    starts_at = datetime_field(_("上映会の開始"), required=False)
    ends_at = datetime_field(_("上映会の終了"), required=False)
    venue_name = forms.CharField(label=_("会場"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("会場の住所"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("定員"), min_value=1, max_value=100_000, required=False)

    def screening(self) -> results.Screening | None:
        data = self.cleaned_data
        if not data.get("with_screening"):
            return None
        return results.Screening(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            capacity=data["capacity"],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("with_screening"):
            for name in ("starts_at", "ends_at", "venue_name", "venue_address", "capacity"):
                if not data.get(name):
                    self.add_error(name, _("上映会を作成するときは入力してください。"))
        return data
