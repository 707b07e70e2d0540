"""Events on the public portal: search documents, and the home page's "this week" and machi-zemi
blocks. Registered from ``EventsConfig.ready()`` only when the portal is installed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from shoko.events import selectors
from shoko.events.models import Event, Kind, Session
from shoko.portal import cache
from shoko.portal.providers import LANGUAGES, field_in
from shoko.portal.registry import (
    HomeBlock,
    SearchProvider,
    register_home_block,
    register_search_provider,
)
from shoko.portal.search import Document, DocumentText

#: Cache tag of every page that lists events (the home page blocks).
EVENTS_TAG = "events"
HOME_BLOCK_LIMIT = 6


class EventProvider(SearchProvider):
    kind = "event"
    label = _("イベント")
    order = 30
    tags = (EVENTS_TAG,)
    sitemap_section = "events"
    detail_url_name = "events:detail"

    def public(self) -> QuerySet[Event]:
        return Event.objects.public().select_related("venue")

    def document(self, event: Event, *, public: bool) -> Document:
        texts = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                kind = str(Kind(event.kind).label)
            venue = field_in(event.venue, "name", lang) if event.venue_id else ""
            texts[lang] = DocumentText(
                title=field_in(event, "title", lang),
                body=field_in(event, "description", lang),
                keywords=f"{kind} {venue}",
            )
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("events:detail", args=[event.pk])
        return Document(
            kind=self.kind,
            object_id=event.pk,
            path=path,
            published=public,
            texts=texts,
            readings=(event.title_kana,),
        )

    def connect(self) -> None:
        self.index_on_save(Event)
        # An event is public once it has a session: its first session (or the loss of its
        # last) changes whether it is found.
        for signal in (post_save, post_delete):
            signal.connect(
                self._session_changed,
                sender=Session,
                weak=False,
                dispatch_uid=f"events-portal-index-session-{signal is post_save}",
            )
        for model in (Event, Session):
            post_save.connect(
                _events_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"events-portal-cache-save-{model.__name__}",
            )
            post_delete.connect(
                _events_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"events-portal-cache-delete-{model.__name__}",
            )

    def _session_changed(
        self, sender: Any, instance: Session, raw: bool = False, **kwargs: Any
    ) -> None:
        if raw:
            return
        event = Event.objects.filter(pk=instance.event_id).select_related("venue").first()
        if event is not None:
            self.reindex(event)


def _events_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        cache.invalidate(EVENTS_TAG)


def _week(request: HttpRequest, *, machi_zemi: bool) -> dict[str, Any] | None:
    today = timezone.localdate()
    events = selectors.public_events(
        kind=Kind.MACHI_ZEMI if machi_zemi else None,
        date_from=today,
        date_to=today + dt.timedelta(days=30 if machi_zemi else 7),
    )
    if not machi_zemi:
        events = events.exclude(kind=Kind.MACHI_ZEMI)
    cache.add_tags(request, EVENTS_TAG)
    # "This week" moves on at midnight even when no event changes.
    tomorrow = dt.datetime.combine(
        today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    cache.expire_in(request, (tomorrow - timezone.now()).total_seconds())
    found = list(events[:HOME_BLOCK_LIMIT])
    return {"events": found, "machi_zemi": machi_zemi} if found else None


def this_week(request: HttpRequest) -> dict[str, Any] | None:
    """Events in the next seven days (machi-zemi have their own block)."""
    return _week(request, machi_zemi=False)


def machi_zemi(request: HttpRequest) -> dict[str, Any] | None:
    """Machi-zemi courses in the next thirty days: shopkeepers teaching what they know."""
    return _week(request, machi_zemi=True)


def register() -> None:
    register_search_provider(EventProvider())
    register_home_block(
        HomeBlock(
            key="events-this-week",
            template="events/portal/home_block.html",
            context=this_week,
            order=20,
            tags=(EVENTS_TAG,),
        )
    )
    register_home_block(
        HomeBlock(
            key="events-machi-zemi",
            template="events/portal/home_block.html",
            context=machi_zemi,
            order=25,
            tags=(EVENTS_TAG,),
        )
    )
