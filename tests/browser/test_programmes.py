"""A shop owner on a phone applies for shop-renovation support, is returned, fixes it, is
approved with a PDF notice, reports completion and is paid; staff watch the budget fall."""

from __future__ import annotations

import pytest

from shoko.core.models import Membership
from shoko.programmes.models import Application, Status
from tests.directory.factories import BusinessFactory, ShopFactory
from tests.factories import PASSWORD, MembershipFactory, user_with_role
from tests.programmes.conftest import directory_reference  # noqa: F401 (a fixture)
from tests.programmes.factories import ProgrammeFactory, pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("directory_reference"),
]


def sign_in(page, url, email):
    page.goto(url)
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_load_state()


def fits(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def remaining(page, live_server, programme):
    page.goto(f"{live_server.url}/staff/programmes/{programme.code}/budget/")
    return page.locator("#budget-remaining").inner_text()


def test_a_shop_owner_is_granted_and_paid_shop_renovation_support_on_a_phone(
    page_at, live_server, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = ProgrammeFactory(
        code="shop_renovation", name_ja="店舗改修支援事業", budget_yen=5_000_000
    )
    business = BusinessFactory(name="ねりま食堂", representative_name="練馬 太郎")
    shop = ShopFactory(business=business, name_ja="ねりま食堂 本店", is_association_member=True)
    owner = user_with_role("business_member", email="owner@example.jp", full_name="練馬 太郎")
    MembershipFactory(
        user=owner, organisation=business.organisation, role=Membership.Role.REPRESENTATIVE
    )
    staff_user = user_with_role(
        "commerce_staff", email="commerce@example.jp", full_name="商工 次郎"
    )
    quote = tmp_path / "見積書.pdf"
    quote.write_bytes(pdf_bytes("Quotation 1,200,000 JPY"))
    receipt = tmp_path / "領収書.pdf"
    receipt.write_bytes(pdf_bytes("Receipt 1,150,000 JPY"))

    phone = page_at(375, 812)
    desk = page_at(1280, 900)
    sign_in(desk, f"{live_server.url}/staff/login/", staff_user.email)
    assert remaining(desk, live_server, programme) == "5,000,000円"

    # The owner finds the programme, sees that the shop may apply, and starts.
    sign_in(phone, f"{live_server.url}/my/login/", owner.email)
    phone.goto(f"{live_server.url}/my/programmes/")
    phone.click("text=店舗改修支援事業")
    assert "ねりま食堂 は申請資格を満たしています。" in phone.content()
    fits(phone)
    screenshot(phone, "programmes-01-programme-375")
    phone.click("text=申請書を作成する")

    # The form comes prefilled from the business record; amounts typed in full width.
    assert phone.input_value("#id_applicant_name") == "ねりま食堂"
    phone.fill("#id_title", "入口の段差をなくす改修")
    phone.fill("#id_summary", "車いすやベビーカーのお客様が入れるようにします。")
    phone.select_option("#id_exp-0-category", "construction")
    phone.fill("#id_exp-0-description", "入口改修工事")
    phone.fill("#id_exp-0-amount", "１，２００，０００円")
    phone.check("input[name=answer_purpose][value='課題の解決']")
    fits(phone)
    screenshot(phone, "programmes-02-form-375")
    phone.click("button[value=documents]")
    phone.wait_for_url("**/documents/")
    phone.set_input_files("input[type=file] >> nth=0", str(quote))
    phone.click("form.upload-form button >> nth=0")
    assert "見積書.pdf" in phone.content()
    phone.click("text=確認画面へ")
    assert "800,000円" in phone.content()  # 1,200,000 × 2/3, 千円未満切捨て
    screenshot(phone, "programmes-03-preview-375")
    phone.click("text=この内容で申請する")
    assert "申請済み" in phone.content()
    application = Application.objects.get()

    # Staff return it for correction.
    desk.goto(f"{live_server.url}/staff/programmes/applications/")
    desk.click(f"text={application.number}")
    desk.fill("#comment-return", "見積書の宛名を申請者名にしてください。")
    desk.click("form:has(#comment-return) button")
    assert "差戻し" in desk.content()

    # The owner reads why, fixes it and resubmits.
    phone.goto(f"{live_server.url}/my/programmes/applications/{application.pk}/")
    assert "見積書の宛名を申請者名にしてください。" in phone.content()
    screenshot(phone, "programmes-04-returned-375")
    phone.click("text=書類を提出する >> nth=0")
    phone.set_input_files("input[type=file] >> nth=0", str(quote))
    phone.click("form.upload-form button >> nth=0")
    assert "第2版" in phone.content()
    phone.click("text=確認画面へ")
    phone.click("text=この内容で再申請する")
    assert "再申請済み" in phone.content()

    # Staff review and approve; the notice is issued and the budget falls.
    desk.goto(f"{live_server.url}/staff/programmes/applications/{application.pk}/")
    desk.click("text=審査を始める")
    assert desk.input_value("#amount-approve") == "800,000"
    desk.click("form:has(#amount-approve) button")
    assert "交付決定通知書" in desk.content()
    screenshot(desk, "programmes-05-approved-staff-1280")
    assert remaining(desk, live_server, programme) == "4,200,000円"
    screenshot(desk, "programmes-06-budget-1280")

    # The owner downloads the notice, reports the work done, and files the report.
    phone.goto(f"{live_server.url}/my/programmes/applications/{application.pk}/")
    notice_link = phone.locator("a:has-text('交付決定通知書')")
    pdf = phone.request.get(live_server.url + notice_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    screenshot(phone, "programmes-07-approved-375")
    phone.click("form:has(#date-complete_work) button")
    assert "事業完了" in phone.content()
    phone.click("text=実績報告を入力する")
    phone.fill("#id_summary", "予定どおり工事が完了しました。")
    phone.select_option("#id_act-0-category", "construction")
    phone.fill("#id_act-0-description", "入口改修工事")
    phone.fill("#id_act-0-amount", "1,150,000")
    phone.click("text=実績報告を保存する")
    assert "766,000円" in phone.content()
    phone.click("text=領収書などを提出する >> nth=-1")
    receipts = phone.locator("section:has(h2:has-text('領収書')) input[type=file]")
    receipts.set_input_files(str(receipt))
    phone.click("section:has(h2:has-text('領収書')) form.upload-form button")
    phone.click("text=実績報告へ")
    fits(phone)
    screenshot(phone, "programmes-08-report-375")
    phone.click("form.actions >> text=実績報告を提出する")
    assert "実績報告済み" in phone.content()

    # Staff confirm the amount (the unused part returns to the budget) and record payment.
    desk.goto(f"{live_server.url}/staff/programmes/applications/{application.pk}/")
    assert desk.input_value("#amount-confirm_amount") == "766000"
    desk.click("form:has(#amount-confirm_amount) button")
    desk.click("form:has(#date-pay) button")
    assert remaining(desk, live_server, programme) == "4,234,000円"

    phone.goto(f"{live_server.url}/my/programmes/applications/{application.pk}/")
    assert "766,000円 を支払いました。" in phone.content()
    assert "額の確定通知書" in phone.content()
    fits(phone)
    screenshot(phone, "programmes-09-paid-375")
    application.refresh_from_db()
    assert application.status == Status.PAID
    assert application.paid_yen == 766_000
    assert shop.pk == application.shop_id


def test_staff_prepare_the_call_and_a_shop_owner_sees_it_on_the_form(
    page_at, live_server, screenshot, tmp_path, settings
):
    """An official adds a document and a question, puts them first, and the owner's form and
    document list show them in that order."""
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = ProgrammeFactory(code="shop_renovation_call", name_ja="店舗改修支援事業")
    business = BusinessFactory(name="ねりま食堂", representative_name="練馬 太郎")
    ShopFactory(business=business, name_ja="ねりま食堂 本店", is_association_member=True)
    owner = user_with_role("business_member", email="owner@example.jp", full_name="練馬 太郎")
    MembershipFactory(
        user=owner, organisation=business.organisation, role=Membership.Role.REPRESENTATIVE
    )
    staff_user = user_with_role("commerce_staff", email="commerce@example.jp")

    desk = page_at(1280, 900)
    sign_in(desk, f"{live_server.url}/staff/login/", staff_user.email)
    desk.goto(f"{live_server.url}/staff/programmes/{programme.code}/")
    desk.click("nav >> text=提出書類")
    desk.fill("#id_documents-code", "ｍａｐ")  # full width is welcome
    desk.fill("#id_documents-name_ja", "店舗の案内図")
    desk.click("#add-documents summary")  # the other languages are folded away
    desk.fill("#id_documents-name_en", "Map to the shop")
    desk.check("input[name='documents-file_kinds'][value='pdf']")
    desk.check("input[name='documents-file_kinds'][value='png']")
    desk.click("#add-documents button[type=submit]")
    assert "保存しました。" in desk.content()
    for _ in range(2):
        desk.click("button[aria-label='「店舗の案内図」を上へ']")
    names = desk.locator("table tbody th").all_inner_texts()
    assert names[:3] == ["店舗の案内図", "見積書", "改修前の写真"]

    desk.click("nav >> text=申請書の追加の設問")
    desk.select_option("#id_questions-section", label="事業の計画")
    desk.fill("#id_questions-code", "near_station")
    desk.fill("#id_questions-label_ja", "店舗は駅から徒歩10分以内ですか")
    desk.select_option("#id_questions-kind", "yes_no")
    desk.click("#add-questions button[type=submit]")
    assert "保存しました。" in desk.content()
    for _ in range(2):
        desk.click("button[aria-label='「店舗は駅から徒歩10分以内ですか」を上へ']")
    labels = desk.locator("table tbody th").all_inner_texts()
    assert labels == ["店舗は駅から徒歩10分以内ですか", "改修の目的", "1日の来店者数"]
    screenshot(desk, "programmes-lists-01-questions-1280")
    phone_staff = page_at(375, 812)
    sign_in(phone_staff, f"{live_server.url}/staff/login/", staff_user.email)
    phone_staff.goto(f"{live_server.url}/staff/programmes/{programme.code}/lists/documents/")
    fits(phone_staff)
    screenshot(phone_staff, "programmes-lists-02-documents-375")

    phone = page_at(375, 812)
    sign_in(phone, f"{live_server.url}/my/login/", owner.email)
    phone.goto(f"{live_server.url}/my/programmes/{programme.code}/")
    phone.click("text=申請書を作成する")
    content = phone.content()
    assert content.index("店舗は駅から徒歩10分以内ですか") < content.index("改修の目的")
    phone.check("input[name=answer_near_station][value='yes']")
    phone.click("button[value=documents]")
    phone.wait_for_url("**/documents/")
    content = phone.content()
    assert content.index("店舗の案内図") < content.index("見積書")
    fits(phone)
    screenshot(phone, "programmes-lists-03-owner-documents-375")
    application = Application.objects.get()
    assert application.answers["near_station"] == "yes"
