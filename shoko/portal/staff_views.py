"""Screens behind the portal: officials manage stories, translations and QR posters
(/staff/portal/…); street associations write drafts of their stories (/my/portal/…)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shoko.core import permissions
from shoko.core.models import Organisation
from shoko.core.pdf import pdf_response
from shoko.core.permissions import get_for_user_or_404, officials_only
from shoko.directory.models import Shop, ShoppingStreet
from shoko.directory.selectors import shops as find_shops
from shoko.portal import posters, selectors, services
from shoko.portal.forms import ReturnForm, StoryForm, TranslationStateForm
from shoko.portal.models import Story

SAVED_MESSAGE = _("保存しました。")
PAGE_SIZE = 50
TRANSITIONS = {
    "submit": (services.submit_story, _("確認を依頼しました。")),
    "publish": (services.publish_story, _("公開しました。")),
    "archive": (services.archive_story, _("公開を終了しました。")),
    "reopen": (services.reopen_story, _("下書きに戻しました。")),
}


def _saved(request: HttpRequest, form: Any, save: Any, next_url: str) -> HttpResponse | None:
    """Call ``save()`` for a valid bound form; a redirect on success, None to show the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        story = save()
    except ValidationError as exc:
        _errors(form, exc)
        return None
    messages.success(request, SAVED_MESSAGE)
    return redirect(next_url, pk=story.pk)


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Staff: stories -----------------------------------------------------------------------------


@officials_only
def story_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Story.objects.select_related("street", "organisation", "author").order_by(
        "-updated_at", "-pk"
    )
    if status in Story.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/story_list.html",
        {"page_obj": page, "statuses": Story.Status.choices, "status": status},
    )


@officials_only
def story_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk) if pk else None
    form = StoryForm(request.POST or None, request.FILES or None, instance=story)

    def save() -> Story:
        if story is None:
            return services.create_story(actor=request.user, data=form.service_data())
        return services.update_story(actor=request.user, story=story, data=form.service_data())

    done = _saved(request, form, save, "portal:staff-story-detail")
    if done:
        return done
    return render(request, "portal/staff/story_form.html", {"form": form, "story": story})


@officials_only
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.select_related("street", "shop", "organisation"), pk=pk)
    return render(
        request,
        "portal/staff/story_detail.html",
        {
            "story": story,
            "return_form": ReturnForm(),
            "state_form": TranslationStateForm(record=story),
        },
    )


