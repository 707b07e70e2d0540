"""What staff's own tools make of our files: poppler's pdftotext (the reader behind many PDF
viewers and search indexers) reads the plan report. Needs Debian's poppler-utils, so it runs in
CI's production step (.ci/run installs it), never in `make test`."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.plan.factories import load_seed

pytestmark = [pytest.mark.production, pytest.mark.django_db]


def test_pdftotext_reads_the_plan_report(client, official, tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils' pdftotext is needed (apt-get install poppler-utils)"
    plan = load_seed()
    client.force_login(official)
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(reverse("plan:export-pdf", args=[plan.slug, 2019])).content)
    text = subprocess.run(  # noqa: S603  (Debian's pdftotext on our own file)
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "令和元年度 取組状況報告" in text
    assert "3地域 (継続)" in text
