"""The portal's own home-page blocks: featured streets and the latest stories.

Events ("this week's events and machi-zemi") and the plan ("progress of the plan") register
theirs the same way from their own apps (see ``shoko.portal.registry``); the home page shows
whatever is registered and leaves out a block whose ``context`` returns None.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest

from shoko.portal import cache, selectors
from shoko.portal.cache import LISTS
from shoko.portal.registry import HomeBlock, register_home_block


def featured_streets(request: HttpRequest) -> dict[str, Any] | None:
    streets = selectors.featured_streets()
    return {"streets": streets} if streets else None


def latest_stories(request: HttpRequest) -> dict[str, Any] | None:
    stories = selectors.latest_stories()
    return {"stories": stories} if stories else None


def plan_progress(request: HttpRequest) -> dict[str, Any] | None:
    """The plan's progress in one glance, linking to the full public page (13-5: residents and
    councillors see how the ward is doing)."""
    # The plan is optional for the portal: its block is registered only when it is installed.
    from shoko.plan import selectors as plan_selectors

    plan = plan_selectors.current_plan()
    if plan is None:
        return None
    # Actuals come from every app's records; an hour's staleness on the home page is fine.
    cache.expire_in(request, 3600)
    progress = plan_selectors.plan_progress(plan)
    return {"plan_progress": progress}


def register_portal_blocks() -> None:
    if apps.is_installed("shoko.plan"):
        register_home_block(
            HomeBlock(
                key="plan-progress",
                template="portal/blocks/plan_progress.html",
                context=plan_progress,
                order=50,
                tags=("plan",),
            )
        )
    register_home_block(
        HomeBlock(
            key="featured-streets",
            template="portal/blocks/featured_streets.html",
            context=featured_streets,
            order=10,
            tags=(LISTS,),
        )
    )
    register_home_block(
        HomeBlock(
            key="latest-stories",
            template="portal/blocks/latest_stories.html",
            context=latest_stories,
            order=40,
            tags=(LISTS,),
        )
    )
