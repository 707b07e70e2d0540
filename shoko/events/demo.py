"""Demo events: every programme in the current and the previous fiscal year, with sign-ups,
attendance, consultations, certificates and survey answers, so that the plan's indicators
have values. Idempotent: an event that exists is left as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shoko.core.audit import acting_as
from shoko.core.demo import DEMO_ORGANISATION
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Organisation, User
from shoko.directory.models import Area
from shoko.events import selectors, services
from shoko.events.models import (
    ConsultationBooking,
    ConsultationSlot,
    Event,
    Kind,
    Programme,
    Question,
    Registration,
    Series,
    Session,
    SessionArea,
    SupportArea,
    SurveyResponse,
    Venue,
)

VENUES = {
    "coconeri": {
        "name_ja": "練馬区立区民・産業プラザ（Coconeri）研修室",
        "name_en": "Nerima Citizens' and Industry Plaza (Coconeri), Training Room",
        "postal_code": "176-0001",
        "address_ja": "東京都練馬区練馬1-17-1 Coconeri 3階",
        "address_en": "Coconeri 3F, 1-17-1 Nerima, Nerima-ku, Tokyo",
        "latitude": "35.737800",
        "longitude": "139.654000",
        "access_ja": "西武池袋線・都営大江戸線 練馬駅 北口すぐ",
        "access_en": "Next to the north exit of Nerima Station",
    },
    "shakujii": {
        "name_ja": "石神井公園区民交流センター 集会室",
        "name_en": "Shakujii Park Community Centre, Meeting Room",
        "postal_code": "177-0041",
        "address_ja": "東京都練馬区石神井町2-14-1",
        "address_en": "2-14-1 Shakujii-machi, Nerima-ku, Tokyo",
        "latitude": "35.743600",
        "longitude": "139.606700",
        "access_ja": "西武池袋線 石神井公園駅 徒歩1分",
        "access_en": "1 minute from Shakujii-koen Station",
    },
    "oizumi": {
        "name_ja": "大泉学園ゆめりあホール",
        "name_en": "Oizumi-gakuen Yumeria Hall",
        "postal_code": "178-0063",
        "address_ja": "東京都練馬区東大泉1-29-1",
        "address_en": "1-29-1 Higashi-Oizumi, Nerima-ku, Tokyo",
        "latitude": "35.749700",
        "longitude": "139.586700",
        "access_ja": "西武池袋線 大泉学園駅 北口直結",
        "access_en": "Directly linked to the north exit of Oizumi-gakuen Station",
    },
    "hikarigaoka": {
        "name_ja": "光が丘区民センター 多目的ホール",
        "name_en": "Hikarigaoka Community Centre, Multipurpose Hall",
        "postal_code": "179-0072",
        "address_ja": "東京都練馬区光が丘2-9-6",
        "address_en": "2-9-6 Hikarigaoka, Nerima-ku, Tokyo",
        "latitude": "35.759000",
        "longitude": "139.629000",
        "access_ja": "都営大江戸線 光が丘駅 徒歩3分",
        "access_en": "3 minutes from Hikarigaoka Station",
    },
}

FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
]
FAMILY_KANA = [
    "サトウ",
    "スズキ",
    "タカハシ",
    "タナカ",
    "イトウ",
    "ワタナベ",
    "ヤマモト",
    "ナカムラ",
    "コバヤシ",
    "カトウ",
    "ヨシダ",
    "ヤマダ",
]
GIVEN = ["美咲", "翔太", "陽菜", "大翔", "結衣", "蓮", "さくら", "悠真", "葵", "湊"]
GIVEN_KANA = [
    "ミサキ",
    "ショウタ",
    "ヒナ",
    "ヒロト",
    "ユイ",
    "レン",
    "サクラ",
    "ユウマ",
    "アオイ",
    "ミナト",
]


def _person(n: int) -> dict[str, str]:
    family, given = n % len(FAMILY), (n // len(FAMILY)) % len(GIVEN)
    return {
        "full_name": f"{FAMILY[family]} {GIVEN[given]}",
        "full_name_kana": f"{FAMILY_KANA[family]} {GIVEN_KANA[given]}",
        "email": f"demo-person{n}@example.jp",
        "phone": f"0903{n:07d}"[:11],
    }


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


#: The directory's area (地域) each demo venue stands in.
VENUE_AREAS = {
    "coconeri": "nerima",
    "shakujii": "shakujii",
    "oizumi": "oizumi",
    "hikarigaoka": "hikarigaoka",
}


def _venue(key: str) -> Venue:
    data = dict(VENUES[key])
    venue = Venue.objects.filter(name_ja=data["name_ja"]).first()
    venue = venue or Venue.objects.create(**data)
    area = Area.objects.filter(code=VENUE_AREAS.get(key, "")).first()
    if area is not None and venue.area_id != area.pk:
        venue.area = area
        venue.save(update_fields=["area", "updated_at"])
    return venue


def _add_registrations(
    session: Session,
    people: range,
    *,
    attended: set[int] | None = None,
    organisation: Organisation | None = None,
    seats: int = 1,
) -> list[Registration]:
    """Demo sign-ups written directly (the sessions may be in the past), keeping the seat
    counter true; ``attended`` people are checked in."""
    now = timezone.now()
    made = []
    for n in people:
        if session.seats_taken + seats > session.capacity:
            break
        registration = Registration.objects.create(
            session=session,
            status=Registration.Status.CONFIRMED,
            seats=seats,
            language="ja",
            organisation=organisation if n in (3, 6) else None,
            confirmed_at=min(now, session.starts_at - dt.timedelta(days=3)),
            attendance=Registration.Attendance.ATTENDED
            if attended is not None and n in attended
            else "",
            checked_in_at=session.starts_at if attended is not None and n in attended else None,
            **_person(n),
        )
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + seats)
        session.seats_taken += seats
        made.append(registration)
    if attended is not None and session.ends_at < now:
        for registration in made:
            if registration.attendance == "":
                registration.attendance = Registration.Attendance.NO_SHOW
                registration.save(update_fields=["attendance"])
    return made


def _session(
    event: Event,
    start: dt.datetime,
    *,
    hours: float = 2,
    capacity: int = 30,
    label: str = "",
    areas: tuple[str, ...] = (),
) -> Session:
    session = Session.objects.create(
        event=event,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        capacity=capacity,
        label=label,
    )
    SessionArea.objects.bulk_create(SessionArea(session=session, area=a) for a in areas)
    return session


def _survey(registrations: list[Registration], question: Question | None = None) -> None:
    for index, registration in enumerate(registrations):
        if registration.attendance != Registration.Attendance.ATTENDED or index % 3 == 2:
            continue
        answers = {str(question.pk): "yes" if index % 2 == 0 else "no"} if question else {}
        SurveyResponse.objects.get_or_create(
            registration=registration,
            defaults={
                "satisfaction": 5 - index % 3,
                "comment": "具体的な事例が多く、参考になりました。" if index % 4 == 0 else "",
                "answers": answers,
            },
        )


def _startup_series(
    fy: FiscalYear, days: list[dt.date], actor: User, org: Organisation, progress: Callable
) -> None:
    title = f"創業セミナー {fy.label('ja')}"
    if Series.objects.filter(title_ja=title).exists():
        return
    series = Series.objects.create(
        title_ja=title,
        title_en=f"Startup Seminar {fy.label('en')}",
        description_ja="経営・財務・人材育成・販路開拓の4分野を学ぶ、特定創業支援等事業の連続セミ"
        "ナーです。",
        description_en="A certified startup support programme covering management, finance, "
        "people and sales channels.",
        kind=Kind.SEMINAR,
        programme=Programme.STARTUP,
        plan_item="13-1(1)",
        organiser_division="economy",
        certified_programme=True,
        certificate_min_sessions=4,
        certificate_min_days=30,
    )
    question = Question.objects.create(
        series=series,
        purpose=Question.Purpose.SURVEY,
        type=Question.Type.YES_NO,
        label_ja="1年以内に創業する予定はありますか？",
        label_en="Do you plan to start a business within a year?",
    )
    Question.objects.create(
        series=series,
        purpose=Question.Purpose.SIGNUP,
        type=Question.Type.CHOICE,
        label_ja="創業の状況",
        label_en="Where are you with your business?",
        choices_ja="創業を検討中\n創業の準備中\n創業して5年未満",
        choices_en="Thinking about it\nPreparing\nStarted less than 5 years ago",
    )
    topics = [
        ("経営", "Management", "創業の心構えとビジネスプラン", SupportArea.MANAGEMENT),
        ("財務", "Finance", "資金計画と創業融資", SupportArea.FINANCE),
        ("人材育成", "People", "人を雇う・育てる", SupportArea.HR),
        ("販路開拓", "Sales", "お客様をつかむ販路開拓", SupportArea.SALES),
    ]
    now = timezone.now()
    attendees: dict[int, list[Registration]] = {}
    event = Event.objects.create(
        series=series,
        title_ja=f"創業セミナー（{fy.label('ja')}）",
        title_en=f"Startup Seminar ({fy.label('en')})",
        title_kana="ソウギョウセミナー",
        description_ja="これから創業する方、創業して間もない方のための全4回のセミナーです。"
        "4分野すべてを受講すると、特定創業支援等事業の証明書を発行します"
        "（登録免許税の軽減などに使えます）。",
        description_en="Four sessions for people starting a business. Attend all four to "
        "receive the certificate of the certified startup support programme.",
        kind=Kind.SEMINAR,
        programme=Programme.STARTUP,
        plan_item="13-1(1)",
        organiser_division="economy",
        venue=_venue("coconeri"),
        fee=0,
        contact_name="練馬ビジネスサポートセンター",
        contact_phone="0369141071",
        published=True,
    )
    for number, (day, (area_ja, _area_en, topic, area)) in enumerate(
        zip(days, topics, strict=True), start=1
    ):
        session = _session(
            event,
            _at(day, 18, 30),
            capacity=30,
            label=f"第{number}回 {area_ja}: {topic}",
            areas=(area,),
        )
        if session.ends_at < now:
            # Most people come every time; a few miss one area.
            attended = {n for n in range(1, 25) if (n + number) % 7 != 0}
            attendees[number] = _add_registrations(
                session, range(1, 25), attended=attended, organisation=org
            )
            _survey(attendees[number], question)
        else:
            _add_registrations(session, range(1, 12 + number * 3), organisation=org)
    progress(f"  {title}: {event.sessions.count()} sessions")
    if len(attendees) == len(topics):
        last = max(days)
        issued = 0
        for candidate in selectors.certificate_candidates(series):
            if candidate.eligible and issued < 6:
                services.issue_certificate(
                    series_id=series.pk,
                    email=candidate.email,
                    actor=actor,
                    now=_at(last + dt.timedelta(days=10), 10),
                )
                issued += 1
        progress(f"  {title}: {issued} certificates")


#: Programmes the Commerce, Industry & Tourism Division (商工観光課) runs.
COMMERCE_PROGRAMMES = (Programme.MACHI_ZEMI, Programme.STREET_EVENT, Programme.ANIME_SCREENING)


def _simple_event(
    *,
    title_ja: str,
    title_en: str,
    kind: str,
    programme: str,
    plan_item: str,
    venue: str,
    description_ja: str,
    description_en: str,
    starts: list[dt.datetime],
    hours: float = 2,
    capacity: int = 40,
    organiser: Organisation | None = None,
    group_limit: int = 1,
    fee: int = 0,
    full: bool = False,
) -> Event | None:
    if Event.objects.filter(title_ja=title_ja).exists():
        return None
    event = Event.objects.create(
        title_ja=title_ja,
        title_en=title_en,
        description_ja=description_ja,
        description_en=description_en,
        kind=kind,
        programme=programme,
        plan_item=plan_item,
        organiser_division=""
        if organiser
        else ("commerce" if programme in COMMERCE_PROGRAMMES else "economy"),
        organiser_organisation=organiser,
        venue=_venue(venue),
        fee=fee,
        group_limit=group_limit,
        contact_name=organiser.name if organiser else "練馬区 産業経済部",
        contact_phone="0359841111",
        published=True,
    )
    now = timezone.now()
    for index, start in enumerate(starts):
        session = _session(event, start, hours=hours, capacity=capacity)
        if session.ends_at < now:
            made = _add_registrations(
                session,
                range(100 + index * 40, 100 + index * 40 + capacity * 3 // 4),
                attended={n for n in range(100, 400) if n % 5 != 0},
                seats=1,
            )
            _survey(made)
        elif full:
            _add_registrations(session, range(300, 300 + capacity))
            for n in range(400, 403):
                Registration.objects.create(
                    session=session,
                    status=Registration.Status.WAITLISTED,
                    waitlisted_at=timezone.now(),
                    language="ja",
                    **_person(n),
                )
        else:
            _add_registrations(session, range(200, 200 + capacity // 3))
    return event


def _consultations(consultant: User, org: Organisation, today: dt.date, progress: Callable) -> None:
    if ConsultationSlot.objects.filter(consultant=consultant).exists():
        return
    venue = _venue("coconeri")
    topics = {
        Programme.SUCCESSION: ("後継者への引き継ぎ時期", "13-2(3)"),
        Programme.WELFARE: ("介護タクシー事業の立ち上げ", "13-2(2)"),
        Programme.STARTUP: ("創業計画書の書き方", "13-1(1)"),
    }
    previous_fy_day = FiscalYear.of(today).start - dt.timedelta(days=120)
    made = 0
    for programme, (topic, plan_item) in topics.items():
        for offset in (-200, -90, -20, -6, 5, 9, 16):
            day = (today if offset > -150 else previous_fy_day) + dt.timedelta(
                days=offset if offset > -150 else 0
            )
            hour = {Programme.SUCCESSION: 10, Programme.WELFARE: 13, Programme.STARTUP: 15}[
                programme
            ]
            slot = ConsultationSlot.objects.create(
                consultant=consultant,
                programme=programme,
                plan_item=plan_item,
                starts_at=_at(day, hour),
                ends_at=_at(day, hour + 1),
                venue=venue,
                note="練馬ビジネスサポートセンター",
            )
            made += 1
            if offset < 0:
                ConsultationBooking.objects.create(
                    slot=slot,
                    organisation=org,
                    request_note=topic,
                    status=ConsultationBooking.Status.HELD,
                    topic=topic,
                    notes="決算書を確認し、課題を整理した。",
                    follow_up="次回までに資金繰り表を作成していただく。",
                    follow_up_due=day + dt.timedelta(days=30),
                    recorded_by=consultant,
                    recorded_at=_at(day, hour + 1),
                )
    progress(f"  consultations: {made} slots")


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    today = timezone.localdate()
    fy = FiscalYear.of(today)
    previous = fy - 1
    actor = User.objects.filter(email="economy@demo.shoko.example").first()
    consultant = User.objects.filter(email="consultant@demo.shoko.example").first()
    org, _ = Organisation.objects.get_or_create(
        name=DEMO_ORGANISATION, defaults={"kind": Organisation.Kind.BUSINESS}
    )
    street, _ = Organisation.objects.get_or_create(
        name="練馬駅北口商店街振興組合（デモデータ）",
        defaults={"kind": Organisation.Kind.ASSOCIATION},
    )
    shop, _ = Organisation.objects.get_or_create(
        name="石神井ベーカリー（デモデータ）", defaults={"kind": Organisation.Kind.BUSINESS}
    )
    with acting_as(actor):
        prev_start = previous.start + dt.timedelta(days=70)
        _startup_series(
            previous,
            [prev_start + dt.timedelta(days=14 * i) for i in range(4)],
            actor,
            org,
            progress,
        )
        _startup_series(
            fy,
            [
                today - dt.timedelta(days=56),
                today - dt.timedelta(days=42),
                today + dt.timedelta(days=14),
                today + dt.timedelta(days=28),
            ],
            actor,
            org,
            progress,
        )
        plans = [
            {
                "title_ja": f"事業承継セミナー「早めの準備が会社を守る」（{previous.label('ja')}）",
                "title_en": f"Business Succession Seminar ({previous.label('en')})",
                "kind": Kind.SEMINAR,
                "programme": Programme.SUCCESSION,
                "plan_item": "13-2(3)",
                "venue": "shakujii",
                "description_ja": "事業承継の早期準備の大切さを、専門家と先輩経営者が語ります。",
                "description_en": "Why preparing a succession early matters, from experts and "
                "owners who did it.",
                "starts": [_at(previous.start + dt.timedelta(days=150), 14)],
            },
            {
                "title_ja": f"事業承継セミナー・個別相談会（{fy.label('ja')}）",
                "title_en": f"Business Succession Seminar and Consultations ({fy.label('en')})",
                "kind": Kind.SEMINAR,
                "programme": Programme.SUCCESSION,
                "plan_item": "13-2(3)",
                "venue": "shakujii",
                "description_ja": "後継者の育成、株式の引き継ぎ、M&Aまで。セミナーの後に個別相談"
                "会があります。",
                "description_en": "From training a successor to share transfers and M&A, "
                "followed by individual consultations.",
                "starts": [
                    _at(today - dt.timedelta(days=30), 14),
                    _at(today + dt.timedelta(days=20), 14),
                ],
            },
            {
                "title_ja": f"福祉・生活関連産業モデル事業 説明会（{previous.label('ja')}）",
                "title_en": f"Welfare and Daily-life Industry Model Project Briefing "
                f"({previous.label('en')})",
                "kind": Kind.SEMINAR,
                "programme": Programme.WELFARE,
                "plan_item": "13-2(2)",
                "venue": "hikarigaoka",
                "description_ja": "介護・福祉の新しいサービスに取り組む事業者を支援するモデル事業"
                "の説明会です。",
                "description_en": "Briefing on the model project supporting new welfare and care "
                "services.",
                "starts": [_at(previous.start + dt.timedelta(days=100), 14)],
            },
            {
                "title_ja": f"福祉・生活関連産業セミナー（{fy.label('ja')}）",
                "title_en": f"Welfare and Daily-life Industry Seminar ({fy.label('en')})",
                "kind": Kind.SEMINAR,
                "programme": Programme.WELFARE,
                "plan_item": "13-2(2)",
                "venue": "hikarigaoka",
                "description_ja": "高齢化が進む地域で求められる生活支援サービスの事業化を考えます"
                "。",
                "description_en": "Turning daily-life support services for an ageing "
                "neighbourhood into a business.",
                "starts": [
                    _at(today - dt.timedelta(days=25), 14),
                    _at(today + dt.timedelta(days=12), 14),
                ],
                "capacity": 20,
                "full": True,
            },
            {
                "title_ja": "北口商店街 夏の夜市",
                "title_en": "North Exit Shopping Street Summer Night Market",
                "kind": Kind.STREET_EVENT,
                "programme": Programme.STREET_EVENT,
                "plan_item": "13-4",
                "venue": "coconeri",
                "description_ja": "商店街の各店が屋台を出す夏の夜市。子ども向けのゲームもあります"
                "。",
                "description_en": "The shops of the street open stalls on summer evenings, with "
                "games for children.",
                "starts": [_at(today + dt.timedelta(days=18), 17)],
                "hours": 4,
                "capacity": 200,
                "organiser": street,
                "group_limit": 5,
            },
            {
                "title_ja": "アニメコンペティション練馬 入賞作品上映会",
                "title_en": "Anime Competition Nerima: Screening of the Winners",
                "kind": Kind.SCREENING,
                "programme": Programme.ANIME_SCREENING,
                "plan_item": "13-2(4)",
                "venue": "oizumi",
                "description_ja": "若手アニメーターによる入賞作品を上映し、審査員と制作者が語りま"
                "す。",
                "description_en": "The winning films by young animators, with a talk by judges and "
                "makers.",
                "starts": [_at(today + dt.timedelta(days=25), 14)],
                "capacity": 120,
                "group_limit": 4,
            },
        ]
        for year, start in (
            (previous, _at(previous.start + dt.timedelta(days=200), 10)),
            (fy, _at(today + dt.timedelta(days=40), 10)),
        ):
            plans.append(
                {
                    "title_ja": f"練馬区産業見本市（{year.label('ja')}）",
                    "title_en": f"Nerima Industrial Trade Fair ({year.label('en')})",
                    "kind": Kind.TRADE_FAIR,
                    "programme": Programme.TRADE_FAIR,
                    "plan_item": "13-2(1)",
                    "venue": "oizumi",
                    "description_ja": "区内の製造業・サービス業が一堂に会する"
                    "見本市と商談交流会です。",
                    "description_en": "Manufacturers and service companies of the ward show "
                    "their work; business-matching meetings are held alongside.",
                    "starts": [start],
                    "hours": 7,
                    "capacity": 400,
                }
            )
        courses = [
            ("パン職人が教える 天然酵母パン入門", "Sourdough basics from a baker", shop),
            (
                "お茶屋さんの 日本茶のおいしい淹れ方",
                "Brewing Japanese tea, from a tea shop",
                street,
            ),
            ("自転車屋さんの かんたんメンテナンス", "Easy bicycle care, from a bike shop", street),
        ]
        for year, offsets in ((previous, (120, 127)), (fy, (-35, 15))):
            for index, (title_ja, title_en, organiser) in enumerate(courses):
                days = [
                    (year.start + dt.timedelta(days=o + index))
                    if year == previous
                    else today + dt.timedelta(days=o + index)
                    for o in offsets
                ]
                plans.append(
                    {
                        "title_ja": f"まちゼミ {title_ja}（{year.label('ja')}）",
                        "title_en": f"Machi-zemi: {title_en} ({year.label('en')})",
                        "kind": Kind.MACHI_ZEMI,
                        "programme": Programme.MACHI_ZEMI,
                        "plan_item": "13-3(3)",
                        "venue": "shakujii",
                        "description_ja": "お店の人が講師になって、プロならではの知識を少人数でお"
                        "伝えします（材料費のみ）。",
                        "description_en": "Shopkeepers teach what only professionals know, in a "
                        "small group (materials only).",
                        "starts": [_at(d, 10) for d in days],
                        "hours": 1.5,
                        "capacity": 8,
                        "organiser": organiser,
                        "group_limit": 2,
                        "fee": 500,
                    }
                )
        created = 0
        for plan in plans:
            if _simple_event(**plan) is not None:
                created += 1
        progress(f"  {created} other events")
        if consultant is not None:
            _consultations(consultant, org, today, progress)
