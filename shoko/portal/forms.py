"""Forms of the portal: the search box, stories (staff and street associations), translation
states."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shoko.core.translation import translated_field_names
from shoko.directory.models import Shop, ShoppingStreet, TranslationState
from shoko.portal.models import Story
from shoko.portal.search import MAX_QUERY_CHARS

LANGUAGES = settings.LANGUAGES


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=MAX_QUERY_CHARS * 20,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        ),
    )
    kind = forms.MultipleChoiceField(
        label=_("種類"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(
        self, *args: Any, kinds: list[tuple[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds or []


class StoryForm(forms.ModelForm):
    """One form for every language's title, summary and body (Japanese required)."""

    class Meta:
        model = Story
        fields = [
            *translated_field_names("title"),
            "title_kana",
            *translated_field_names("summary"),
            *translated_field_names("body"),
            "street",
            "shop",
            "byline",
            "keywords",
            "cover_image",
            *translated_field_names("cover_alt"),
            "is_featured",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 8}) for name in translated_field_names("body")},
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in translated_field_names("summary")
            },
        }

    def __init__(
        self,
        *args: Any,
        streets: list[ShoppingStreet] | None = None,
        member: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in translated_field_names("title") + translated_field_names("body"):
            self.fields[name].required = name.endswith("_ja")
        street_qs = ShoppingStreet.objects.order_by("name_kana")
        shop_qs = Shop.objects.public().order_by("name_kana")
        if streets is not None:
            street_qs = street_qs.filter(pk__in=[s.pk for s in streets])
            shop_qs = shop_qs.filter(street__in=street_qs)
        self.fields["street"].queryset = street_qs
        # A select of 100,000 shops is unusable: the shop is chosen by its number.
        self.fields["shop"] = forms.ModelChoiceField(
            queryset=shop_qs,
            required=False,
            label=_("個店（番号）"),
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            help_text=_("記事で紹介する個店の番号（公開ページのURLの数字）"),
        )
        if self.instance.pk and self.instance.shop_id:
            self.initial["shop"] = self.instance.shop_id
        if member:
            del self.fields["is_featured"]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("cover_image") and "cover_image" in data:
            data.pop("cover_image")  # an empty file input keeps the current photo
        return data


class TranslationStateForm(forms.Form):
    """The state of each language's translation of one record."""

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = record.translation_states or {}
        for code, label in LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            self.fields[code] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("（未設定）")), *TranslationState.choices],
                initial=states.get(code, ""),
            )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("差し戻す理由"), widget=forms.Textarea(attrs={"rows": 3}))
