"""Private files: nginx sends them after the app's check (X-Accel-Redirect) when it runs in
front; Django streams them otherwise. Either way a wrong user gets nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from shoko.plan.storage import PrivateStorage

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence_file(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SHOKO_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = PrivateStorage()
    name = storage.save("plan/evidence/報告書 2026.pdf", ContentFile(b"%PDF-1.4 evidence"))
    return storage, name


def field_file(storage, name):
    from django.db.models.fields.files import FieldFile

    from shoko.plan.models import ManualActual

    return FieldFile(ManualActual(), ManualActual._meta.get_field("evidence"), name)


def test_without_nginx_django_sends_the_file(settings, evidence_file):
    from shoko.core.files import private_file_response

    settings.SHOKO_X_ACCEL_REDIRECT = False
    storage, name = evidence_file
    response = private_file_response(field_file(storage, name), filename="報告書.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "X-Accel-Redirect" not in response
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''%E5%A0%B1" in response["Content-Disposition"]


def test_behind_nginx_the_app_names_the_internal_location(settings, evidence_file):
    from shoko.core.files import private_file_response

    settings.SHOKO_X_ACCEL_REDIRECT = True
    storage, name = evidence_file
    response = private_file_response(
        field_file(storage, name), filename="報告書.pdf", content_type="application/pdf"
    )
    assert response.content == b""
    assert response["X-Accel-Redirect"] == (
        "/_protected/private/plan/evidence/%E5%A0%B1%E5%91%8A%E6%9B%B8%202026.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert Path(storage.path(name)).exists()
