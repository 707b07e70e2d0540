"""Documents are checked by what they are: a PDF that is really a program, a file too large, a
kind the document does not accept, a virus — each refused with a message; versions are kept and
only the applicant's members and staff may read them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from shoko.programmes import services
from shoko.programmes.documents import (
    EICAR,
    FILE_EMPTY_MESSAGE,
    FILE_EXECUTABLE_MESSAGE,
    FILE_INFECTED_MESSAGE,
    FILE_KIND_NOT_ALLOWED_MESSAGE,
    FILE_NAME_MISMATCH_MESSAGE,
    FILE_TOO_LARGE_MESSAGE,
    FILE_UNKNOWN_MESSAGE,
    check_upload,
    detect_kind,
)
from shoko.programmes.models import ApplicationDocument, Status
from tests.programmes.conftest import advance
from tests.programmes.factories import EXE_BYTES, PNG_BYTES, pdf_bytes, pdf_upload, upload

pytestmark = pytest.mark.django_db


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_kinds_are_read_from_the_content():
    assert detect_kind(pdf_bytes()) == "pdf"
    assert detect_kind(PNG_BYTES) == "png"
    assert detect_kind(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "jpeg"
    assert detect_kind(xlsx_bytes()) == "xlsx"
    assert detect_kind(EXE_BYTES) == "executable"
    assert detect_kind(b"\x7fELF\x02\x01") == "executable"
    assert detect_kind(b"#!/bin/sh\nrm -rf /") == "executable"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert detect_kind(plain_zip.getvalue()) is None
    assert detect_kind(b"hello") is None


def refused(upload_file, *, allowed=("pdf",), limit=1_000_000):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload_file, allowed=allowed, limit=limit)
    return caught.value


def test_a_pdf_that_is_really_an_executable_is_refused():
    error = refused(upload("見積書.pdf", EXE_BYTES))
    assert error.message == FILE_EXECUTABLE_MESSAGE
    assert error.params["name"] == "見積書.pdf"


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    error = refused(upload("big.pdf", pdf_bytes() + b"\0" * 2048), limit=1024)
    assert error.message == FILE_TOO_LARGE_MESSAGE
    assert error.params["limit"] == "1 KB"


def test_wrong_kind_renamed_file_unknown_and_empty_files_are_refused():
    assert refused(upload("photo.png", PNG_BYTES)).message == FILE_KIND_NOT_ALLOWED_MESSAGE
    assert refused(upload("quote.pdf", PNG_BYTES), allowed=("pdf", "png")).message == (
        FILE_NAME_MISMATCH_MESSAGE
    )
    assert refused(upload("notes.pdf", b"just text")).message == FILE_UNKNOWN_MESSAGE
    assert refused(upload("empty.pdf", b"")).message == FILE_EMPTY_MESSAGE


def test_the_virus_scan_hook_is_a_setting(settings):
    settings.SHOKO_PROGRAMMES_VIRUS_SCANNER = "shoko.programmes.documents.eicar_scanner"
    infected = pdf_bytes() + EICAR
    error = refused(upload("quote.pdf", infected))
    assert error.message == FILE_INFECTED_MESSAGE
    assert error.params["threat"] == "EICAR-Test-File"
    assert check_upload(pdf_upload(), allowed=["pdf"], limit=10**6).scanned


def test_the_site_limit_caps_each_documents_limit(settings, programme):
    quote = programme.required_documents.get(code="quote")
    settings.SHOKO_UPLOAD_MAX_BYTES = 2048
    assert quote.size_limit == 2048
    quote.max_bytes = 1024
    assert quote.size_limit == 1024


def test_uploads_keep_every_version_and_mark_the_newest(draft, owner, settings):
    settings.SHOKO_PROGRAMMES_VIRUS_SCANNER = "shoko.programmes.documents.eicar_scanner"
    quote = draft.programme.required_documents.get(code="quote")
    second = services.upload_document(
        actor=owner, application=draft, requirement=quote, upload=pdf_upload("見積書_v2.pdf")
    )
    files = list(ApplicationDocument.objects.filter(application=draft, requirement=quote))
    assert sorted(f.version for f in files) == [1, 2]
    assert [f.version for f in files if f.is_current] == [2]
    assert second.original_name == "見積書_v2.pdf"
    assert second.scan == ApplicationDocument.Scan.CLEAN
    assert "見積書" not in second.file.name  # stored under a random name


def test_an_executable_upload_leaves_nothing_behind(draft, owner):
    quote = draft.programme.required_documents.get(code="quote")
    before = ApplicationDocument.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.upload_document(
            actor=owner, application=draft, requirement=quote, upload=upload("quote.pdf", EXE_BYTES)
        )
    assert caught.value.message == FILE_EXECUTABLE_MESSAGE
    assert ApplicationDocument.objects.count() == before


def test_documents_cannot_change_while_staff_review_unless_they_ask(draft, owner, commerce):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    quote = application.programme.required_documents.get(code="quote")
    with pytest.raises(ValidationError) as caught:
        services.upload_document(
            actor=owner, application=application, requirement=quote, upload=pdf_upload()
        )
    assert caught.value.message == services.DOCUMENT_STAGE_CLOSED_MESSAGE
    services.request_documents(
        actor=commerce, application=application, requirement=quote, message="宛名のある見積書を"
    )
    document = services.upload_document(
        actor=owner, application=application, requirement=quote, upload=pdf_upload()
    )
    assert document.version == 2
    assert not application.document_requests.filter(fulfilled_at__isnull=True).exists()


def test_a_download_is_for_the_applicants_members_and_staff_only(
    client, draft, owner, commerce, other_business_member, make_user
):
    document = draft.documents.first()
    url = reverse("programmes:document", args=[document.pk])
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for reader, status in [
        (commerce, 200),
        (other_business_member, 404),
        (make_user("consultant"), 404),
    ]:
        client.force_login(reader)
        assert client.get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302
