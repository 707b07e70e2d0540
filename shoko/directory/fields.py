"""A set of choices stored in one text column, filterable on SQLite and PostgreSQL alike.

Payment methods, menu languages, street concepts and dietary options are small sets of fixed
codes. JSON ``contains`` does not work on SQLite, so the set is stored as ``,cash,qr,`` and
``has_choice("payment_methods", "qr")`` filters with a plain ``LIKE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

UNKNOWN_CHOICE_MESSAGE = _("「%(value)s」は選択肢にありません（使える値: %(allowed)s）。")


def has_choice(field: str, value: str) -> Q:
    """A filter for records whose choice set ``field`` holds ``value``."""
    return Q(**{f"{field}__contains": f",{value},"})


class ChoiceSetField(models.CharField):
    """A set of codes from ``choices`` kept as ``,a,b,`` (sorted, no repeats)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        self.set_choices = kwargs.pop("set_choices", ())
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["set_choices"] = list(self.set_choices)
        return name, path, args, kwargs

    @property
    def allowed(self) -> list[str]:
        return [value for value, _label in self.set_choices]

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [part for part in value.split(",") if part]
        values = sorted({str(v) for v in value})
        unknown = [v for v in values if v not in self.allowed]
        if unknown:
            raise ValidationError(
                UNKNOWN_CHOICE_MESSAGE,
                code="unknown_choice",
                params={"value": unknown[0], "allowed": ", ".join(self.allowed)},
            )
        return values

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        if not value:
            return []
        return [part for part in value.split(",") if part]

    def get_prep_value(self, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        if isinstance(value, str):
            # Lookups (has_choice) pass their ",code," fragment through unchanged.
            return value
        return "," + ",".join(sorted(set(map(str, value)))) + ","

    def validate(self, value: Any, model_instance: Any) -> None:
        self.to_python(value)
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def value_to_string(self, obj: Any) -> str:
        return ",".join(self.value_from_object(obj) or [])

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=self.set_choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def labels_of(values: Iterable[str], choices: Iterable[tuple[str, Any]]) -> list[str]:
    mapping = dict(choices)
    return [str(mapping.get(v, v)) for v in values]