@require_POST
@login_required
def story_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit / publish / archive / reopen / return, from staff and business screens alike."""
    story = _story_for(request, pk)
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            reason = form.data.get("reason", "")
            services.return_story(actor=request.user, story=story, reason=reason)
            messages.success(request, _("差し戻しました。"))
        elif action in TRANSITIONS:
            action_fn, done = TRANSITIONS[action]
            action_fn(actor=request.user, story=story)
            messages.success(request, done)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if permissions.is_official(request.user):
        return redirect("portal:staff-story-detail", pk=story.pk)
    return redirect("portal:my-story-edit", pk=story.pk)


def _story_for(request: HttpRequest, pk: int) -> Story:
    if permissions.is_official(request.user):
        return get_object_or_404(Story, pk=pk)
    return get_for_user_or_404(Story.objects.all(), request.user, pk=pk)


# --- Staff: translations ------------------------------------------------------------------------


@officials_only
def translations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/staff/translations.html",
        {"rows": selectors.translation_overview(), "kinds": dict(_KIND_LABELS)},
    )


_KIND_LABELS = [("street", _("商店街")), ("shop", _("個店")), ("story", _("記事"))]
_EDIT_URLS = {
    "street": "directory:staff-street-edit",
    "shop": "directory:staff-shop-edit",
    "story": "portal:staff-story-edit",
}


@officials_only
def translation_list(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    translated = selectors.translation_kind(kind)
    state = request.GET.get("state") or None
    if state not in (None, "machine", "human", "reviewed"):
        state = None
    qs = selectors.untranslated(translated, language, state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/translation_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "kind_label": dict(_KIND_LABELS)[kind],
            "language": language,
            "state": state,
            "edit_url": _EDIT_URLS[kind],
            "title_field": translated.title_field,
        },
    )


@officials_only
@require_POST
def translation_states(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    translated = selectors.translation_kind(kind)
    record = get_object_or_404(translated.model, pk=pk)
    form = TranslationStateForm(request.POST, record=record)
    if form.is_valid():
        try:
            services.set_translation_states(
                actor=request.user, record=record, states=form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, SAVED_MESSAGE)
    else:
        messages.error(request, _("翻訳の状態を選び直してください。"))
    return redirect(request.POST.get("next") or "portal:staff-translations")


# --- Staff: QR posters ---------------------------------------------------------------------------


@officials_only
def poster_list(request: HttpRequest) -> HttpResponse:
    shop_query = request.GET.get("shop", "").strip()
    shops: list[Shop] = []
    if shop_query:
        shops = list(find_shops(q=shop_query[:100]).public()[:30])
    return render(
        request,
        "portal/staff/posters.html",
        {
            "streets": ShoppingStreet.objects.public().order_by("name_kana"),
            "shops": shops,
            "shop_query": shop_query,
        },
    )


@officials_only
def poster_pdf(request: HttpRequest, kind: str, pk: int, size: str) -> HttpResponse:
    if size not in posters.SIZES:
        raise Http404
    if kind == "shop":
        record: Any = get_object_or_404(Shop.objects.public(), pk=pk)
    elif kind == "street":
        record = get_object_or_404(ShoppingStreet.objects.public(), pk=pk)
    else:
        raise Http404
    content = posters.render_poster(request=request, kind=kind, record=record, size=size)
    return pdf_response(content, posters.poster_filename(record, size), inline=True)


# --- Business portal: street associations' stories ------------------------------------------------


def _association_orgs(request: HttpRequest) -> list[Organisation]:
    orgs = Organisation.objects.filter(
        pk__in=permissions.organisation_ids_of(request.user)
    ).select_related("business")
    return [o for o in orgs if services.association_streets(o)]


@login_required
def my_story_list(request: HttpRequest) -> HttpResponse:
    orgs = _association_orgs(request)
    stories = permissions.scope_to_user(Story.objects.select_related("street"), request.user)
    return render(
        request,
        "portal/my/story_list.html",
        {"organisations": orgs, "stories": stories.order_by("-updated_at", "-pk")[:100]},
    )


@login_required
def my_story_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_for_user_or_404(
        Organisation.objects.all(), request.user, organisation_field="pk", pk=org_pk
    )
    streets = services.association_streets(organisation)
    if not streets or not permissions.can_edit_for(request.user, organisation.pk):
        raise Http404
    form = StoryForm(request.POST or None, request.FILES or None, streets=streets, member=True)
    done = _saved(
        request,
        form,
        lambda: services.create_story(
            actor=request.user, data=form.service_data(), organisation=organisation
        ),
        "portal:my-story-edit",
    )
    if done:
        return done
    return render(
        request, "portal/my/story_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def my_story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_for_user_or_404(Story.objects.select_related("organisation"), request.user, pk=pk)
    editable = services.may_edit(request.user, story)
    streets = services.association_streets(story.organisation)
    form = StoryForm(
        request.POST or None, request.FILES or None, instance=story, streets=streets, member=True
    )
    if request.method == "POST" and not editable:
        raise Http404
    done = _saved(
        request,
        form,
        lambda: services.update_story(actor=request.user, story=story, data=form.service_data()),
        "portal:my-story-edit",
    )
    if done:
        return done
    return render(
        request,
        "portal/my/story_form.html",
        {"form": form, "story": story, "organisation": story.organisation, "editable": editable},
    )
