"""Files that leave Shoko: calendars (ICS), the open-data event list (CSV), schema.org JSON-LD,
the certificate PDF, xlsx lists and the check-in QR code."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

import icalendar
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from shoko.core.japan import TOKYO, FiscalYear, to_wareki
from shoko.core.pdf import register_japanese_fonts
from shoko.events import formatting, links
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    Event,
    Kind,
    Registration,
    Session,
    SupportArea,
)
from shoko.events.selectors import SurveyRow

# --- ICS (RFC 5545) -------------------------------------------------------------------------------

PRODID = "-//Shoko//Events//JA"


def _host() -> str:
    return links.site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _vevent(session: Session, *, stamp: dt.datetime) -> icalendar.Event:
    event = session.event
    vevent = icalendar.Event()
    vevent.add("uid", f"session-{session.pk}@{_host()}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", session.starts_at.astimezone(TOKYO))
    vevent.add("dtend", session.ends_at.astimezone(TOKYO))
    vevent.add("summary", f"{event.title} {session.label}".strip())
    if event.venue_id:
        vevent.add("location", f"{event.venue.name} {event.venue.address}".strip())
        if event.venue.latitude is not None and event.venue.longitude is not None:
            vevent.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    else:
        vevent.add("location", str(translation.gettext("オンライン")))
    vevent.add("url", links.event_url(event))
    if event.description:
        vevent.add("description", strip_tags(event.description))
    vevent.add(
        "organizer",
        f"mailto:{settings.DEFAULT_FROM_EMAIL}",
        parameters={"CN": event.organiser_name},
    )
    vevent.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
    vevent.add("last-modified", session.updated_at)
    return vevent


def ics_calendar(sessions: Iterable[Session], *, name: str) -> bytes:
    """A VCALENDAR of sessions, times in Asia/Tokyo with the VTIMEZONE RFC 5545 asks for."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = timezone.now().astimezone(dt.UTC)
    for session in sessions:
        calendar.add_component(_vevent(session, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_name(kind: str | None) -> str:
    city = settings.SHOKO_CITY_NAME
    if kind:
        return f"{city} {Kind(kind).label}"
    return f"{city} {translation.gettext('イベント・セミナー')}"


# --- Open data: the Digital Agency's event list (イベント一覧) ------------------------------------

#: Columns of the recommended (自治体標準) event-list data set, in order.
OPEN_DATA_COLUMNS = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英字",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]


def _one_line(text: str) -> str:
    return " ".join(strip_tags(text or "").split())


def open_data_rows(sessions: Iterable[Session]) -> list[list[Any]]:
    """One row per session; Japanese fields, the English title in イベント名_英字."""
    city_code = settings.SHOKO_CITY_CODE
    government = f"{settings.SHOKO_PREFECTURE_NAME}{settings.SHOKO_CITY_NAME}"
    rows = []
    with translation.override("ja"):
        for session in sessions:
            event = session.event
            venue = event.venue
            start = formatting.local(session.starts_at)
            end = formatting.local(session.ends_at)
            closes = formatting.local(session.closes_at)
            rows.append(
                [
                    city_code,
                    f"{session.pk:010d}",
                    government,
                    f"{event.title_ja} {session.label}".strip(),
                    event.title_kana,
                    event.title_en or "",
                    f"{start:%Y-%m-%d}",
                    f"{end:%Y-%m-%d}",
                    f"{start:%H:%M}",
                    f"{end:%H:%M}",
                    "",
                    _one_line(event.description_ja or ""),
                    event.fee,
                    event.fee_note_ja or "",
                    event.contact_name or event.organiser_name,
                    formatting.phone(event.contact_phone) if event.contact_phone else "",
                    "",
                    event.organiser_name,
                    venue.name_ja if venue else "オンライン",
                    venue.address_ja if venue else "",
                    "",
                    venue.latitude if venue and venue.latitude is not None else "",
                    venue.longitude if venue and venue.longitude is not None else "",
                    venue.access_ja if venue else "",
                    "",
                    session.capacity,
                    f"{closes:%Y-%m-%d}",
                    f"{closes:%H:%M}",
                    "Webフォーム（URL参照）",
                    links.event_url(event, language="ja"),
                    "中止" if session.status == Session.Status.CANCELLED else "",
                ]
            )
    return rows


# --- schema.org Event JSON-LD ---------------------------------------------------------------------

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def event_json_ld(event: Event, sessions: Iterable[Session], *, now: dt.datetime) -> str:
    """One schema.org ``Event`` per session still to come (search engines show each date),
    escaped for a ``<script type="application/ld+json">`` element."""
    venue = event.venue
    if venue:
        location: dict[str, Any] = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postal_code,
                "addressLocality": settings.SHOKO_CITY_NAME,
                "addressRegion": settings.SHOKO_PREFECTURE_NAME,
                "addressCountry": "JP",
            },
        }
        if venue.latitude is not None and venue.longitude is not None:
            location["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(venue.latitude),
                "longitude": float(venue.longitude),
            }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    else:
        location = {"@type": "VirtualLocation", "url": links.event_url(event)}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    language = translation.get_language() or settings.LANGUAGE_CODE
    items = []
    for session in sessions:
        if session.ends_at < now:
            continue
        cancelled = session.status == Session.Status.CANCELLED
        items.append(
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": f"{event.title} {session.label}".strip(),
                "description": _one_line(event.description),
                "startDate": session.starts_at.astimezone(TOKYO).isoformat(),
                "endDate": session.ends_at.astimezone(TOKYO).isoformat(),
                "eventStatus": "https://schema.org/EventCancelled"
                if cancelled
                else "https://schema.org/EventScheduled",
                "eventAttendanceMode": mode,
                "location": location,
                "organizer": {"@type": "Organization", "name": event.organiser_name},
                "maximumAttendeeCapacity": session.capacity,
                "remainingAttendeeCapacity": session.free_seats,
                "inLanguage": language,
                "isAccessibleForFree": event.is_free,
                "url": links.event_url(event, language=language),
                "offers": {
                    "@type": "Offer",
                    "price": event.fee,
                    "priceCurrency": "JPY",
                    "availability": "https://schema.org/InStock"
                    if session.free_seats
                    else "https://schema.org/SoldOut",
                    "url": links.absolute(session.get_absolute_url()),
                },
            }
        )
    return json.dumps(items, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)


