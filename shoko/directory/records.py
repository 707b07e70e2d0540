"""How a directory record is tidied and checked before it is saved: shared by the services (one
record at a time) and the import (every row of a file, checked before anything is written)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shoko.core.text import fold_for_search, normalize_code
from shoko.core.validators import (
    normalize_corporate_number,
    normalize_phone_jp,
    normalize_postal_code,
    validate_corporate_number,
    validate_phone_jp,
    validate_postal_code,
)

LOCATION_PAIR_MESSAGE = _("緯度と経度は両方とも入力するか、両方とも空にしてください。")

#: Opening hours and exceptions are set through ``services.set_opening_hours``, not as fields.
HOURS_KEYS = ("opening_hours", "opening_exceptions")


def address_key(postal_code: str, address: str, building: str = "") -> str:
    """The address folded so that 豊玉北６－１２－１ and 豊玉北6-12-1 meet."""
    text = normalize_code(f"{address}{building}").replace("丁目", "-").replace("番地", "-")
    text = text.replace("番", "-").replace("号", "")
    return postal_code + "|" + "".join(fold_for_search(text).split())


def normalize_codes(obj: models.Model) -> None:
    for field in ("postal_code", "phone", "corporate_number"):
        if not hasattr(obj, field):
            continue
        value = getattr(obj, field) or ""
        if field == "postal_code":
            value = normalize_postal_code(value)
            if value:
                validate_postal_code(value)
        elif field == "phone":
            value = normalize_phone_jp(value)
            if value:
                validate_phone_jp(value)
        else:
            value = normalize_corporate_number(value)
            if value:
                validate_corporate_number(value)
        setattr(obj, field, value)


def check_location(obj: models.Model) -> None:
    if (getattr(obj, "latitude", None) is None) != (getattr(obj, "longitude", None) is None):
        raise ValidationError({"latitude": LOCATION_PAIR_MESSAGE})


def apply_changes(obj: models.Model, data: Mapping[str, Any]) -> list[str]:
    """Set ``data`` on ``obj``; returns the names of the fields whose value changed."""
    changed = []
    for name, value in data.items():
        if name in HOURS_KEYS:
            continue
        if not hasattr(obj, name) and not hasattr(type(obj), name):
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a required relation not set yet on a new record
            current = None
        if current in (None, "") and value in (None, ""):
            continue  # an empty translation is stored as NULL or "": the same to people
        if current != value:
            changed.append(name)
            setattr(obj, name, value)
    return changed


def validate_record(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """Tidy typed codes (full-width digits, hyphens), check them and the field values; uniqueness
    and constraints are the services' and the database's."""
    normalize_codes(obj)
    check_location(obj)
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
