"""Demo data: the seven programmes of strategy 13 with budgets for this and last fiscal year,
and applications in every state, on the directory's demo businesses, shops and streets.

Every rate, cap, budget and window here is demo configuration — each programme says so on its
page — not the ward's real figures. This fiscal year's applications go through the services
(so notices, budgets, emails and audit rows are real); last year's are written as history,
then the budget rows are recomputed from them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.pdfgen import canvas

from shoko.core.demo import DEMO_PASSWORD
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Membership, User
from shoko.core.numbering import next_number
from shoko.core.roles import Role
from shoko.directory import services as directory_services
from shoko.directory.models import Business, ShoppingStreet, VacantShop
from shoko.programmes import services
from shoko.programmes.models import (
    Application,
    ApplicationWindow,
    Division,
    ExpenseCategory,
    ExpenseLine,
    FormQuestion,
    FormSection,
    Programme,
    ProgrammeBudget,
    QuestionKind,
    RequiredDocument,
    RubricCriterion,
    Stage,
    Status,
    Subject,
    TransitionLog,
)
from shoko.programmes.money import programme_grant

NOTE = {
    "ja": "この事業の補助率・上限額・予算・募集期間はデモ用の設定値です。"
    "区の実際の制度・金額ではありません。",
    "en": "The rate, cap, budget and application window of this programme are demo configuration,"
    " not the ward's real figures.",
    "zh-hans": "本事业的补助比例、上限额、预算和受理期间均为演示用的设定值，"
    "并非区的实际制度和金额。",
    "zh-hant": "本事業的補助比例、上限額、預算及受理期間均為示範用的設定值，"
    "並非區的實際制度與金額。",
    "ko": "이 사업의 보조율・상한액・예산・모집 기간은 데모용 "
    "설정값이며, 구의 실제 제도・금액이 아닙니다.",
}
LANGS = ("ja", "en", "zh_hans", "zh_hant", "ko")


def _tr(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang}": texts.get(lang.replace("_", "-"), "") for lang in LANGS}


# (code, plan item, division, subject, rules, rate, cap, minimum, budgets (this, last FY),
#  names, summaries, description (ja, en), categories, documents, questions, rubric)
PROGRAMMES: list[dict[str, Any]] = [
    {
        "code": "vacant_shop",
        "plan_item": "13-1(2)",
        "division": Division.ECONOMY,
        "subject": Subject.VACANT_SHOP,
        "rules": [
            {"rule": "founded_within_years", "params": {"years": 5}},
            {"rule": "uses_vacant_shop", "params": {}},
        ],
        "rate": (1, 2),
        "cap": 1_000_000,
        "minimum": 200_000,
        "budget": (5_000_000, 4_000_000),
        "name": {
            "ja": "空き店舗入居促進事業補助金",
            "en": "Vacant-shop occupancy subsidy",
            "zh-hans": "空置店铺入驻促进补助金",
            "zh-hant": "空置店鋪進駐促進補助金",
            "ko": "빈 점포 입점 촉진 보조금",
        },
        "summary": {
            "ja": "商店街の空き店舗で創業する方の改装費・賃料の一部を補助します。",
            "en": "Part of the fit-out and rent of a startup opening in a vacant shop of a"
            " shopping street.",
            "zh-hans": "补助在商店街空置店铺创业者的部分装修费和租金。",
            "zh-hant": "補助在商店街空置店鋪創業者的部分裝修費與租金。",
            "ko": "상점가의 빈 점포에서 창업하는 분의 개장비・임대료 일부를 보조합니다.",
        },
        "description": (
            "創業5年以内の事業者が、区内商店街の空き店舗に入居して開業するときの改装費と賃料の一部を補助します。"
            "開業後は出張相談員が経営を支援します。",
            "For businesses founded within five years that open in a vacant shop of a shopping"
            " street in the ward: part of the fit-out and the rent. After opening, visiting"
            " consultants support the business.",
        ),
        "categories": [
            ("renovation", "改装費", "Fit-out"),
            ("rent", "賃料（最長12か月）", "Rent (up to 12 months)"),
            ("equipment", "設備費", "Equipment"),
        ],
        "documents": [
            ("business_plan", "事業計画書", "Business plan", Stage.APPLICATION, ["pdf", "docx"]),
            (
                "lease",
                "賃貸借契約書の写し",
                "Copy of the lease",
                Stage.APPLICATION,
                ["pdf", "jpeg", "png"],
            ),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            ("opening_on", "開業予定日", "Planned opening day", QuestionKind.DATE, "", ""),
            (
                "business_type",
                "業種",
                "Kind of business",
                QuestionKind.CHOICE,
                "飲食\n小売\nサービス\nその他",
                "Food and drink\nRetail\nServices\nOther",
            ),
        ],
        "rubric": [
            ("feasibility", "事業計画の実現性", "Feasibility of the plan", 2, 5),
            ("street", "商店街のにぎわいへの貢献", "Contribution to the street", 2, 5),
            ("continuity", "継続性", "Continuity", 1, 5),
        ],
    },
    {
        "code": "shop_collaboration",
        "plan_item": "13-3(1)",
        "division": Division.COMMERCE,
        "subject": Subject.SHOP,
        "rules": [
            {"rule": "shop_in_city_street", "params": {}},
            {"rule": "member_of_street_association", "params": {}},
        ],
        "rate": (2, 3),
        "cap": 500_000,
        "minimum": 100_000,
        "budget": (3_000_000, 3_000_000),
        "name": {
            "ja": "個店連携支援事業",
            "en": "Shop-collaboration support",
            "zh-hans": "个店合作支援事业",
            "zh-hant": "個店合作支援事業",
            "ko": "개별 점포 연계 지원 사업",
        },
        "summary": {
            "ja": "個店どうしが連携して行う商品開発やイベントなどを支援します。",
            "en": "Product development, events and the like that shops do together.",
            "zh-hans": "支持个店之间合作开发商品、举办活动等。",
            "zh-hant": "支援個店之間合作開發商品、舉辦活動等。",
            "ko": "개별 점포들이 연계하여 하는 상품 개발과 이벤트 등을 지원합니다.",
        },
        "description": (
            "商店会に加入している個店が、ほかの個店と連携して行う商品開発・共同イベント・共同販促の経費の一部を補助します。",
            "Part of the cost of product development, joint events and joint promotion that a"
            " shop belonging to its street's association does with other shops.",
        ),
        "categories": [
            ("development", "商品開発費", "Product development"),
            ("event", "イベント経費", "Events"),
            ("promotion", "販促物の制作費", "Promotion materials"),
        ],
        "documents": [
            (
                "plan",
                "連携事業の計画書",
                "Plan of the joint project",
                Stage.APPLICATION,
                ["pdf", "docx", "xlsx"],
            ),
            ("quote", "見積書", "Quotation", Stage.APPLICATION, ["pdf", "jpeg", "png"]),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            (
                "partners",
                "連携する個店の数",
                "Number of partner shops",
                QuestionKind.INTEGER,
                "",
                "",
            ),
            (
                "partner_names",
                "連携する個店の名前",
                "Names of the partner shops",
                QuestionKind.TEXTAREA,
                "",
                "",
            ),
        ],
        "rubric": [
            ("novelty", "取組の独自性", "Originality", 2, 5),
            ("reach", "波及効果", "Wider effect", 1, 5),
        ],
    },
    {
        "code": "shop_renovation",
        "plan_item": "13-3(2)",
        "division": Division.COMMERCE,
        "subject": Subject.SHOP,
        "rules": [{"rule": "shop_in_city_street", "params": {}}],
        "rate": (2, 3),
        "cap": 1_000_000,
        "minimum": 100_000,
        "budget": (10_000_000, 8_000_000),
        "name": {
            "ja": "店舗改修支援事業",
            "en": "Shop-renovation support",
            "zh-hans": "店铺改造支援事业",
            "zh-hant": "店鋪改裝支援事業",
            "ko": "점포 개수 지원 사업",
        },
        "summary": {
            "ja": "事業承継に伴う改修や、個店の課題を解決する店舗改修を支援します。",
            "en": "Renovation that comes with a business succession, or that solves a shop's"
            " problem.",
            "zh-hans": "支持伴随事业传承的改造以及为解决个店问题而进行的店铺改造。",
            "zh-hant": "支援伴隨事業傳承的改裝以及為解決個店問題而進行的店鋪改裝。",
            "ko": "사업 승계에 따른 개수나 개별 점포의 과제를 해결하는 점포 개수를 지원합니다.",
        },
        "description": (
            "区内の商店街にある個店が行う店舗改修（入口のバリアフリー化、外装・内装、設備の更新など）の経費の一部を補助します。"
            "事業承継に伴う工事も対象です。",
            "Part of the cost of renovating a shop in one of the ward's shopping streets"
            " (step-free entrance, facade and interior, equipment), including works that come"
            " with a business succession.",
        ),
        "categories": [
            ("construction", "工事費", "Construction"),
            ("equipment", "設備費", "Equipment"),
            ("design", "設計費", "Design"),
        ],
        "documents": [
            ("quote", "見積書", "Quotation", Stage.APPLICATION, ["pdf", "jpeg", "png"]),
            (
                "photo_before",
                "改修前の写真",
                "Photo before the works",
                Stage.APPLICATION,
                ["jpeg", "png", "pdf"],
            ),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
            (
                "photo_after",
                "改修後の写真",
                "Photo after the works",
                Stage.REPORT,
                ["jpeg", "png", "pdf"],
            ),
        ],
        "questions": [
            (
                "purpose",
                "改修の目的",
                "Purpose of the renovation",
                QuestionKind.CHOICE,
                "事業承継に伴う改修\n個店の課題の解決",
                "Renovation with a business succession\nSolving the shop's problem",
            ),
            ("problem", "解決したい課題", "The problem to solve", QuestionKind.TEXTAREA, "", ""),
        ],
        "rubric": [
            ("need", "必要性", "Need", 2, 5),
            ("effect", "集客への効果", "Effect on customers", 2, 5),
            ("cost", "経費の妥当性", "Reasonable cost", 1, 5),
        ],
    },
    {
        "code": "machizemi",
        "plan_item": "13-3(3)",
        "division": Division.COMMERCE,
        "subject": Subject.STREET,
        "rules": [{"rule": "street_association", "params": {}}],
        "rate": (1, 1),
        "cap": 300_000,
        "minimum": 30_000,
        "budget": (1_500_000, 1_200_000),
        "name": {
            "ja": "まちゼミ支援事業",
            "en": "Machi-zemi support",
            "zh-hans": "街头讲座支援事业",
            "zh-hant": "街頭講座支援事業",
            "ko": "마치제미 지원 사업",
        },
        "summary": {
            "ja": "商店主が講師となり、プロならではの知識を伝えるゼミの開催を支援します。",
            "en": "Seminars in which shopkeepers teach what only professionals know.",
            "zh-hans": "支持由店主担任讲师、传授专业知识的讲座。",
            "zh-hant": "支援由店主擔任講師、傳授專業知識的講座。",
            "ko": "상점주가 강사가 되어 전문가만의 지식을 전하는 세미나 개최를 지원합니다.",
        },
        "description": (
            "商店会が取りまとめて開催するまちゼミのチラシ・広告・会場などの経費を補助します。",
            "The cost of leaflets, advertising and venues of machi-zemi organised by a"
            " shopping-street association.",
        ),
        "categories": [
            ("leaflets", "チラシ印刷費", "Leaflets"),
            ("advertising", "広告費", "Advertising"),
            ("venue", "会場費", "Venue"),
        ],
        "documents": [
            ("plan", "開催計画書", "Plan of the seminars", Stage.APPLICATION, ["pdf", "docx"]),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            ("shops", "参加する個店の数", "Shops taking part", QuestionKind.INTEGER, "", ""),
            ("courses", "講座の数", "Number of courses", QuestionKind.INTEGER, "", ""),
        ],
        "rubric": [("scale", "規模と参加店の広がり", "Scale and participation", 1, 5)],
    },
    {
        "code": "distinctive_streets",
        "plan_item": "13-4",
        "division": Division.COMMERCE,
        "subject": Subject.STREET,
        "rules": [{"rule": "street_association", "params": {}}],
        "rate": (2, 3),
        "cap": 5_000_000,
        "minimum": 300_000,
        "budget": (20_000_000, 18_000_000),
        "name": {
            "ja": "特色ある商店街の取組支援（イベント・ハード整備）",
            "en": "Support for distinctive shopping streets (events and hardware)",
            "zh-hans": "特色商店街活动支援（活动・硬件建设）",
            "zh-hant": "特色商店街活動支援（活動・硬體建設）",
            "ko": "특색 있는 상점가 활동 지원 (이벤트・하드웨어 정비)",
        },
        "summary": {
            "ja": "地域の特色を活かす商店街のイベントや、街路灯・看"
            "板・バリアフリー化などのハード整備を支援します。",
            "en": "Events and hardware (street lights, signboards, barrier-free works) of streets"
            " that build on a local character.",
            "zh-hans": "支持发挥地方特色的商店街活动以及路灯、招牌、无障碍化等硬件建设。",
            "zh-hant": "支援發揮地方特色的商店街活動以及路燈、招牌、無障礙化等硬體建設。",
            "ko": "지역 특색을 살리는 상점가의 이벤트와 가로등・간판・배리어 "
            "프리화 등 하드웨어 정비를 지원합니다.",
        },
        "description": (
            "駅周辺の再開発を機にまちの再生をめざす地域や、アニメ・自然・文化などの地域資源を活かす地域の商店街が行う"
            "イベントとハード整備（街路灯、看板設置、バリアフリー化など）の経費の一部を補助します。",
            "For streets in areas renewing themselves around station redevelopment, or reviving"
            " through anime, nature and culture: part of the cost of events and hardware (street"
            " lights, signboards, barrier-free works).",
        ),
        "categories": [
            ("event", "イベント経費", "Events"),
            ("street_lights", "街路灯", "Street lights"),
            ("signboards", "看板", "Signboards"),
            ("barrier_free", "バリアフリー化工事", "Barrier-free works"),
        ],
        "documents": [
            ("plan", "事業計画書", "Project plan", Stage.APPLICATION, ["pdf", "docx", "xlsx"]),
            ("quote", "見積書", "Quotation", Stage.APPLICATION, ["pdf", "jpeg", "png"]),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            (
                "concept",
                "地域の特色",
                "Local character",
                QuestionKind.CHOICE,
                "アニメ\n自然\n文化\n駅周辺の再開発\nその他",
                "Anime\nNature\nCulture\nStation redevelopment\nOther",
            ),
            (
                "kind",
                "区分",
                "Kind",
                QuestionKind.CHOICE,
                "イベント\nハード整備",
                "Event\nHardware",
            ),
        ],
        "rubric": [
            ("concept", "コンセプトの明確さ", "Clear concept", 2, 5),
            ("area", "まち全体への効果", "Effect on the whole area", 2, 5),
            ("cost", "経費の妥当性", "Reasonable cost", 1, 5),
        ],
    },
    {
        "code": "street_promotion",
        "plan_item": "13-5",
        "division": Division.COMMERCE,
        "subject": Subject.STREET,
        "rules": [{"rule": "street_association", "params": {}}],
        "rate": (2, 3),
        "cap": 1_000_000,
        "minimum": 100_000,
        "budget": (5_000_000, 4_000_000),
        "name": {
            "ja": "商店街の魅力発信支援事業",
            "en": "Shopping-street promotion programme",
            "zh-hans": "商店街魅力宣传支援事业",
            "zh-hant": "商店街魅力宣傳支援事業",
            "ko": "상점가 매력 발신 지원 사업",
        },
        "summary": {
            "ja": "外国人や区外の方にも商店街の魅力を伝える情報発"
            "信（多言語化・ウェブ・動画など）を支援します。",
            "en": "Promotion that tells visitors from abroad and outside the ward about a street"
            " (translation, web, video).",
            "zh-hans": "支持向外国人和区外人士传达商店街魅力的宣传（多语言化、网站、视频等）。",
            "zh-hant": "支援向外國人和區外人士傳達商店街魅力的宣傳（多語言化、網站、影片等）。",
            "ko": "외국인과 구 밖의 사람들에게도 상점가의 매력을 전하는 "
            "정보 발신(다국어화・웹・동영상 등)을 지원합니다.",
        },
        "description": (
            "商店街が主体的に行う魅力発信（多言語のマップ・ウェブサイト・SNS・動画制作など）の経費の一部を補助します。",
            "Part of the cost of promotion a street does on its own initiative: multilingual"
            " maps, websites, social media, video.",
        ),
        "categories": [
            ("translation", "多言語化", "Translation"),
            ("web", "ウェブ・SNS", "Web and social media"),
            ("print", "印刷物", "Print"),
            ("video", "動画制作", "Video"),
        ],
        "documents": [
            ("plan", "事業計画書", "Project plan", Stage.APPLICATION, ["pdf", "docx"]),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            ("languages", "発信する言語", "Languages of the promotion", QuestionKind.TEXT, "", ""),
        ],
        "rubric": [("reach", "発信の効果", "Reach", 1, 5)],
    },
    {
        "code": "welfare_model",
        "plan_item": "13-2(2)",
        "division": Division.ECONOMY,
        "subject": Subject.BUSINESS,
        "rules": [{"rule": "located_in_city", "params": {}}],
        "rate": (1, 2),
        "cap": 2_000_000,
        "minimum": 300_000,
        "budget": (4_000_000, 4_000_000),
        "name": {
            "ja": "福祉・生活関連産業モデル事業",
            "en": "Welfare & life-industry model project",
            "zh-hans": "福利・生活相关产业示范事业",
            "zh-hant": "福利・生活相關產業示範事業",
            "ko": "복지・생활 관련 산업 모델 사업",
        },
        "summary": {
            "ja": "福祉・介護など生活関連のサービスを創り育"
            "てる事業者をモデル事業として支援します。",
            "en": "Businesses creating and growing welfare, care and other life-related services,"
            " supported as model projects.",
            "zh-hans": "将创造和发展福利、护理等生活相关服务的企业作为示范事业予以支持。",
            "zh-hant": "將創造並發展福利、照護等生活相關服務的企業作為示範事業予以支援。",
            "ko": "복지・간병 등 생활 관련 서비스를 만들고 "
            "키우는 사업자를 모델 사업으로 지원합니다.",
        },
        "description": (
            "区内の事業者が行う福祉・生活関連サービスの開発と事業化の経費の一部を補助し、成果を区内に広めます。",
            "Part of the cost of developing and launching a welfare or life-related service by a"
            " business in the ward, whose results are then shared across the ward.",
        ),
        "categories": [
            ("development", "サービス開発費", "Service development"),
            ("staff", "人件費", "Staff"),
            ("promotion", "広報費", "Promotion"),
        ],
        "documents": [
            ("plan", "事業計画書", "Business plan", Stage.APPLICATION, ["pdf", "docx", "xlsx"]),
            ("receipts", "領収書", "Receipts", Stage.REPORT, ["pdf", "jpeg", "png"]),
        ],
        "questions": [
            (
                "field",
                "対象の分野",
                "Field",
                QuestionKind.CHOICE,
                "介護\n子育て\n家事支援\nその他",
                "Care\nChildcare\nHousework support\nOther",
            ),
            (
                "users",
                "見込み利用者数（年間）",
                "Expected users a year",
                QuestionKind.INTEGER,
                "",
                "",
            ),
        ],
        "rubric": [
            ("model", "モデル性", "Value as a model", 2, 5),
            ("feasibility", "実現性", "Feasibility", 1, 5),
        ],
    },
]


def _programme(spec: dict[str, Any], order: int) -> tuple[Programme, bool]:
    existing = Programme.objects.filter(code=spec["code"]).first()
    if existing is not None:
        return existing, False
    programme = Programme.objects.create(
        code=spec["code"],
        plan_item=spec["plan_item"],
        division=spec["division"],
        subject=spec["subject"],
        eligibility_rules=spec["rules"],
        rate_numerator=spec["rate"][0],
        rate_denominator=spec["rate"][1],
        cap_yen=spec["cap"],
        minimum_expense_yen=spec["minimum"],
        order=order,
        **_tr("name", spec["name"]),
        **_tr("summary", spec["summary"]),
        **_tr("description", {"ja": spec["description"][0], "en": spec["description"][1]}),
        **_tr("configuration_note", NOTE),
    )
    for index, (code, ja, en) in enumerate(spec["categories"]):
        ExpenseCategory.objects.create(
            programme=programme, code=code, name_ja=ja, name_en=en, order=index
        )
    for index, (code, ja, en, stage, kinds) in enumerate(spec["documents"]):
        RequiredDocument.objects.create(
            programme=programme,
            code=code,
            name_ja=ja,
            name_en=en,
            stage=stage,
            file_kinds=kinds,
            order=index,
        )
    section = FormSection.objects.create(
        programme=programme, title_ja="事業の計画", title_en="The plan"
    )
    for index, (code, ja, en, kind, choices_ja, choices_en) in enumerate(spec["questions"]):
        FormQuestion.objects.create(
            section=section,
            code=code,
            label_ja=ja,
            label_en=en,
            kind=kind,
            choices_ja=choices_ja,
            choices_en=choices_en,
            order=index,
            is_required=kind != QuestionKind.TEXTAREA,
        )
    for index, (code, ja, en, weight, top) in enumerate(spec["rubric"]):
        RubricCriterion.objects.create(
            programme=programme,
            code=code,
            name_ja=ja,
            name_en=en,
            weight=weight,
            max_score=top,
            order=index,
        )
    fy = FiscalYear.current()
    for year, amount in zip((fy, fy - 1), spec["budget"], strict=True):
        ApplicationWindow.objects.create(
            programme=programme,
            fiscal_year=year.year,
            label="通年（デモ）",
            opens_on=year.start,
            closes_on=year.end,
        )
        ProgrammeBudget.objects.create(
            programme=programme, fiscal_year=year.year, amount_yen=amount
        )
    return programme, True


# --- Applications ---------------------------------------------------------------------------------


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, f"Shoko demo document: {text}")
    pdf.save()
    return buffer.getvalue()


def _applicant(business: Any) -> User:
    """The business's representative, created for the demo when it has none."""
    membership = (
        Membership.objects.filter(
            organisation_id=business.organisation_id, role=Membership.Role.REPRESENTATIVE
        )
        .select_related("user")
        .first()
    )
    if membership is not None:
        return membership.user
    user, _created = User.objects.get_or_create(
        email=f"applicant{business.organisation_id}@demo.shoko.example",
        defaults={"full_name": f"{business.name} 代表"},
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=Role.BUSINESS_MEMBER.value))
    Membership.objects.get_or_create(
        user=user,
        organisation=business.organisation,
        defaults={"role": Membership.Role.REPRESENTATIVE},
    )
    return user


