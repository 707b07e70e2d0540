"""Factories for the portal: stories are made through services, like everything else."""

from __future__ import annotations

import factory
from django.utils import timezone

from shoko.portal.models import Story


class StoryFactory(factory.django.DjangoModelFactory):
    """A story written by ward staff; ``status`` sets where it is in the workflow."""

    class Meta:
        model = Story

    title_ja = factory.Sequence(lambda n: f"商店街のはなし{n}")
    title = factory.SelfAttribute("title_ja")
    body_ja = "商店街の店をめぐる記事です。"
    status = Story.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
