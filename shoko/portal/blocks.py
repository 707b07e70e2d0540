"""The portal's own home-page blocks: featured streets and the latest stories.

Events ("this week's events and machi-zemi") and the plan ("progress of the plan") register
theirs the same way from their own apps (see ``shoko.portal.registry``); the home page shows
whatever is registered and leaves out a block whose ``context`` returns None.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shoko.portal import selectors
from shoko.portal.cache import LISTS
from shoko.portal.registry import HomeBlock, register_home_block


def featured_streets(request: HttpRequest) -> dict[str, Any] | None:
    streets = selectors.featured_streets()
    return {"streets": streets} if streets else None


def latest_stories(request: HttpRequest) -> dict[str, Any] | None:
    stories = selectors.latest_stories()
    return {"stories": stories} if stories else None


def register_portal_blocks() -> None:
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