def _answers(programme: Programme) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in FormQuestion.objects.filter(section__programme=programme):
        if question.kind == QuestionKind.CHOICE:
            answers[question.code] = question.choices_ja.splitlines()[0]
        elif question.kind == QuestionKind.INTEGER:
            answers[question.code] = "１２"
        elif question.kind == QuestionKind.DATE:
            answers[question.code] = timezone.localdate().isoformat()
        else:
            answers[question.code] = "デモの回答です。"
    return answers


def _live(
    programme: Programme,
    business: Any,
    *,
    title: str,
    amounts: list[int],
    to: str,
    staff: User,
    judge: User | None = None,
    vacant: Any = None,
    returned_comment: str = "",
) -> Application:
    """An application of this fiscal year, driven through the services up to ``to``."""
    applicant = _applicant(business)
    application = services.create_application(
        actor=applicant, programme=programme, business=business
    )
    categories = list(programme.expense_categories.all())
    data: dict[str, Any] = {"title": title, "summary": f"{title}（デモ）"}
    if vacant is not None:
        data["vacant_shop"] = vacant
    application = services.update_application(
        actor=applicant,
        application=application,
        data=data,
        expenses=[
            {
                "category": categories[i % len(categories)].code,
                "description": f"{title} {i + 1}",
                "amount": f"{amount:,}円",
            }
            for i, amount in enumerate(amounts)
        ],
        answers=_answers(programme),
    )
    for requirement in programme.required_documents.filter(stage=Stage.APPLICATION):
        services.upload_document(
            actor=applicant,
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile(f"{requirement.code}.pdf", _pdf(str(requirement.name))),
        )
    if to == Status.DRAFT:
        return application
    application = services.submit_application(actor=applicant, application=application)
    if to == Status.SUBMITTED:
        return application
    if returned_comment:
        application = services.return_application(
            actor=staff, application=application, comment=returned_comment
        )
        if to == Status.RETURNED:
            return application
        application = services.resubmit_application(actor=applicant, application=application)
        if to == Status.RESUBMITTED:
            return application
    application = services.start_review(actor=staff, application=application)
    for reviewer, bias in ((staff, 0), (judge, 1)):
        if reviewer is None:
            continue
        services.score_application(
            actor=reviewer,
            application=application,
            scores={c.code: max(0, c.max_score - 1 - bias) for c in programme.rubric.all()},
            comment="デモの所見です。",
        )
    if to == Status.UNDER_REVIEW:
        return application
    if to == Status.REJECTED:
        return services.reject_application(
            actor=staff,
            application=application,
            reason="今年度は予算の範囲で他の申請を優先しました（デモ）。",
        )
    application = services.approve_application(actor=staff, application=application)
    if to == Status.APPROVED:
        return application
    if to == Status.WITHDRAWN:
        return services.withdraw_application(actor=applicant, application=application)
    application = services.complete_work(actor=applicant, application=application)
    if to == Status.WORK_COMPLETED:
        return application
    services.save_report(
        actor=applicant,
        application=application,
        summary="予定どおり実施しました（デモ）。",
        expenses=[
            {
                "category": categories[0].code,
                "description": f"{title}（実績）",
                "amount": f"{int(sum(amounts) * 0.95):,}",
            }
        ],
    )
    for requirement in programme.required_documents.filter(stage=Stage.REPORT):
        services.upload_document(
            actor=applicant,
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile(f"{requirement.code}.pdf", _pdf(str(requirement.name))),
        )
    application = services.submit_report(actor=applicant, application=application)
    if to == Status.REPORT_SUBMITTED:
        return application
    application = services.confirm_amount(actor=staff, application=application)
    if to == Status.CONFIRMED:
        return application
    return services.record_payment(actor=staff, application=application)


