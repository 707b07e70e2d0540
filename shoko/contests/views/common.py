"""What the screens share: running a service from a posted form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from shoko.core.forms import attach_errors

T = TypeVar("T")


def run_form(request: HttpRequest, form: forms.BaseForm, save: Callable[[], T]) -> T | None:
    """When ``form`` is posted and valid, run ``save`` (a service call reading
    ``form.cleaned_data``) and return what it saved; a refusal goes back on the form (the
    service's own words) and None means: show the page again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        attach_errors(form, error)
    except PermissionDenied as denied:
        form.add_error(None, str(denied))
    return None
