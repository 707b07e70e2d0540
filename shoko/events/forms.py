"""Forms of the three faces. They collect and shape input; the rules live in ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.forms import attach_errors
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Organisation, User
from shoko.core.roles import Role
from shoko.core.text import normalize_code, parse_yen
from shoko.core.translation import translated_field_names
from shoko.core.validators import (
    format_postal_code,
    normalize_phone_jp,
    normalize_postal_code,
    validate_phone_jp,
    validate_postal_code,
)
from shoko.directory.models import Area
from shoko.events import services
from shoko.events.models import (
    ConsultationBooking,
    ConsultationSlot,
    Event,
    Kind,
    PlanItem,
    Programme,
    Question,
    RegistrantMessage,
    Series,
    Session,
    SupportArea,
    Venue,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

END_BEFORE_START = _("終了時刻は開始時刻より後にしてください。")
WINDOW_ORDER = _("申込締切は申込開始より後にしてください。")
DATES_ORDER = _("開始日は終了日より前の日付にしてください。")
AMOUNT_INVALID = _("金額は「1000」「１，０００円」のように入力してください。")


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    """A Tokyo wall-clock date and time as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=TOKYO)


def _registrant_from(
    form: forms.Form, data: dict[str, Any], **options: Any
) -> services.Registrant | None:
    """The person the form describes, cleaned by the service; its complaints go on the form."""
    try:
        return services.clean_registrant(
            full_name=data.get("full_name", ""),
            full_name_kana=data.get("full_name_kana", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            business_name=data.get("business_name", ""),
            **options,
        )
    except ValidationError as error:
        attach_errors(form, error)
        return None


def _question_field(question: Question) -> forms.Field:
    if question.type == Question.Type.YES_NO:
        return forms.ChoiceField(
            label=question.label,
            required=question.required,
            choices=[("yes", _("はい")), ("no", _("いいえ"))],
            widget=forms.RadioSelect,
        )
    if question.type == Question.Type.CHOICE:
        return forms.ChoiceField(
            label=question.label,
            required=question.required,
            choices=[("", "—")] + [(c, c) for c in question.choice_list],
        )
    return forms.CharField(
        label=question.label,
        required=question.required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionsMixin:
    """Adds one field per question (``q<id>``) and cleans the answers through the service."""

    questions: list[Question]

    def add_question_fields(self, questions: list[Question]) -> None:
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _question_field(question)  # type: ignore[attr-defined]

    def clean_answers(self) -> dict[str, str]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        raw = {str(q.pk): data.get(f"q{q.pk}") or "" for q in self.questions}
        try:
            return services.clean_answers(self.questions, raw)
        except ValidationError as error:
            attach_errors(self, error)  # type: ignore[arg-type]
            return {}


# --- Public ---------------------------------------------------------------------------------------


class RegistrationForm(QuestionsMixin, forms.Form):
    """申込フォーム — works on a phone: the right keyboards, autocomplete, few fields."""

    full_name = forms.CharField(
        label=_("氏名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    full_name_kana = forms.CharField(
        label=_("フリガナ"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        help_text=_("確認メールをお送りします。"),
    )
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    business_name = forms.CharField(
        label=_("事業者名・店名（任意）"), max_length=200, required=False
    )
    seats = forms.IntegerField(label=_("人数"), min_value=1, initial=1)
    consent = forms.BooleanField(
        label=_("申込内容を区がこの催しの運営と連絡のために利用することに同意します。"),
        required=True,
    )

    def __init__(
        self,
        *args: Any,
        session: Session,
        questions: list[Question],
        language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.language = language
        self.registrant: services.Registrant | None = None
        self.answers: dict[str, str] = {}
        # Visitors from abroad may have no katakana reading; Japanese pages ask for it.
        self.require_kana = language == "ja"
        self.fields["full_name_kana"].required = self.require_kana
        limit = session.event.group_limit
        if limit > 1:
            self.fields["seats"].max_value = None  # the service says the limit in words
            self.fields["seats"].help_text = _("%(limit)s人まで一緒に申し込めます。") % {
                "limit": limit
            }
        else:
            self.fields["seats"].widget = forms.HiddenInput()
        self.add_question_fields(questions)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.registrant = _registrant_from(
            self, data, language=self.language, require_kana=self.require_kana
        )
        self.answers = self.clean_answers()
        return data


class PortalRegistrationForm(QuestionsMixin, forms.Form):
    """申込 from the business portal: the member's details are known, the business is chosen."""

    organisation = forms.ModelChoiceField(
        label=_("申し込む事業者"), queryset=Organisation.objects.none()
    )
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    seats = forms.IntegerField(label=_("人数"), min_value=1, initial=1)

    def __init__(
        self, *args: Any, session: Session, questions: list[Question], user: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.user = user
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=permissions.organisation_ids_of(user)
        )
        if session.event.group_limit <= 1:
            self.fields["seats"].widget = forms.HiddenInput()
        self.add_question_fields(questions)
        self.registrant: services.Registrant | None = None
        self.answers: dict[str, str] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            self.registrant = services.clean_registrant(
                full_name=self.user.full_name or self.user.email,
                full_name_kana=self.user.full_name_kana,
                email=self.user.email,
                phone=data.get("phone", ""),
                business_name=data["organisation"].name if data.get("organisation") else "",
                organisation=data.get("organisation"),
                user=self.user,
                language=self.user.preferred_language,
                require_kana=False,
            )
        except ValidationError as error:
            attach_errors(self, error)
        self.answers = self.clean_answers()
        return data


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *Kind.choices]
    )
    programme = forms.ChoiceField(
        label=_("事業"), required=False, choices=[("", _("すべて")), *Programme.choices]
    )
    area = forms.ModelChoiceField(
        label=_("地域"),
        required=False,
        queryset=Area.objects.all(),
        to_field_name="code",
        empty_label=_("すべて"),
    )
    date_from = forms.DateField(label=_("開始日"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("終了日"), required=False, widget=DATE_WIDGET)
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(DATES_ORDER)
        return data


class SurveyForm(QuestionsMixin, forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("満足度"),
        coerce=int,
        choices=[
            (5, _("5 とても満足")),
            (4, _("4 満足")),
            (3, _("3 ふつう")),
            (2, _("2 やや不満")),
            (1, _("1 不満")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("ご意見・ご感想"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_question_fields(questions)
        self.answers: dict[str, str] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.answers = self.clean_answers()
        return data


# --- Staff ----------------------------------------------------------------------------------------


def _translated(name: str) -> list[str]:
    """A field's columns in the languages staff type (ja, en); the others are filled later."""
    return translated_field_names(name, languages=tuple(settings.STAFF_LANGUAGES))


class OrganiserFormMixin:
    def clean_organiser(self, data: dict[str, Any]) -> None:
        if data.get("organiser_organisation") and data.get("organiser_division"):
            self.add_error(  # type: ignore[attr-defined]
                "organiser_division",
                _("主催は、区の担当課か団体・事業者のどちらか一つを選んでください。"),
            )
        if not data.get("organiser_organisation") and not data.get("organiser_division"):
            self.add_error(  # type: ignore[attr-defined]
                "organiser_division", _("主催課または主催団体・事業者を選んでください。")
            )


class SeriesForm(OrganiserFormMixin, forms.ModelForm):
    class Meta:
        model = Series
        fields = [
            *_translated("title"),
            *_translated("description"),
            "kind",
            "programme",
            "plan_item",
            "organiser_division",
            "organiser_organisation",
            "certified_programme",
            "certificate_min_sessions",
            "certificate_min_days",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_ja"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_organiser(data)
        return data


class EventForm(OrganiserFormMixin, forms.ModelForm):
    fee = forms.CharField(label=_("参加費（円）"), initial="0", max_length=30)
    online_url = forms.URLField(label=_("オンライン参加URL"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "series",
            *_translated("title"),
            "title_kana",
            *_translated("description"),
            "kind",
            "programme",
            "plan_item",
            "organiser_division",
            "organiser_organisation",
            "venue",
            "online_url",
            "fee",
            *_translated("fee_note"),
            "group_limit",
            "offer_hours",
            "reminder_hours",
            "contact_name",
            "contact_phone",
            "published",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_ja"].required = True

    def clean_fee(self) -> int:
        try:
            return parse_yen(self.cleaned_data["fee"] or "0")
        except ValueError as exc:
            raise ValidationError(AMOUNT_INVALID) from exc

    def clean_title_kana(self) -> str:
        return services.normalise_kana(self.cleaned_data["title_kana"])

    def clean_contact_phone(self) -> str:
        number = normalize_phone_jp(self.cleaned_data["contact_phone"])
        if number:
            validate_phone_jp(number)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_organiser(data)
        return data


class DayAndTimesMixin:
    """A date with a start and an end time (Tokyo wall clock), written to the instance's
    ``starts_at`` and ``ends_at``; the instance's times are the initial values."""

    def init_day_and_times(self) -> None:
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk:
            start = instance.starts_at.astimezone(TOKYO)
            self.initial.setdefault("day", start.date())  # type: ignore[attr-defined]
            self.initial.setdefault("start_time", start.time())  # type: ignore[attr-defined]
            self.initial.setdefault(  # type: ignore[attr-defined]
                "end_time", instance.ends_at.astimezone(TOKYO).time()
            )

    def clean_day_and_times(self, data: dict[str, Any]) -> None:
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", END_BEFORE_START)  # type: ignore[attr-defined]
            else:
                self.instance.starts_at = aware(day, start)  # type: ignore[attr-defined]
                self.instance.ends_at = aware(day, end)  # type: ignore[attr-defined]


class SessionForm(DayAndTimesMixin, forms.ModelForm):
    day = forms.DateField(label=_("開催日"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("開始時刻"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("終了時刻"), widget=TIME_WIDGET)
    registration_opens_at = forms.DateTimeField(
        label=_("申込開始日時"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
    )
    registration_closes_at = forms.DateTimeField(
        label=_("申込締切日時"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        help_text=_("空欄のときは開始時刻まで受け付けます。"),
    )
    areas = forms.MultipleChoiceField(
        label=_("分野（特定創業支援等事業）"),
        choices=SupportArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = ["label", "capacity", "registration_opens_at", "registration_closes_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_day_and_times()
        if self.instance.pk:
            self.initial.setdefault("areas", [a.area for a in self.instance.areas.all()])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_day_and_times(data)
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", WINDOW_ORDER)
        return data


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            *_translated("name"),
            "postal_code",
            *_translated("address"),
            "area",
            "latitude",
            "longitude",
            *_translated("access"),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_ja"].required = True
        self.fields["address_ja"].required = True

    def clean_postal_code(self) -> str:
        code = normalize_postal_code(self.cleaned_data["postal_code"])
        if not code:
            return ""
        validate_postal_code(code)
        return format_postal_code(code)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["purpose", "type", *_translated("label"), *_translated("choices"), "required"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in _translated("choices")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label_ja"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("type") == Question.Type.CHOICE and not (data.get("choices_ja") or "").strip():
            self.add_error("choices_ja", _("選択肢を1行に1つずつ入力してください。"))
        return data


class CopyForm(forms.Form):
    shift_days = forms.IntegerField(
        label=_("日程をずらす日数"),
        initial=364,
        min_value=-3660,
        max_value=3660,
        help_text=_("364日で翌年の同じ曜日になります。"),
    )


class MessageForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("対象の回"), queryset=Session.objects.none(), required=False, empty_label=_("全回")
    )
    audience = forms.ChoiceField(label=_("宛先"), choices=RegistrantMessage.Audience.choices)
    subject = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.order_by("starts_at")


class StaffRegistrationForm(forms.Form):
    """A sign-up taken by phone or at the door."""

    full_name = forms.CharField(label=_("氏名"), max_length=150)
    full_name_kana = forms.CharField(label=_("フリガナ"), max_length=150, required=False)
    email = forms.CharField(label=_("メールアドレス"), max_length=254)
    phone = forms.CharField(label=_("電話番号"), max_length=30, required=False)
    business_name = forms.CharField(label=_("事業者名・店名"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("事業者（登録済み）"), queryset=Organisation.objects.all(), required=False
    )
    seats = forms.IntegerField(label=_("人数"), min_value=1, initial=1)
    language = forms.ChoiceField(label=_("連絡に使う言語"), choices=settings.LANGUAGES)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.registrant = _registrant_from(
            self,
            data,
            organisation=data.get("organisation"),
            language=data.get("language") or "ja",
            require_kana=False,
            require_phone=False,
        )
        return data


class CheckInLookupForm(forms.Form):
    code = forms.CharField(
        label=_("確認コードまたはQRコードの内容"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        # A scanner types the whole URL; a person types the code. Either way, the last part.
        return normalize_code(self.cleaned_data["code"]).rstrip("/").rsplit("/", 1)[-1]


class FiscalYearForm(forms.Form):
    fy = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = FiscalYear.current()
        self.fields["fy"].choices = [
            (fy.year, fy.label("ja", with_western=True))
            for fy in FiscalYear.span(current - 5, current + 1)
        ][::-1]

    def fiscal_year(self) -> FiscalYear:
        if self.is_valid() and self.cleaned_data.get("fy"):
            return FiscalYear(self.cleaned_data["fy"])
        return FiscalYear.current()


# --- Consultations --------------------------------------------------------------------------------


class SlotForm(DayAndTimesMixin, forms.ModelForm):
    day = forms.DateField(label=_("日付"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("開始時刻"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("終了時刻"), widget=TIME_WIDGET)

    class Meta:
        model = ConsultationSlot
        fields = ["consultant", "programme", "plan_item", "venue", "note", "published"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if permissions.is_official(user):
            self.fields["consultant"].queryset = User.objects.filter(
                groups__name=Role.CONSULTANT.value, is_active=True
            ).order_by("full_name")
        else:
            del self.fields["consultant"]
        self.init_day_and_times()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_day_and_times(data)
        return data


class AvailabilityForm(forms.Form):
    """空き時間の公開 — a block of time cut into slots."""

    day = forms.DateField(label=_("日付"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("開始時刻"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("終了時刻"), widget=TIME_WIDGET)
    minutes = forms.TypedChoiceField(
        label=_("1枠の長さ"),
        coerce=int,
        choices=[(30, _("30分")), (45, _("45分")), (60, _("60分")), (90, _("90分"))],
        initial=60,
    )
    programme = forms.ChoiceField(label=_("事業"), choices=Programme.choices)
    plan_item = forms.ChoiceField(
        label=_("計画事業"), choices=[("", "—"), *PlanItem.choices], required=False
    )
    venue = forms.ModelChoiceField(
        label=_("会場"), queryset=Venue.objects.all(), required=False, empty_label=_("オンライン")
    )
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", END_BEFORE_START)
        return data


class BookingForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("相談する事業者"), queryset=Organisation.objects.none()
    )
    request_note = forms.CharField(
        label=_("相談したいこと"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user, memberships__role__in=["representative", "manager"]
        ).distinct()


class ConsultationRecordForm(forms.ModelForm):
    status = forms.ChoiceField(
        label=_("結果"),
        choices=[
            (ConsultationBooking.Status.HELD, _("実施した")),
            (ConsultationBooking.Status.NO_SHOW, _("来なかった")),
        ],
    )

    class Meta:
        model = ConsultationBooking
        fields = ["status", "topic", "notes", "follow_up", "follow_up_due"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 5}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "follow_up_due": DATE_WIDGET,
        }
