"""A staff member imports a spreadsheet (dry run, then the import with its progress bar) and
opens the map, on a phone and on a desktop."""

from __future__ import annotations

import pytest

from shoko.directory.models import Business
from tests.directory.factories import ShopFactory, StreetFactory
from tests.directory.test_import_export import real_looking_businesses, xlsx
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    # Transactional tests flush the tables that migration 0002 filled (JSIC, areas, categories).
    from io import StringIO

    from django.core.management import call_command

    call_command("load_directory_reference", stdout=StringIO())


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/")


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
def test_staff_import_dry_run_then_import_with_progress(
    page_at, live_server, make_user, screenshot, tmp_path, width, height, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = make_user("economy_staff")
    page = page_at(width, height)
    sign_in(page, live_server, staff)
    page.goto(live_server.url + "/staff/directory/import/")
    path = tmp_path / "事業者一覧.xlsx"
    path.write_bytes(xlsx(real_looking_businesses()))
    page.select_option("#id_kind", "business")
    page.set_input_files("#id_file", str(path))
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector("#confirm-import")
    assert page.locator("progress").get_attribute("value") == "100"
    assert "新規登録" in page.locator("table").last.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"directory-import-dry-run-{width}")
    assert not Business.objects.exists()
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    assert Business.objects.count() == 3
    screenshot(page, f"directory-import-done-{width}")


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)])
def test_staff_opens_the_map_without_tiles(
    page_at, live_server, make_user, screenshot, settings, width, height
):
    settings.SHOKO_MAP_TILE_URL = ""  # usable with no tile server at all
    street = StreetFactory(
        name_ja="ねりま通り商店会",
        geometry={"type": "LineString", "coordinates": [[139.654, 35.737], [139.656, 35.738]]},
    )
    for i in range(5):
        ShopFactory(
            street=street, latitude=f"35.73{i}", longitude=f"139.65{i}", published=i % 2 == 0
        )
    staff = make_user("commerce_staff")
    page = page_at(width, height)
    sign_in(page, live_server, staff)
    page.goto(live_server.url + "/staff/directory/map/")
    page.wait_for_selector("#directory-map[data-loaded]")
    assert (
        int(page.locator("#directory-map").get_attribute("data-loaded")) == 7
    )  # street point + shape + 5 shops
    assert page.locator(".leaflet-interactive").count() >= 1
    assert "ねりま通り商店会" in page.locator("table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"directory-map-{width}")
