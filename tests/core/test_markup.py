"""Pages are accessible by construction and use no CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url", ["/", "/en/", "/my/login/", "/staff/login/", "/accounts/password/reset/"]
)
def test_pages_have_landmarks_a_skip_link_and_labelled_controls(client, url):
    html = client.get(url).content.decode()
    assert 'role="banner"' in html
    assert '<main id="main"' in html
    assert 'role="contentinfo"' in html
    assert 'class="skip-link" href="#main"' in html
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, f"{control_id} has no label on {url}"


def test_templates_load_nothing_from_other_hosts():
    offenders = []
    for template in (ROOT / "shoko").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', text):
            offenders.append(f"{template}: {url}")
    assert offenders == []


def test_htmx_is_served_locally(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html
