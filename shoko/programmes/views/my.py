"""The business portal (/my/programmes/): the programmes a business may apply for, and its
applications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shoko.programmes import eligibility, selectors, services
from shoko.programmes.models import (
    FormQuestion,
    Programme,
)
from shoko.programmes.views.common import (
    NO_BUSINESS_MESSAGE,
    errors_to_messages,
    face_view,
    page_of,
)


def _chosen_business(request: HttpRequest) -> tuple[list[Any], Any]:
    businesses = list(selectors.businesses_for_applicant(request.user))
    chosen = businesses[0] if businesses else None
    wanted = request.GET.get("business") or request.POST.get("business")
    if wanted:
        chosen = next((b for b in businesses if str(b.pk) == str(wanted)), None)
        if chosen is None:
            raise Http404
    return businesses, chosen


@face_view
def my_programmes(request: HttpRequest, face: str = "my") -> HttpResponse:
    """補助金・支援の一覧 — open programmes, each with whether this business may apply."""
    businesses, business = _chosen_business(request)
    return render(
        request,
        "programmes/my/programme_list.html",
        {
            "businesses": businesses,
            "business": business,
            "cards": selectors.programme_cards(business),
        },
    )


@face_view
def my_programme(request: HttpRequest, code: str, face: str = "my") -> HttpResponse:
    programme = get_object_or_404(Programme, code=code, is_published=True)
    businesses, business = _chosen_business(request)
    questions = list(
        FormQuestion.objects.filter(section__programme=programme).select_related("section")
    )
    return render(
        request,
        "programmes/my/programme_detail.html",
        {
            "programme": programme,
            "businesses": businesses,
            "business": business,
            "card": selectors.programme_card(programme, business),
            "rules": eligibility.describe(programme),
            "categories": programme.expense_categories.all(),
            "documents": programme.required_documents.all(),
            "questions": questions,
            "windows": programme.windows.order_by("-fiscal_year", "opens_on")[:6],
        },
    )


@face_view
@require_POST
def my_apply(request: HttpRequest, code: str, face: str = "my") -> HttpResponse:
    programme = get_object_or_404(Programme, code=code, is_published=True)
    _businesses, business = _chosen_business(request)
    if business is None:
        messages.error(request, NO_BUSINESS_MESSAGE)
        return redirect("programmes:my-programme", code=code)
    try:
        application = services.create_application(
            actor=request.user, programme=programme, business=business
        )
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(f"{reverse('programmes:my-programme', args=[code])}?business={business.pk}")
    return redirect("programmes:my-application-edit", pk=application.pk)


@face_view
def my_applications(request: HttpRequest, face: str = "my") -> HttpResponse:
    page = page_of(request, selectors.applications_for_user(request.user))
    return render(request, "programmes/my/application_list.html", {"page_obj": page})
