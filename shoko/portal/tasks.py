"""Background work of the portal: re-indexing many documents at once."""

from __future__ import annotations

from django_tasks import task


@task()
def reindex_street_shops(street_id: int) -> int:
    """A street was renamed: its shops carry the name in their search documents."""
    from shoko.portal.providers import reindex_shops_of

    return reindex_shops_of(street_id)
