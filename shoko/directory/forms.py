"""Forms for staff and the business portal. They only read and tidy input: validation of the
record and saving happen in services, whose errors are attached back to the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shoko.core.models import Membership
from shoko.core.translation import translated_field_names
from shoko.directory import hours, selectors
from shoko.directory.geo import clean_geometry
from shoko.directory.imports import columns
from shoko.directory.models import (
    Area,
    Business,
    ImportJob,
    PaymentMethod,
    Shop,
    ShopCategory,
    ShoppingStreet,
    StreetConcept,
    VacantShop,
)

UPLOAD_HELP = _("xlsx または CSV（UTF-8・BOM付きUTF-8・Shift_JIS）。まず確認（ドライラン）します。")


class ServiceForm(forms.ModelForm):
    """A ModelForm that leaves the instance alone: services apply and validate the data."""

    code_fields = ("postal_code", "phone", "corporate_number")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.code_fields:
            if name in self.fields:
                # Full-width digits, 〒 and hyphens are welcome; services normalise them.
                self.fields[name].max_length = 30
                self.fields[name].widget.attrs["maxlength"] = 30
                self.fields[name].validators = []
        if "postal_code" in self.fields:
            self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class BusinessForm(ServiceForm):
    industry_code = forms.CharField(
        label=_("業種コード（日本標準産業分類）"),
        required=False,
        max_length=4,
        help_text=_("大分類（A〜T）または中分類（01〜99）。例: 58 飲食料品小売業"),
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "name_kana",
            "legal_form",
            "corporate_number",
            "representative_name",
            "representative_title",
            "postal_code",
            "address",
            "building",
            "phone",
            "email",
            "website",
            "employees",
            "capital_yen",
            "founded_on",
            "is_startup",
            "startup_since",
            "notes",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "startup_since": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, member: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.industry_id:
            self.initial.setdefault("industry_code", self.instance.industry.code)
        if member:
            # Staff notes stay with staff.
            del self.fields["notes"]

    def clean_industry_code(self) -> Any:
        return selectors.resolve_industry(self.cleaned_data.get("industry_code"))

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["industry"] = data.pop("industry_code", None)
        return data


class StreetForm(ServiceForm):
    geometry_text = forms.CharField(
        label=_("形状（GeoJSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("LineString・MultiLineString・Polygon（座標は [経度, 緯度]）"),
    )

    class Meta:
        model = ShoppingStreet
        fields = [
            *translated_field_names("name"),
            "name_kana",
            "association",
            "area",
            "nearest_stations",
            "latitude",
            "longitude",
            "concepts",
            "member_count",
            *translated_field_names("description"),
            "website",
            "is_published",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Business.objects.filter(
            legal_form=Business.LegalForm.ASSOCIATION
        )
        if self.instance.pk and self.instance.geometry:
            self.initial["geometry_text"] = columns.geometry_cell(self.instance.geometry)
        if self.instance.pk:
            self.initial["concepts"] = self.instance.concepts

    def clean_geometry_text(self) -> Any:
        return clean_geometry(self.cleaned_data.get("geometry_text") or None)

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["geometry"] = data.pop("geometry_text", None)
        return data


MEMBER_SHOP_FORM_FIELDS = [
    *translated_field_names("name"),
    "name_kana",
    *translated_field_names("description"),
    "category",
    "phone",
    "website",
    "price_range",
    "postal_code",
    "address",
    "building",
    "latitude",
    "longitude",
    *translated_field_names("hours_note"),
    "menu_languages",
    "payment_methods",
    "dietary_options",
    "tax_free",
    "free_wifi",
    "step_free_entrance",
    "accessible_toilet",
    "conveniences_verified_on",
]


class ShopForm(ServiceForm):
    opening_hours = forms.CharField(
        label=_("営業時間"),
        required=False,
        max_length=500,
        help_text=_(
            "例: 月-金 11:00-14:00,17:00-22:00; 土 11:00-22:00; 祝 休（日付をまたぐ営業は 18:00-02:00）"  # noqa: E501
        ),
    )
    opening_exceptions = forms.CharField(
        label=_("臨時休業・営業"),
        required=False,
        max_length=1000,
        help_text=_("例: 2026-12-31 休; 2027-01-02 10:00-15:00"),
    )
    spoken_languages_text = forms.CharField(
        label=_("対応できる言語"),
        required=False,
        max_length=200,
        help_text=_(
            "例: en:conversation, zh-hans:greeting（greeting＝あいさつ程度、conversation＝日常会話）"  # noqa: E501
        ),
    )

    class Meta:
        model = Shop
        fields = ["business", "street", "is_association_member", *MEMBER_SHOP_FORM_FIELDS]
        widgets = {"conveniences_verified_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, member: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if member:
            for name in ("business", "street", "is_association_member"):
                del self.fields[name]
        shop = self.instance
        if shop.pk:
            self.initial["opening_hours"] = hours.format_weekly(hours.weekly_of(shop))
            self.initial["opening_exceptions"] = hours.format_exceptions(hours.exceptions_of(shop))
            self.initial["spoken_languages_text"] = columns.spoken_cell(shop.spoken_languages)
            for name in ("menu_languages", "payment_methods", "dietary_options"):
                self.initial[name] = getattr(shop, name)

    def clean_opening_hours(self) -> str:
        value = self.cleaned_data.get("opening_hours", "")
        return hours.format_weekly(hours.parse_weekly(value))

    def clean_opening_exceptions(self) -> str:
        value = self.cleaned_data.get("opening_exceptions", "")
        return hours.format_exceptions(hours.parse_exceptions(value))

    def clean_spoken_languages_text(self) -> dict[str, str]:
        return columns.spoken(self.cleaned_data.get("spoken_languages_text", ""))

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["spoken_languages"] = data.pop("spoken_languages_text", {})
        return data


class VacantShopForm(ServiceForm):
    class Meta:
        model = VacantShop
        fields = [
            "street",
            "postal_code",
            "address",
            "building",
            "latitude",
            "longitude",
            "floor_area_m2",
            "floor",
            "rent_yen",
            "deposit_yen",
            "former_use",
            "available_from",
            "status",
            "owner_name",
            "owner_contact",
            "notes",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("メールアドレス"))
    full_name = forms.CharField(label=_("氏名"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("役割"), choices=Membership.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Membership.Role.choices)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("ファイル"), help_text=UPLOAD_HELP)


class PhotoForm(forms.Form):
    """A photo and its alt text; the file's content is checked by ``services.add_photo``."""

    image = forms.FileField(
        label=_("写真"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(
        label=_("説明（代替テキスト）"),
        max_length=200,
        help_text=_("写真に何が写っているかを短く書いてください（例: 店先の八百屋の棚）。"),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("理由・コメント"), widget=forms.Textarea(attrs={"rows": 2}))


class BusinessFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False)
    legal_form = forms.ChoiceField(
        label=_("法人格"), required=False, choices=[("", _("すべて")), *Business.LegalForm.choices]
    )
    industry = forms.CharField(label=_("業種コード"), required=False, max_length=2)
    startup = forms.ChoiceField(
        label=_("創業者"),
        required=False,
        choices=[("", _("すべて")), ("1", _("創業者のみ")), ("0", _("創業者以外"))],
    )


class StreetFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False)
    area = forms.ChoiceField(label=_("地域"), required=False)
    concept = forms.ChoiceField(label=_("特色"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", _("すべて")),
            *((a.code, a.name) for a in Area.objects.all()),
        ]
        self.fields["concept"].choices = [("", _("すべて")), *StreetConcept.choices]


class ShopFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False)
    category = forms.ChoiceField(label=_("カテゴリ"), required=False)
    published = forms.ChoiceField(
        label=_("公開"),
        required=False,
        choices=[("", _("すべて")), ("1", _("公開中")), ("0", _("非公開"))],
    )
    payment = forms.ChoiceField(label=_("支払い方法"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("すべて")),
            *((c.code, c.name) for c in ShopCategory.objects.all()),
        ]
        self.fields["payment"].choices = [("", _("すべて")), *PaymentMethod.choices]


class VacantFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *VacantShop.Status.choices]
    )
