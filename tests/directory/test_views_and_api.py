"""Who may open what: every wrong role, anonymous visitors and another business's member;
list pages and API lists whose query counts do not grow with rows; the import page end to end."""

import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shoko.core.models import Membership
from shoko.directory.models import Business, ImportJob, Shop, ShopChangeRequest
from tests.directory.conftest import member
from tests.directory.factories import BusinessFactory, ShopFactory, StreetFactory, VacantShopFactory

pytestmark = pytest.mark.django_db
NON_OFFICIAL_ROLES = ["consultant", "judge", "business_member", None]
STAFF_PAGES = [
    "staff-business-list",
    "staff-street-list",
    "staff-shop-list",
    "staff-vacant-list",
    "staff-duplicates",
    "staff-changes",
    "staff-map",
    "staff-map-data",
    "staff-import",
]


@pytest.mark.parametrize("role", NON_OFFICIAL_ROLES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_refuse_everyone_but_officials(client, make_user, role, page):
    client.force_login(make_user(role))
    assert client.get(reverse(f"directory:{page}")).status_code == 403


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    response = client.get(reverse(f"directory:{page}"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role", ["admin", "economy_staff", "commerce_staff"])
def test_every_official_role_works_in_the_directory(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("directory:staff-business-list")).status_code == 200


def test_another_business_member_gets_404_everywhere(client, business):
    shop = ShopFactory(business=business)
    stranger = member(BusinessFactory())
    client.force_login(stranger)
    for name, args in [
        ("my-business", [business.pk]),
        ("my-business-edit", [business.pk]),
        ("my-shop", [shop.pk]),
        ("my-shop-edit", [shop.pk]),
        ("my-shop-new", [business.pk]),
    ]:
        assert client.get(reverse(f"directory:{name}", args=args)).status_code == 404, name
    assert client.post(reverse("directory:shop-publish", args=[shop.pk])).status_code == 404
    assert (
        client.post(
            reverse("directory:my-add-member", args=[business.pk]),
            {"email": "x@example.jp", "role": "manager"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("directory:my-business-edit", args=[business.pk]), {"name": "乗っ取り"}
        ).status_code
        == 404
    )
    business.refresh_from_db()
    assert business.name != "乗っ取り"


def test_viewers_read_but_cannot_edit(client, business):
    client.force_login(member(business, Membership.Role.VIEWER))
    assert client.get(reverse("directory:my-business", args=[business.pk])).status_code == 200
    assert client.get(reverse("directory:my-business-edit", args=[business.pk])).status_code == 403
    assert (
        client.post(
            reverse("directory:my-add-member", args=[business.pk]),
            {"email": "x@example.jp", "role": "manager"},
        ).status_code
        == 403
    )


def test_the_owner_edits_a_published_shop_and_staff_approve(client, business, owner, official):
    shop = ShopFactory(business=business, published=True, name_ja="元の名前")
    client.force_login(owner)
    response = client.post(
        reverse("directory:my-shop-edit", args=[shop.pk]),
        {
            "name_ja": "新しい名前",
            "opening_hours": "月-金 10:00-18:00",
            "payment_methods": ["cash", "qr"],
            "spoken_languages_text": "en:greeting",
        },
    )
    assert response.status_code == 302
    change = ShopChangeRequest.objects.get()
    assert change.changes["name_ja"] == "新しい名前"
    client.force_login(official)
    client.post(reverse("directory:staff-change-decide", args=[change.pk]), {"decision": "approve"})
    shop.refresh_from_db()
    assert shop.name_ja == "新しい名前"
    assert shop.payment_methods == ["cash", "qr"]


def test_the_owner_adds_a_member_and_a_shop(client, business, owner):
    client.force_login(owner)
    client.post(
        reverse("directory:my-add-member", args=[business.pk]),
        {"email": "Staff@Example.jp", "full_name": "店員", "role": "manager"},
    )
    assert business.organisation.memberships.filter(user__email="staff@example.jp").exists()
    response = client.post(
        reverse("directory:my-shop-new", args=[business.pk]),
        {"name_ja": "二号店", "postal_code": "１７６－０００１"},
    )
    assert response.status_code == 302
    assert Shop.objects.get(name_ja="二号店").postal_code == "1760001"


def test_staff_form_shows_service_errors_on_fields(client, official):
    client.force_login(official)
    response = client.post(
        reverse("directory:staff-business-new"),
        {
            "name": "x",
            "legal_form": "corporation",
            "corporate_number": "1234567890123",
            "industry_code": "ZZ",
        },
    )
    assert response.status_code == 200
    assert "日本標準産業分類のコード「ZZ」はありません" in response.content.decode()
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    "page",
    [
        "staff-business-list",
        "staff-street-list",
        "staff-shop-list",
        "staff-vacant-list",
        "staff-map-data",
    ],
)
def test_list_queries_do_not_grow_with_rows(client, official, django_assert_max_num_queries, page):
    client.force_login(official)
    ShopFactory()
    VacantShopFactory()
    client.get(reverse(f"directory:{page}"))  # warm caches (roles, content types)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(f"directory:{page}"))
    for _ in range(15):
        ShopFactory(latitude="35.7", longitude="139.6")
        VacantShopFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(f"directory:{page}") + "?q=テスト")


def test_the_import_page_dry_run_then_import(client, official, django_capture_on_commit_callbacks):
    from tests.directory.test_import_export import real_looking_businesses, xlsx

    client.force_login(official)
    upload = io.BytesIO(xlsx(real_looking_businesses()))
    upload.name = "事業者一覧.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:staff-import"), {"kind": "business", "file": upload}
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("directory:staff-import-job", args=[job.pk])
    assert (job.status, job.created_count, job.dry_run) == ("done", 3, True)
    assert not Business.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "この内容で取り込む" in page
    assert "新規登録" in page
    progress = client.get(
        reverse("directory:staff-import-progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Refresh"] == "true"
    assert "100%" in progress.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:staff-import-confirm", args=[job.pk]))
    assert Business.objects.count() == 3
    real = ImportJob.objects.get(dry_run=False)
    assert real.status == "done"
    assert real.source_job == job
    # A refused dry run cannot be imported.
    assert client.post(reverse("directory:staff-import-confirm", args=[real.pk])).status_code == 302
    assert ImportJob.objects.count() == 2


def test_an_oversized_upload_is_refused_on_the_page(client, official, settings):
    settings.SHOKO_UPLOAD_MAX_BYTES = 1024
    client.force_login(official)
    upload = io.BytesIO(b"x" * 2048)
    upload.name = "big.csv"
    response = client.post(reverse("directory:staff-import"), {"kind": "business", "file": upload})
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_exports_download_as_excel_and_bom_csv(client, official):
    BusinessFactory(name="練馬工業")
    client.force_login(official)
    response = client.get(reverse("directory:staff-export", args=["business", "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "練馬工業" in response.content.decode("utf-8-sig")
    response = client.get(
        reverse("directory:staff-export", args=["shop", "xlsx"]) + "?template=1&headers=en"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("directory:staff-export", args=["secrets", "csv"])).status_code == 404


# --- API ----------------------------------------------------------------------------------------------  # noqa: E501


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("role", NON_OFFICIAL_ROLES)
def test_staff_api_refuses_other_roles(api, make_user, role):
    if role:
        api.force_authenticate(make_user(role))
    for url in (
        "/api/v1/directory/businesses/",
        "/api/v1/directory/shops/",
        "/api/v1/directory/streets/",
        "/api/v1/directory/vacant-shops/",
    ):
        assert api.get(url).status_code in (401, 403)


def test_staff_api_crud(api, official):
    api.force_authenticate(official)
    response = api.post(
        "/api/v1/directory/businesses/",
        {
            "name": "API商事",
            "legal_form": "corporation",
            "postal_code": "１７６－８５０１",
            "industry_code": "58",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["postal_code"] == "1768501"
    assert response.json()["industry"] == "58"
    bad = api.post(
        "/api/v1/directory/businesses/", {"name": "x", "industry_code": "Z9"}, format="json"
    )
    assert bad.status_code == 400
    assert "Z9" in str(bad.json())
    street = api.post(
        "/api/v1/directory/streets/",
        {
            "name_ja": "API通り",
            "area": "nerima",
            "concepts": ["anime"],
            "latitude": "35.73",
            "longitude": "139.65",
        },
        format="json",
    )
    assert street.status_code == 201, street.json()
    shop = api.post(
        "/api/v1/directory/shops/",
        {
            "business": pk,
            "street": street.json()["id"],
            "name_ja": "API食堂",
            "opening_hours": "月-金 11:00-20:00",
            "payment_methods": ["qr"],
        },
        format="json",
    )
    assert shop.status_code == 201, shop.json()
    assert shop.json()["opening_hours"] == "月-金 11:00-20:00"
    patched = api.patch(
        f"/api/v1/directory/shops/{shop.json()['id']}/",
        {"latitude": "51.5", "longitude": "-0.1"},
        format="json",
    )
    assert patched.status_code == 400
    assert (
        api.delete(f"/api/v1/directory/businesses/{pk}/").status_code == 400
    )  # it still has a shop
    assert api.delete(f"/api/v1/directory/shops/{shop.json()['id']}/").status_code == 204
    vacant = api.post(
        "/api/v1/directory/vacant-shops/",
        {"address": "東京都練馬区練馬1-1-1", "status": "available", "rent_yen": 120000},
        format="json",
    )
    assert vacant.status_code == 201


def test_public_api_shows_only_published_shops_to_anyone(api):
    street = StreetFactory()
    published = ShopFactory(
        street=street, published=True, payment_methods=["qr"], opening_hours="月-日 10:00-20:00"
    )
    ShopFactory(street=street)
    response = api.get("/api/v1/public/shops/")
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [published.pk]
    assert (
        response.json()["results"][0]["opening_hours_specification"][0]["@type"]
        == "OpeningHoursSpecification"
    )
    assert api.get("/api/v1/public/shops/?payment=cash").json()["count"] == 0
    assert api.get("/api/v1/public/streets/").json()["results"][0]["shop_count"] == 1
    assert api.post("/api/v1/public/shops/", {}).status_code in (403, 405)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/shops/",
        "/api/v1/public/streets/",
        "/api/v1/directory/shops/",
        "/api/v1/directory/businesses/",
    ],
)
def test_api_list_queries_do_not_grow(api, official, django_assert_max_num_queries, url):
    api.force_authenticate(official)
    ShopFactory(published=True)
    api.get(url)
    with django_assert_max_num_queries(10) as few:
        api.get(url)
    for _ in range(10):
        ShopFactory(published=True, opening_hours="月-金 10:00-18:00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get(url)


def test_the_directory_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/public/shops/" in schema
    assert "/api/v1/directory/businesses/" in schema


def test_the_rows_written_so_far_show_while_the_import_transaction_is_still_open(client, official):
    """The write is one transaction: the worker reports through the shared cache, and the
    page that polls shows it (it used to stay at 0% until the end)."""
    from shoko.directory.imports.progress import report_writing

    job = ImportJob.objects.create(
        kind="business", dry_run=False, filename="事業者一覧.xlsx", status="writing", total_rows=200
    )
    client.force_login(official)
    url = reverse("directory:staff-import-progress", args=[job.pk])
    assert 'value="0"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    report_writing(job.pk, 50, 200)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "50 / 200" in fragment
    assert 'value="25"' in fragment
    assert ImportJob.objects.get(pk=job.pk).processed_rows == 0  # the row itself is untouched


def test_a_real_import_reports_its_writing_through_the_cache(
    client, official, django_capture_on_commit_callbacks
):
    from shoko.directory.imports.progress import written_so_far
    from tests.directory.test_import_export import real_looking_businesses, xlsx

    client.force_login(official)
    upload = io.BytesIO(xlsx(real_looking_businesses()))
    upload.name = "事業者一覧.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:staff-import"), {"kind": "business", "file": upload})
    dry = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:staff-import-confirm", args=[dry.pk]))
    real = ImportJob.objects.get(dry_run=False)
    assert real.status == "done"
    assert written_so_far(real.pk) == (3, 3)
    assert written_so_far(dry.pk) is None  # a dry run writes nothing


def test_owner_and_staff_see_that_a_shop_on_a_withdrawn_street_is_not_shown(
    client, business, owner, official
):
    withdrawn = StreetFactory(is_published=False)
    shop = ShopFactory(business=business, street=withdrawn, published=True)
    hidden = "公開設定済み（商店街が非公開のため表示されません）"
    client.force_login(owner)
    for page in ("directory:my-business", "directory:my-shop"):
        pk = business.pk if page == "directory:my-business" else shop.pk
        assert hidden in client.get(reverse(page, args=[pk])).content.decode()
    client.force_login(official)
    assert hidden in client.get(reverse("directory:staff-shop-list")).content.decode()
    page = client.get(reverse("directory:staff-shop-detail", args=[shop.pk])).content.decode()
    assert hidden in page
    withdrawn.is_published = True
    withdrawn.save()
    page = client.get(reverse("directory:staff-shop-detail", args=[shop.pk])).content.decode()
    assert hidden not in page
    assert "公開中" in page


def test_the_public_api_leaves_out_shops_of_withdrawn_streets(api):
    withdrawn = StreetFactory(is_published=False)
    hidden = ShopFactory(street=withdrawn, published=True)
    alone = ShopFactory(street=None, published=True)
    assert [s["id"] for s in api.get("/api/v1/public/shops/").json()["results"]] == [alone.pk]
    assert api.get(f"/api/v1/public/shops/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/public/shops/{alone.pk}/").status_code == 200
