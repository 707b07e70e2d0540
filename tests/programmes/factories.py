"""Factories for programmes: a programme comes fully configured (categories, documents,
questions, rubric, an open window and a budget for the current fiscal year)."""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from shoko.core.japan import FiscalYear
from shoko.programmes.models import (
    ApplicationWindow,
    Division,
    ExpenseCategory,
    FormQuestion,
    FormSection,
    Programme,
    ProgrammeBudget,
    QuestionKind,
    RequiredDocument,
    RubricCriterion,
    Stage,
    Subject,
)


def current_fy() -> int:
    return FiscalYear.current().year


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """店舗改修支援-like: shops in a street, 2/3 up to 1,000,000 yen, 千円未満切捨て."""

    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"renovation_{n}")
    name_ja = factory.Sequence(lambda n: f"店舗改修支援{n}")
    name_en = factory.Sequence(lambda n: f"Shop renovation support {n}")
    plan_item = "13-3(2)"
    division = Division.COMMERCE
    subject = Subject.SHOP
    eligibility_rules = factory.LazyFunction(
        lambda: [{"rule": "shop_in_city_street", "params": {}}]
    )
    rate_numerator = 2
    rate_denominator = 3
    cap_yen = 1_000_000
    minimum_expense_yen = 100_000
    budget_yen = 5_000_000
    window = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        budget_yen = kwargs.pop("budget_yen")
        window = kwargs.pop("window")
        programme = model_class.objects.create(*args, **kwargs)
        fy = current_fy()
        ExpenseCategory.objects.create(
            programme=programme, code="construction", name_ja="工事費", name_en="Works", order=1
        )
        ExpenseCategory.objects.create(
            programme=programme, code="equipment", name_ja="設備費", name_en="Equipment", order=2
        )
        RequiredDocument.objects.create(
            programme=programme,
            code="quote",
            name_ja="見積書",
            name_en="Quotation",
            stage=Stage.APPLICATION,
            file_kinds=["pdf", "jpeg", "png"],
            order=1,
        )
        RequiredDocument.objects.create(
            programme=programme,
            code="plan",
            name_ja="改修前の写真",
            name_en="Photo before works",
            stage=Stage.APPLICATION,
            file_kinds=["jpeg", "png", "pdf"],
            order=2,
            is_required=False,
        )
        RequiredDocument.objects.create(
            programme=programme,
            code="receipts",
            name_ja="領収書",
            name_en="Receipts",
            stage=Stage.REPORT,
            file_kinds=["pdf", "jpeg", "png"],
            order=3,
        )
        section = FormSection.objects.create(
            programme=programme, title_ja="事業の計画", title_en="Plan"
        )
        FormQuestion.objects.create(
            section=section,
            code="purpose",
            label_ja="改修の目的",
            label_en="Purpose",
            kind=QuestionKind.CHOICE,
            choices_ja="事業承継\n課題の解決",
            choices_en="Business succession\nSolving a problem",
            order=1,
        )
        FormQuestion.objects.create(
            section=section,
            code="visitors",
            label_ja="1日の来店者数",
            label_en="Visitors a day",
            kind=QuestionKind.INTEGER,
            is_required=False,
            order=2,
        )
        RubricCriterion.objects.create(
            programme=programme, code="impact", name_ja="効果", weight=2, max_score=5, order=1
        )
        RubricCriterion.objects.create(
            programme=programme,
            code="feasibility",
            name_ja="実現性",
            weight=1,
            max_score=5,
            order=2,
        )
        if window:
            ApplicationWindow.objects.create(
                programme=programme,
                fiscal_year=fy,
                opens_on=FiscalYear(fy).start,
                closes_on=FiscalYear(fy).end,
            )
        if budget_yen is not None:
            ProgrammeBudget.objects.create(
                programme=programme, fiscal_year=fy, amount_yen=budget_yen
            )
        return programme


def pdf_bytes(text: str = "Quotation") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf_upload(name: str = "quote.pdf", text: str = "Quotation") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