def _history(
    programme: Programme,
    business: Any,
    *,
    title: str,
    amount: int,
    to: str,
    staff: User,
    street: Any = None,
    vacant: Any = None,
    shop: Any = None,
) -> Application:
    """An application of last fiscal year, written as the record it left (no emails)."""
    fy = FiscalYear.current() - 1
    grant = programme_grant(programme, amount)
    when = dt.datetime.combine(fy.start + dt.timedelta(days=60), dt.time(10), tzinfo=TOKYO)
    application = Application.objects.create(
        programme=programme,
        fiscal_year=fy.year,
        business=business,
        number=f"{fy.year}-{next_number(f'application:{fy.year}'):05d}",
        status=to,
        title=title,
        summary=f"{title}（デモ・昨年度）",
        applicant_name=business.name,
        address=business.address,
        street=street,
        vacant_shop=vacant,
        shop=shop,
        eligible_expense_yen=amount,
        requested_yen=grant,
        submitted_at=when,
        decided_at=when + dt.timedelta(days=30),
        created_by=staff,
    )
    application.area = services.area_of(application)
    category = programme.expense_categories.first()
    ExpenseLine.objects.create(
        application=application,
        stage=Stage.APPLICATION,
        category=category,
        description=title,
        amount_yen=amount,
    )
    path = [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.APPROVED,
        Status.WORK_COMPLETED,
        Status.REPORT_SUBMITTED,
        Status.CONFIRMED,
        Status.PAID,
    ]
    previous = Status.DRAFT
    for step, status in enumerate(path[: path.index(to) + 1] if to in path else path[:2]):
        TransitionLog.objects.create(
            application=application,
            transition="history",
            from_status=previous,
            to_status=status,
            actor=staff,
            acted_at=when + dt.timedelta(days=step * 20),
            comment="デモ（昨年度の記録）",
        )
        previous = status
    if to in (
        Status.APPROVED,
        Status.WORK_COMPLETED,
        Status.REPORT_SUBMITTED,
        Status.CONFIRMED,
        Status.PAID,
    ):
        application.approved_yen = grant
    if to in (Status.CONFIRMED, Status.PAID):
        application.confirmed_yen = grant
        application.completed_on = fy.start + dt.timedelta(days=200)
    if to == Status.PAID:
        application.paid_yen = grant
        application.paid_on = fy.start + dt.timedelta(days=260)
    application.save()
    if vacant is not None and to in (Status.CONFIRMED, Status.PAID):
        directory_services.update_vacant_shop(
            actor=None, vacant_shop=vacant, data={"status": VacantShop.Status.OCCUPIED}
        )
    return application


