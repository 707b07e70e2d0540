"""Shared fixtures: fast hashing, tasks run at once, and users for every role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import UserFactory, user_with_role


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "email"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Each test process keeps its own cache: xdist workers must not see each other's pages.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    cache.clear()
    # LocaleMiddleware leaves the last request's language active in the thread.
    translation.activate("ja")
    yield
    translation.activate("ja")
    cache.clear()


@pytest.fixture
def make_user(db):
    """``make_user("economy_staff")`` → a signed-up user holding that role (None: no role)."""

    def make(role: str | None = None, **kwargs):
        if role is None:
            return UserFactory(**kwargs)
        return user_with_role(role, **kwargs)

    return make


@pytest.fixture
def official(make_user):
    return make_user("economy_staff")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)
