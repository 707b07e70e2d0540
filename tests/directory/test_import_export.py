"""Import and export as staff live it: Excel and CSV in three encodings, a dry run with
row-by-row reasons, all-or-nothing imports, and exports that re-import unchanged."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from shoko.directory.imports import importer, tabular
from shoko.directory.models import Business, Shop, ShoppingStreet, VacantShop
from tests.directory.factories import (
    BusinessFactory,
    ShopFactory,
    StreetFactory,
    VacantShopFactory,
    corporate_number,
)

pytestmark = pytest.mark.django_db

BUSINESS_HEADER = [
    "法人番号",
    "事業者名",
    "フリガナ",
    "法人格",
    "郵便番号",
    "所在地",
    "電話番号",
    "業種コード（日本標準産業分類）",
    "従業員数",
    "資本金（円）",
    "創業・設立日",
    "創業者",
]


def xlsx(rows, *, merge=None, formula_at=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig"):
    import csv

    text = StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def run(kind, data, name="file.xlsx", dry_run=True, language="ja"):
    return importer.import_file(
        kind=kind,
        fileobj=io.BytesIO(data),
        filename=name,
        actor=None,
        dry_run=dry_run,
        language=language,
    )


def real_looking_businesses():
    return [
        BUSINESS_HEADER,
        [
            corporate_number(1001),
            "株式会社ねりま精工",
            "ネリマセイコウ",
            "corporation",
            "176-0001",
            "東京都練馬区練馬１－２－３",
            "03-3991-0001",
            "２６",
            "１２",
            "10,000,000",
            "平成15年4月1日",
            "",
        ],
        [
            "",
            "大泉 花店",
            "オオイズミハナテン",
            "個人事業主",
            "１７８－００６１",
            "東京都練馬区大泉学園町4-5-6",
            "03-3922-0002",
            "60",
            "3",
            "",
            "2023/10/01",
            "○",
        ],
        [None, None, None, None, None, None, None, None, None, None, None, None],
        [
            "",
            "石神井ベーカリー合同会社",
            "シャクジイベーカリー",
            "corporation",
            "177-0041",
            "東京都練馬区石神井町3-1-1",
            "",
            "09",
            "",
            "3百万円",
            "2024-06-01",
            "はい",
        ],
    ]


def test_a_real_looking_file_imports_exports_and_reimports_unchanged():
    result = run("business", xlsx(real_looking_businesses()), dry_run=False)
    assert result.ok and result.written, [r.messages for r in result.rows]  # noqa: PT018
    assert [r.action for r in result.rows] == ["create"] * 3
    assert result.empty_rows == 1
    flower = Business.objects.get(name="大泉 花店")
    assert (flower.legal_form, flower.postal_code, flower.is_startup, str(flower.founded_on)) == (
        "sole_proprietor",
        "1780061",
        True,
        "2023-10-01",
    )
    assert Business.objects.get(name="株式会社ねりま精工").capital_yen == 10_000_000
    assert Business.objects.get(name="石神井ベーカリー合同会社").capital_yen == 3_000_000

    snapshot = list(Business.objects.order_by("pk").values())
    for fmt in ("xlsx", "csv"):
        exported = importer.export_file("business", fmt)
        again = run("business", exported, name=f"export.{fmt}", dry_run=False)
        assert again.ok
        assert [r.action for r in again.rows] == ["unchanged"] * 3, [
            (r.messages, r.changes) for r in again.rows
        ]
        assert list(Business.objects.order_by("pk").values()) == snapshot
        # ... and the re-export is byte-for-byte the same.
        assert importer.export_file("business", "csv") == importer.export_file("business", "csv")


def test_streets_shops_and_vacant_shops_round_trip():
    association = BusinessFactory(
        name="ねりま商店会", legal_form="association", corporate_number=corporate_number(55)
    )
    street = StreetFactory(
        name_ja="ねりま通り商店会",
        name_en="Nerima-dori",
        association=association,
        concepts=["anime", "nature"],
        geometry={"type": "LineString", "coordinates": [[139.654, 35.737], [139.655, 35.738]]},
    )
    ShopFactory(
        street=street,
        business=association,
        name_ja="ねりま食堂",
        name_en="Nerima Diner",
        payment_methods=["cash", "qr"],
        spoken_languages={"en": "conversation"},
        tax_free=True,
        latitude="35.737500",
        longitude="139.654100",
        opening_hours="月-金 11:00-14:00,17:00-22:00; 土 18:00-02:00; 祝 休",
        opening_exceptions="2026-12-31 休",
    )
    VacantShopFactory(street=street, floor_area_m2="33.50", rent_yen=180000, status="negotiating")
    for kind, model in (("street", ShoppingStreet), ("shop", Shop), ("vacant_shop", VacantShop)):
        before = list(model.objects.order_by("pk").values())
        for fmt in ("xlsx", "csv"):
            result = run(kind, importer.export_file(kind, fmt), name=f"x.{fmt}", dry_run=False)
            assert [r.action for r in result.rows] == ["unchanged"], (
                kind,
                [(r.messages, r.changes) for r in result.rows],
            )
        assert list(model.objects.order_by("pk").values()) == before


def test_english_headers_and_updates_by_corporate_number():
    BusinessFactory(name="旧社名", corporate_number=corporate_number(9))
    rows = [
        ["Corporate number", "Business name", "Legal form", "Phone"],
        [corporate_number(9), "新社名", "corporation", "０３－１１１１－２２２２"],
    ]
    result = run("business", csv_bytes(rows, "utf-8"), name="en.csv", dry_run=False, language="en")
    assert [r.action for r in result.rows] == ["update"]
    assert result.rows[0].changes == ["Business name", "Phone"]
    assert Business.objects.get(corporate_number=corporate_number(9)).phone == "0311112222"


def test_upsert_by_normalised_name_and_address():
    BusinessFactory(
        name="株式会社ヤマダ商店", postal_code="1760001", address="東京都練馬区練馬1-2-3"
    )
    rows = [
        ["事業者名", "法人格", "郵便番号", "所在地", "従業員数"],
        ["ヤマダ商店(株)", "corporation", "176-0001", "東京都練馬区練馬１－２－３", "5"],
    ]
    result = run("business", csv_bytes(rows), name="b.csv")
    assert [r.action for r in result.rows] == ["update"]


def test_the_dry_run_writes_nothing_and_reports_every_row():
    rows = [
        *real_looking_businesses(),
        ["1234567890123", "番号違い", "", "corporation", "", "", "", "", "", "", "", ""],
        ["", "郵便番号違い", "", "corporation", "176-85", "", "", "", "", "", "", ""],
        ["", "業種違い", "", "corporation", "", "", "", "Z9", "", "", "", ""],
        ["", "", "", "corporation", "", "", "", "", "", "", "", ""],
        [
            "",
            "大泉 花店",
            "",
            "個人事業主",
            "１７８－００６１",
            "東京都練馬区大泉学園町4-5-6",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    result = run("business", xlsx(rows))
    assert Business.objects.count() == 0
    by_row = {r.row: r for r in result.rows}
    assert [by_row[n].action for n in (2, 3, 5)] == ["create"] * 3
    assert "チェックデジット" in by_row[6].messages[0]
    assert by_row[6].messages[0].startswith("法人番号")
    assert "郵便番号は7桁" in by_row[7].messages[0]
    assert "日本標準産業分類のコード「Z9」はありません" in by_row[8].messages[0]
    assert by_row[9].messages == ["事業者名: 必須の項目です。"]
    assert by_row[10].messages == ["3 行目と同じ記録を指しています。1行にまとめてください。"]


def test_messages_come_in_the_staff_members_language():
    rows = [["事業者名", "法人格", "郵便番号"], ["x", "corporation", "123"]]
    result = run("business", csv_bytes(rows), name="b.csv", language="en")
    assert "7 digits" in result.rows[0].messages[0]


def test_nothing_is_half_imported():
    rows = [
        *real_looking_businesses(),
        ["", "郵便番号違い", "", "corporation", "176-85", "", "", "", "", "", "", ""],
    ]
    result = run("business", xlsx(rows), dry_run=False)
    assert not result.written
    assert result.error == str(importer.NOTHING_IMPORTED_MESSAGE)
    assert Business.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings_are_detected(encoding):
    rows = [["事業者名", "法人格", "所在地"], ["髙橋酒店", "個人事業主", "東京都練馬区関町北1-1-1"]]
    result = run("business", csv_bytes(rows, encoding), name="b.csv", dry_run=False)
    assert result.written
    assert Business.objects.get().name == "髙橋酒店"


def test_a_cp932_file_with_a_broken_byte_is_refused_with_its_row():
    data = csv_bytes(
        [["事業者名", "法人格"], ["練馬商店", "corporation"], ["壊れた行", "corporation"]], "cp932"
    )
    broken = data.replace("壊れた行".encode("cp932"), b"\x82\xff\x82")
    result = run("business", broken, name="b.csv")
    assert result.error_row == 3
    assert "3 行目に文字コードとして読めない文字があります" in result.error


def test_merged_header_cells_formulas_and_merged_rows():
    rows = [
        ["事業者名", "法人格", "所在地"],
        ["A商店", "corporation", "練馬区"],
        ["B商店", "corporation", "練馬区"],
    ]
    result = run("business", xlsx(rows, merge="A1:B1"))
    assert "見出し行に結合されたセル（A1:B1）" in result.error
    assert result.error_row == 1
    result = run("business", xlsx(rows, formula_at="C2"))
    assert result.rows[0].action == "refused"
    assert "「所在地」の列が数式（=1+1）です" in result.rows[0].messages[0]
    assert result.rows[1].action == "create"
    result = run("business", xlsx(rows, merge="C2:C3"))
    assert all("結合されたセル（C2:C3）" in r.messages[0] for r in result.rows)


def test_a_huge_file_is_refused_by_its_size_before_parsing(settings):
    settings.SHOKO_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    huge = b"\x00" * (50 * 1024 * 1024)  # not even a workbook: size is checked first
    result = run("business", huge, name="big.xlsx")
    assert "ファイルが大きすぎます（50.0 MB）" in result.error


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "wrong.xlsx", tabular.NOT_A_WORKBOOK_MESSAGE),
        ("名前,種別\n".encode(), "wrong.xlsx", tabular.NOT_A_WORKBOOK_MESSAGE),
        (b"", "empty.csv", tabular.EMPTY_FILE_MESSAGE),
        (b"%PDF-1.4", "report.pdf", tabular.UNSUPPORTED_MESSAGE),
    ],
)
def test_wrong_kinds_of_file(data, name, message):
    assert run("business", data, name=name).error == str(message)


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert run("business", buffer.getvalue(), name="x.xlsx").error == str(
        tabular.NOT_A_WORKBOOK_MESSAGE
    )


def test_unknown_and_missing_headers():
    result = run(
        "business",
        csv_bytes([["事業者名", "法人格", "好きな色"], ["A", "corporation", "青"]]),
        name="b.csv",
    )
    assert "知らない列見出しがあります: 好きな色" in result.error
    result = run("business", csv_bytes([["所在地"], ["練馬区"]]), name="b.csv")
    assert "必須の列がありません" in result.error


def test_streets_refuse_places_outside_japan_and_bad_geojson():
    rows = [
        ["商店街名", "緯度", "経度", "形状（GeoJSON）"],
        ["ロンドン商店会", "51.5", "-0.12", ""],
        ["壊れた形", "35.73", "139.65", '{"type": "LineString", "coordinates": [[139.65]]}'],
        [
            "よい商店会",
            "35.73",
            "139.65",
            '{"type": "LineString", "coordinates": [[139.65, 35.73], [139.66, 35.74]]}',
        ],
    ]
    result = run("street", csv_bytes(rows), name="s.csv", dry_run=False)
    assert [r.action for r in result.rows] == ["refused", "refused", "create"]
    assert result.rows[0].messages[0].startswith("緯度: 緯度は日本国内の値")
    assert "GeoJSON の座標が正しくありません" in result.rows[1].messages[0]
    assert not ShoppingStreet.objects.exists()


def test_shops_refer_to_their_business_and_street():
    BusinessFactory(name="株式会社ねりま食品", corporate_number=corporate_number(31))
    StreetFactory(name_ja="ねりま通り商店会")
    rows = [
        ["事業者（法人番号または名称）", "商店街名", "店名", "営業時間", "支払い方法"],
        [
            corporate_number(31),
            "ねりま通り商店会",
            "ねりま食堂",
            "月-金 11:00-21:00",
            "現金, QRコード決済",
        ],
        ["存在しない会社", "ない商店街", "幻の店", "毎日", "bitcoin"],
    ]
    result = run("shop", csv_bytes(rows), name="s.csv")
    assert result.rows[0].action == "create", result.rows[0].messages
    assert len(result.rows[1].messages) == 4


def test_import_command_shows_progress_and_the_report(tmp_path):
    path = tmp_path / "businesses.xlsx"
    path.write_bytes(xlsx(real_looking_businesses()))
    out, err = StringIO(), StringIO()
    call_command("import_directory", "business", str(path), "--dry-run", stdout=out, stderr=err)
    assert "checking [" in err.getvalue()
    assert "3/3" in err.getvalue()
    assert "created=3" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert not Business.objects.exists()
    call_command("import_directory", "business", str(path), stdout=out, stderr=err)
    assert Business.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["事業者名", "郵便番号"], ["x", "1"]]))
    with pytest.raises(CommandError):
        call_command("import_directory", "business", str(bad), stdout=StringIO(), stderr=StringIO())


def test_templates_are_the_import_columns():
    data = importer.export_file("shop", "xlsx", template=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert header == importer.headers("shop")
    assert sheet["B2"].value == "株式会社ねりま商店"


def test_cells_that_look_like_formulas_are_defused_and_round_trip():
    BusinessFactory(name='=HYPERLINK("x")')
    csv_text = importer.export_file("business", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    result = run("business", importer.export_file("business", "xlsx"))
    assert [r.action for r in result.rows] == ["unchanged"]