def _seed_applications(progress: Callable[[str], None]) -> None:
    staff = {
        Division.COMMERCE: User.objects.get(email="commerce@demo.shoko.example"),
        Division.ECONOMY: User.objects.get(email="economy@demo.shoko.example"),
    }
    judge = User.objects.filter(email="judge@demo.shoko.example").first()
    programmes = {p.code: p for p in Programme.objects.all()}
    shops = list(
        Business.objects.filter(
            name__endswith="（デモ）",
            shops__street__isnull=False,
            shops__is_association_member=True,
        )
        .distinct()
        .order_by("pk")[:16]
    )
    associations: dict[str, Any] = {}
    for street in (
        ShoppingStreet.objects.filter(association__isnull=False)
        .select_related("area", "association")
        .order_by("pk")
    ):
        associations.setdefault(street.area.code if street.area else "", street.association)
    demo_owner = Business.objects.filter(organisation__name="練馬デモ商店（デモデータ）").first()
    made = 0

    renovation = programmes["shop_renovation"]
    commerce = staff[Division.COMMERCE]
    plan = [
        ("入口の段差解消工事", [1_250_000], Status.PAID),
        ("厨房設備の更新", [900_000, 300_000], Status.CONFIRMED),
        ("外装と看板の改修", [1_800_000], Status.REPORT_SUBMITTED),
        ("事業承継に伴う内装改修", [1_400_000], Status.WORK_COMPLETED),
        ("トイレのバリアフリー化", [750_000], Status.APPROVED),
        ("照明のLED化", [420_000], Status.UNDER_REVIEW),
        ("客席の改装", [640_000], Status.RESUBMITTED),
        ("ショーケースの入替え", [380_000], Status.SUBMITTED),
        ("倉庫の改修", [500_000], Status.REJECTED),
        ("テラス席の設置", [600_000], Status.WITHDRAWN),
    ]
    for business, (title, amounts, to) in zip(shops, plan, strict=False):
        _live(
            renovation,
            business,
            title=title,
            amounts=amounts,
            to=to,
            staff=commerce,
            judge=judge,
            returned_comment="見積書の宛名を申請者名に直してください。"
            if to == Status.RESUBMITTED
            else "",
        )
        made += 1
    for business, title in zip(
        shops[10:13], ["看板の修繕", "空調の更新", "床の張替え"], strict=False
    ):
        _history(
            renovation,
            business,
            title=title,
            amount=1_200_000,
            to=Status.PAID,
            staff=commerce,
            shop=business.shops.first(),
        )
        made += 1
    if demo_owner is not None:
        _live(
            renovation,
            demo_owner,
            title="店舗入口のバリアフリー改修",
            amounts=[1_200_000],
            to=Status.RETURNED,
            staff=commerce,
            returned_comment="見積書の有効期限が切れています。新しい見積書を提出してください。",
        )
        _history(
            programmes["shop_collaboration"],
            demo_owner,
            title="近隣3店の共同スタンプラリー",
            amount=450_000,
            to=Status.PAID,
            staff=commerce,
            shop=demo_owner.shops.first(),
        )
        made += 2

    collaboration = programmes["shop_collaboration"]
    for business, (title, to) in zip(
        shops[13:16],
        [
            ("3店合同の新メニュー開発", Status.APPROVED),
            ("共同スタンプラリー", Status.UNDER_REVIEW),
            ("商店街マルシェへの共同出店", Status.DRAFT),
        ],
        strict=False,
    ):
        _live(
            collaboration,
            business,
            title=title,
            amounts=[600_000],
            to=to,
            staff=commerce,
            judge=judge,
        )
        made += 1

    # 13-4: areas supported last year and this year, so continuing and new can be counted.
    distinctive = programmes["distinctive_streets"]
    last_year = ["nerima", "ekoda", "shakujii", "oizumi"]
    this_year = [
        ("nerima", Status.PAID),
        ("ekoda", Status.APPROVED),
        ("shakujii", Status.WORK_COMPLETED),
        ("kitamachi", Status.APPROVED),
        ("kasugacho", Status.UNDER_REVIEW),
    ]
    titles = {
        "nerima": "駅前再開発にあわせた街路灯の更新",
        "ekoda": "音楽と文化のまちフェスティバル",
        "shakujii": "公園と自然をテーマにした案内看板",
        "oizumi": "アニメのまちのスタンプラリー",
        "kitamachi": "歴史の道のバリアフリー化",
        "kasugacho": "富士街道の歴史散歩イベント",
    }
    for code in last_year:
        association = associations.get(code)
        if association is not None:
            _history(
                distinctive,
                association,
                title=titles[code],
                amount=3_000_000,
                to=Status.PAID,
                staff=commerce,
                street=association.associated_streets.first(),
            )
            made += 1
    for code, to in this_year:
        association = associations.get(code)
        if association is not None:
            _live(
                distinctive,
                association,
                title=titles[code],
                amounts=[2_400_000, 900_000],
                to=to,
                staff=commerce,
                judge=judge,
            )
            made += 1

    for programme_code, code, title, to in [
        ("machizemi", "nerima", "練馬駅前まちゼミ（秋）", Status.APPROVED),
        ("machizemi", "ekoda", "江古田まちゼミ", Status.SUBMITTED),
        ("street_promotion", "ekoda", "多言語の商店街マップ", Status.APPROVED),
        (
            "street_promotion",
            "shakujii",
            "商店街紹介動画（英語・中国語・韓国語字幕）",
            Status.UNDER_REVIEW,
        ),
    ]:
        association = associations.get(code)
        if association is not None:
            _live(
                programmes[programme_code],
                association,
                title=title,
                amounts=[280_000],
                to=to,
                staff=commerce,
                judge=judge,
            )
            made += 1
    association = associations.get("nerima")
    if association is not None:
        _history(
            programmes["machizemi"],
            association,
            title="練馬駅前まちゼミ（昨年度）",
            amount=250_000,
            to=Status.PAID,
            staff=commerce,
            street=association.associated_streets.first(),
        )
        made += 1

    economy = staff[Division.ECONOMY]
    welfare = programmes["welfare_model"]
    for business, (title, to) in zip(
        shops[3:5],
        [
            ("見守り付き配食サービス", Status.UNDER_REVIEW),
            ("子育て世帯向け家事支援", Status.APPROVED),
        ],
        strict=False,
    ):
        _live(
            welfare, business, title=title, amounts=[1_500_000], to=to, staff=economy, judge=judge
        )
        made += 1
    _history(
        welfare,
        shops[5],
        title="高齢者向け移動販売",
        amount=2_000_000,
        to=Status.PAID,
        staff=economy,
    )
    made += 1

    # 13-1(2): startups moving into vacant shops (the directory's listings).
    vacant_programme = programmes["vacant_shop"]
    vacancies = list(
        VacantShop.objects.exclude(status=VacantShop.Status.OCCUPIED).order_by("pk")[:3]
    )
    starters = shops[6:9]
    for index, (business, vacant) in enumerate(zip(starters, vacancies, strict=False)):
        founded = timezone.localdate().replace(day=1) - dt.timedelta(days=200 * (index + 1))
        directory_services.update_business(
            actor=None,
            business=business,
            data={"is_startup": True, "founded_on": founded, "startup_since": founded},
        )
        if index == 0:
            _history(
                vacant_programme,
                business,
                title="空き店舗での開業（カフェ）",
                amount=1_600_000,
                to=Status.PAID,
                staff=economy,
                vacant=vacant,
            )
        else:
            _live(
                vacant_programme,
                business,
                title="空き店舗での開業",
                amounts=[1_200_000, 600_000],
                to=Status.WORK_COMPLETED if index == 1 else Status.UNDER_REVIEW,
                staff=economy,
                judge=judge,
                vacant=vacant,
            )
        made += 1

    for programme in programmes.values():
        services.recompute_budget(programme=programme, fiscal_year=(FiscalYear.current() - 1).year)
    progress(f"  {made} applications in every state (this and last fiscal year)")


def seed(progress: Callable[[str], None]) -> None:
    """Idempotent: programmes by code; applications only when none exist yet."""
    created = 0
    with transaction.atomic():
        for order, spec in enumerate(PROGRAMMES, start=1):
            _programme_obj, was_created = _programme(spec, order * 10)
            created += was_created
    progress(
        f"  {len(PROGRAMMES)} programmes ({created} new) — demo configuration, not real figures"
    )
    if Application.objects.exists():
        progress("  applications already present")
        return
    if not User.objects.filter(email="commerce@demo.shoko.example").exists():
        progress("  no demo staff accounts: applications skipped")
        return
    with transaction.atomic():
        _seed_applications(progress)


__all__ = ["PROGRAMMES", "seed"]
