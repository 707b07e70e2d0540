"""One page for every back-office form: heading, a line of context, the form, a way back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

SAVE = _("保存する")


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    heading: Any,
    lead: Any = None,
    lead_url: str | None = None,
    note: Any = None,
    submit_label: Any = SAVE,
    back_url: str | None = None,
    subnav: bool = True,
) -> HttpResponse:
    return render(
        request,
        "events/staff/form_page.html",
        {
            "form": form,
            "heading": heading,
            "lead": lead,
            "lead_url": lead_url,
            "note": note,
            "submit_label": submit_label,
            "back_url": back_url,
            "subnav": subnav,
        },
    )
