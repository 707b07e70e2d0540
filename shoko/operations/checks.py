"""Deploy checks: ``check --deploy`` fails where production would fail at its first request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """With hashed static files, a page whose ``{% static %}`` finds no manifest entry answers
    500 (the sign-in pages did, after a collectstatic that had failed). The manifest must exist
    and name every file the finders know."""
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return []
    try:
        manifest, _hash = storage.load_manifest()
    except ValueError as exc:
        manifest, broken = {}, str(exc)
    else:
        broken = ""
    if not manifest:
        return [
            Error(
                f"No static files manifest in {settings.STATIC_ROOT} {broken}".strip(),
                hint="Run `manage.py collectstatic --noinput` with the production settings "
                "(and see that it finishes without an error) before starting the app servers.",
                id="shoko.E101",
            )
        ]
    from django.contrib.staticfiles.finders import get_finders

    ignored = ["CVS", ".*", "*~"]  # collectstatic's own default
    known = {path for finder in get_finders() for path, _storage in finder.list(ignored)}
    missing = sorted(known - manifest.keys())
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return [
            Error(
                f"{len(missing)} static file(s) are not in the manifest: {shown}",
                hint="The manifest is older than the code: run collectstatic again.",
                id="shoko.E102",
            )
        ]
    return []