# --- QR code --------------------------------------------------------------------------------------


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image files, scales on any screen)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


# --- Certificate PDF ------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Japanese text broken into lines of ``width`` characters (no spaces to break at)."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def certificate_pdf(certificate: Certificate) -> bytes:
    """証明書 (A4): number, date in the era calendar, holder, the four areas, the sessions."""
    gothic, mincho = register_japanese_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    fy = FiscalYear(certificate.fiscal_year)
    pdf.setTitle(f"証明書 {certificate.number}")
    pdf.setAuthor(f"{settings.SHOKO_CITY_NAME}長")

    pdf.setFont(mincho, 11)
    pdf.drawRightString(width - 25 * mm, height - 25 * mm, f"第 {certificate.number} 号")
    pdf.drawRightString(width - 25 * mm, height - 32 * mm, to_wareki(certificate.issued_on))

    pdf.setFont(mincho, 20)
    pdf.drawCentredString(width / 2, height - 55 * mm, "証　明　書")
    pdf.setFont(mincho, 11)
    pdf.drawCentredString(
        width / 2, height - 63 * mm, "（特定創業支援等事業により支援を受けたことの証明）"
    )

    y = height - 85 * mm
    pdf.setFont(mincho, 13)
    pdf.drawString(30 * mm, y, f"氏名　{certificate.holder_name}")
    if certificate.holder_name_kana:
        pdf.setFont(mincho, 9)
        pdf.drawString(42 * mm, y + 6 * mm, certificate.holder_name_kana)
    if certificate.organisation_id:
        pdf.setFont(mincho, 11)
        y -= 8 * mm
        pdf.drawString(30 * mm, y, f"事業者　{certificate.organisation.name}")

    y -= 16 * mm
    body = (
        f"上記の者は、{settings.SHOKO_CITY_NAME}が産業競争力強化法に基づき実施する特定創業支援等事業"
        f"「{certificate.series.title_ja}」（{fy.label('ja', with_western=True)}）を受講し、"
        "経営、財務、人材育成及び販路開拓に関する知識を全て習得したことを証明します。"
    )
    pdf.setFont(mincho, 11)
    for line in _wrap(body, 38):
        pdf.drawString(30 * mm, y, line)
        y -= 7 * mm

    y -= 6 * mm
    pdf.setFont(gothic, 10)
    pdf.drawString(30 * mm, y, "受講記録")
    y -= 7 * mm
    registrations = (
        certificate.registrations.select_related("session__event")
        .prefetch_related("session__areas")
        .order_by("session__starts_at")
    )
    for registration in registrations:
        session = registration.session
        areas = "・".join(str(SupportArea(a.area).label) for a in session.areas.all()) or "—"
        title = f"{session.event.title_ja} {session.label}".strip()
        line = f"{to_wareki(session.local_date)}　{title}　［{areas}］"
        for part in _wrap(line.strip(), 46):
            pdf.drawString(34 * mm, y, part)
            y -= 6 * mm

    pdf.setFont(mincho, 14)
    pdf.drawRightString(width - 30 * mm, 45 * mm, f"{settings.SHOKO_CITY_NAME}長")
    pdf.setFont(gothic, 8)
    pdf.drawString(
        25 * mm,
        20 * mm,
        "この証明書は、登録免許税の軽減等の申請に用いることができます。再発行は担当課にご相談ください。",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- xlsx -----------------------------------------------------------------------------------------


def _sheet(title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(10, min(40, len(name) * 2 + 4))
    return workbook


def _local(value: dt.datetime | None) -> str:
    return f"{formatting.local(value):%Y-%m-%d %H:%M}" if value else ""


def registrations_workbook(registrations: Iterable[Registration]) -> Workbook:
    header = [
        str(translation.gettext(label))
        for label in (
            "開催日時",
            "回",
            "状態",
            "人数",
            "氏名",
            "フリガナ",
            "メールアドレス",
            "電話番号",
            "事業者名",
            "申込経路",
            "申込日時",
            "出欠",
            "受付日時",
        )
    ]
    rows = (
        [
            _local(r.session.starts_at),
            r.session.label,
            r.get_status_display(),
            r.seats,
            r.full_name,
            r.full_name_kana,
            r.email,
            r.phone,
            r.organisation.name if r.organisation_id else r.business_name,
            r.get_source_display(),
            _local(r.created_at),
            r.get_attendance_display(),
            _local(r.checked_in_at),
        ]
        for r in registrations
    )
    return _sheet(translation.gettext("申込者"), header, rows)


def events_workbook(sessions: Iterable[Session]) -> Workbook:
    header = [
        str(translation.gettext(label))
        for label in (
            "年度",
            "開催日時",
            "イベント名",
            "回",
            "種別",
            "事業",
            "計画事業",
            "主催",
            "会場",
            "定員",
            "確保済みの席",
            "出席者数",
            "状態",
        )
    ]
    rows = (
        [
            s.fiscal_year.label("ja"),
            _local(s.starts_at),
            s.event.title,
            s.label,
            s.event.get_kind_display(),
            s.event.get_programme_display(),
            s.event.plan_item,
            s.event.organiser_name,
            s.event.venue.name if s.event.venue_id else translation.gettext("オンライン"),
            s.capacity,
            s.seats_taken,
            getattr(s, "attended_seats", None) or 0,
            s.get_status_display(),
        ]
        for s in sessions
    )
    return _sheet(translation.gettext("イベント"), header, rows)


def certificates_workbook(certificates: Iterable[Certificate]) -> Workbook:
    header = [
        str(translation.gettext(label))
        for label in ("証明書番号", "発行日", "氏名", "フリガナ", "事業者", "シリーズ", "発行者")
    ]
    rows = (
        [
            c.number,
            c.issued_on,
            c.holder_name,
            c.holder_name_kana,
            c.organisation.name if c.organisation_id else "",
            c.series.title,
            str(c.issued_by) if c.issued_by_id else "",
        ]
        for c in certificates
    )
    return _sheet(translation.gettext("証明書"), header, rows)


def consultations_workbook(bookings: Iterable[ConsultationBooking]) -> Workbook:
    header = [
        str(translation.gettext(label))
        for label in (
            "日時",
            "事業",
            "相談員",
            "事業者",
            "状態",
            "相談内容（件名）",
            "フォローアップ",
            "フォローアップ期日",
        )
    ]
    rows = (
        [
            _local(b.slot.starts_at),
            b.slot.get_programme_display(),
            str(b.slot.consultant),
            b.organisation.name,
            b.get_status_display(),
            b.topic,
            b.follow_up,
            b.follow_up_due,
        ]
        for b in bookings
    )
    return _sheet(translation.gettext("個別相談"), header, rows)


def survey_workbook(rows: Iterable[SurveyRow]) -> Workbook:
    header = [str(translation.gettext(label)) for label in ("イベント", "回答数", "平均満足度")]
    return _sheet(
        translation.gettext("アンケート"),
        header,
        ([r.event.title, r.responses, float(r.average) if r.average else ""] for r in rows),
    )
