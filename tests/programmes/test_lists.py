"""Staff of the programme's division prepare the year's call for applications themselves: expense
categories, required documents, form sections and questions, and the review rubric, each added,
corrected, reordered and deleted on the staff screens. What submitted applications rely on stays
fixed; drafts follow the change; every change is in the audit trail."""

from __future__ import annotations

from functools import partial

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shoko.programmes import selectors, services
from shoko.programmes.models import (
    ApplicationDocument,
    ExpenseCategory,
    FormQuestion,
    FormSection,
    RequiredDocument,
    RubricCriterion,
    Status,
)
from shoko.programmes.services import ListKind
from tests.programmes.conftest import advance, concurrently
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

K = ListKind


def add(actor, programme, list_kind, /, **data):
    return services.add_list_item(actor=actor, programme=programme, kind=list_kind, data=data)


def messages_of(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def section_of(programme):
    return programme.form_sections.get()


# --- Adding, with Japanese required and codes typed however -------------------------------------


def test_staff_add_an_item_of_each_list_at_its_end_with_codes_and_numbers_typed_full_width(
    programme, commerce
):
    category = add(
        commerce, programme, K.CATEGORIES, code="ＤＥＳＩＧＮ", name_ja="設計費", name_en="Design"
    )
    document = add(
        commerce,
        programme,
        K.DOCUMENTS,
        code="floor_plan",
        name_ja="平面図",
        stage="application",
        file_kinds=["pdf", "pdf", "png"],
        max_bytes="５０００００",
        is_required=True,
    )
    section = add(commerce, programme, K.SECTIONS, title_ja="店舗の状況", title_ko="점포 현황")
    question = add(
        commerce,
        programme,
        K.QUESTIONS,
        section=section.pk,
        code="seats",
        label_ja="席数",
        kind="integer",
        is_required=False,
    )
    criterion = add(
        commerce,
        programme,
        K.RUBRIC,
        code="novelty",
        name_ja="新規性",
        weight="２",
        max_score="１０",
    )

    assert category.code == "design"
    assert category.order > 2
    assert list(programme.expense_categories.values_list("code", flat=True))[-1] == "design"
    assert (document.file_kinds, document.max_bytes) == (["pdf", "png"], 500_000)
    assert list(
        programme.required_documents.filter(stage="application").values_list("code", flat=True)
    ) == ["quote", "plan", "floor_plan"]
    assert (question.section, question.order) == (section, 10)
    assert (criterion.weight, criterion.max_score) == (2, 10)
    assert (section.title_ko, str(section.title)) == ("점포 현황", "店舗の状況")


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            K.CATEGORIES,
            {"code": "design", "name_ja": " "},
            "name_ja",
            services.JAPANESE_REQUIRED_MESSAGE,
        ),
        (K.CATEGORIES, {"code": "設計", "name_ja": "設計費"}, "code", services.CODE_FORMAT_MESSAGE),
        (
            K.CATEGORIES,
            {"code": "Construction", "name_ja": "工事費2"},
            "code",
            services.CODE_TAKEN_MESSAGE % {"code": "construction"},
        ),
        (
            K.DOCUMENTS,
            {"code": "quote", "name_ja": "見積書2", "stage": "application", "file_kinds": ["pdf"]},
            "code",
            services.CODE_TAKEN_MESSAGE % {"code": "quote"},
        ),
        (
            K.DOCUMENTS,
            {"code": "map", "name_ja": "地図", "stage": "application", "file_kinds": []},
            "file_kinds",
            services.FILE_KINDS_MESSAGE,
        ),
        (
            K.DOCUMENTS,
            {"code": "map", "name_ja": "地図", "stage": "application", "file_kinds": ["exe"]},
            "file_kinds",
            services.UNKNOWN_CHOICE_MESSAGE % {"value": "exe"},
        ),
        (
            K.DOCUMENTS,
            {"code": "map", "name_ja": "地図", "stage": "later", "file_kinds": ["pdf"]},
            "stage",
            services.UNKNOWN_CHOICE_MESSAGE % {"value": "later"},
        ),
        (
            K.DOCUMENTS,
            {
                "code": "map",
                "name_ja": "地図",
                "stage": "application",
                "file_kinds": ["pdf"],
                "max_bytes": "-1",
            },
            "max_bytes",
            services.MAX_BYTES_MESSAGE % {"limit": 2**31 - 1},
        ),
        (
            K.RUBRIC,
            {"code": "novelty", "name_ja": "新規性", "max_score": "０"},
            "max_score",
            services.MAX_SCORE_MESSAGE % {"limit": 1000},
        ),
        (
            K.RUBRIC,
            {"code": "novelty", "name_ja": "新規性", "max_score": "5.5"},
            "max_score",
            services.MAX_SCORE_MESSAGE % {"limit": 1000},
        ),
        (
            K.RUBRIC,
            {"code": "novelty", "name_ja": "新規性", "max_score": "abc"},
            "max_score",
            services.MAX_SCORE_MESSAGE % {"limit": 1000},
        ),
        (
            K.RUBRIC,
            {"code": "novelty", "name_ja": "新規性", "weight": "１０１"},
            "weight",
            services.WEIGHT_MESSAGE % {"limit": 100},
        ),
        (
            K.RUBRIC,
            {"code": "impact", "name_ja": "効果2"},
            "code",
            services.CODE_TAKEN_MESSAGE % {"code": "impact"},
        ),
        (K.CATEGORIES, {"code": None, "name_ja": "設計費"}, "code", services.CODE_FORMAT_MESSAGE),
        (
            K.QUESTIONS,
            {"section": "abc", "code": "x", "label_ja": "x", "kind": "text"},
            "section",
            services.SECTION_NOT_OF_PROGRAMME_MESSAGE,
        ),
        (
            K.QUESTIONS,
            {"section": None, "code": "x", "label_ja": "x", "kind": "text"},
            "section",
            services.SECTION_NOT_OF_PROGRAMME_MESSAGE,
        ),
        (
            K.RUBRIC,
            {"code": "novelty", "name_ja": "新規性", "max_score": True},
            "max_score",
            services.MAX_SCORE_MESSAGE % {"limit": 1000},
        ),
        (
            K.SECTIONS,
            {"title_ja": "事業の計画"},
            "title_ja",
            services.SECTION_TITLE_TAKEN_MESSAGE % {"title": "事業の計画"},
        ),
    ],
)
def test_bad_items_are_refused_with_a_message_on_their_field(
    programme, commerce, kind, data, field, message
):
    before = services.LIST_MODELS[kind].objects.count()
    with pytest.raises(ValidationError) as error:
        add(commerce, programme, kind, **data)
    assert str(message) in messages_of(error)[field]
    assert services.LIST_MODELS[kind].objects.count() == before


def test_a_field_that_is_not_of_the_list_is_a_programming_error(programme, commerce):
    with pytest.raises(TypeError):
        add(commerce, programme, K.CATEGORIES, code="design", name_ja="設計費", order=1)


def test_question_codes_are_unique_across_the_whole_form_and_choices_need_options(
    programme, commerce
):
    other = add(commerce, programme, K.SECTIONS, title_ja="店舗の状況")
    with pytest.raises(ValidationError) as error:
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=other.pk,
            code="purpose",
            label_ja="目的",
            kind="text",
        )
    assert messages_of(error)["code"] == [services.CODE_TAKEN_MESSAGE % {"code": "purpose"}]
    with pytest.raises(ValidationError) as error:
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=other.pk,
            code="size",
            label_ja="規模",
            kind="choice",
            choices_ja="\n \n",
        )
    assert messages_of(error)["choices_ja"] == [services.CHOICES_REQUIRED_MESSAGE]
    with pytest.raises(ValidationError) as error:
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=other.pk,
            code="size",
            label_ja="規模",
            kind="choice",
            choices_ja="大\n小\n大",
        )
    assert messages_of(error)["choices_ja"] == [
        services.DUPLICATE_CHOICE_MESSAGE % {"choice": "大"}
    ]
    foreign = FormSection.objects.create(programme=ProgrammeFactory(), title_ja="別の事業")
    with pytest.raises(ValidationError) as error:
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=foreign.pk,
            code="size",
            label_ja="規模",
            kind="text",
        )
    assert messages_of(error)["section"] == [services.SECTION_NOT_OF_PROGRAMME_MESSAGE]


def test_a_double_submit_adds_one_item(programme, commerce):
    data = {"code": "design", "name_ja": "設計費"}
    add(commerce, programme, K.CATEGORIES, **data)
    with pytest.raises(ValidationError):
        add(commerce, programme, K.CATEGORIES, **data)
    assert programme.expense_categories.filter(code="design").count() == 1


def test_only_the_programmes_division_and_admins_change_its_lists(programme, economy, admin_user):
    with pytest.raises(PermissionDenied):
        add(economy, programme, K.CATEGORIES, code="design", name_ja="設計費")
    add(admin_user, programme, K.CATEGORIES, code="design", name_ja="設計費")
    assert programme.expense_categories.filter(code="design").exists()


# --- Order ---------------------------------------------------------------------------------------


def test_moving_swaps_neighbours_and_keeps_a_clean_sequence(programme, commerce):
    third = add(commerce, programme, K.CATEGORIES, code="design", name_ja="設計費")
    services.move_list_item(actor=commerce, item=third, up=True)
    assert list(programme.expense_categories.values_list("code", "order")) == [
        ("construction", 10),
        ("design", 20),
        ("equipment", 30),
    ]
    services.move_list_item(actor=commerce, item=third, up=True)
    services.move_list_item(actor=commerce, item=third, up=True)  # already first: stays
    assert list(programme.expense_categories.values_list("code", flat=True)) == [
        "design",
        "construction",
        "equipment",
    ]


def test_documents_move_among_those_of_their_stage(programme, commerce):
    plan = programme.required_documents.get(code="plan")
    services.move_list_item(actor=commerce, item=plan, up=False)  # last of the application's
    services.move_list_item(actor=commerce, item=plan, up=True)
    assert list(programme.required_documents.values_list("code", flat=True)) == [
        "plan",
        "quote",
        "receipts",
    ]


# --- What submitted applications rely on ---------------------------------------------------------


@pytest.fixture
def submitted(draft, owner, commerce):
    return advance(draft, Status.SUBMITTED, owner=owner, staff=commerce)


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (ExpenseCategory, {"code": "construction"}),
        (RequiredDocument, {"code": "quote"}),
        (FormQuestion, {"code": "purpose"}),
        (FormSection, {"title_ja": "事業の計画"}),
    ],
)
def test_items_a_submitted_application_refers_to_cannot_be_deleted(
    submitted, programme, commerce, model, lookup
):
    item = model.objects.get(**lookup)
    with pytest.raises(ValidationError) as error:
        services.delete_list_item(actor=commerce, item=item)
    assert error.value.messages == [services.ITEM_IN_USE_MESSAGE % {"item": item}]
    assert model.objects.filter(pk=item.pk).exists()


def test_items_nobody_submitted_can_be_deleted_twice_without_harm(submitted, programme, commerce):
    equipment = programme.expense_categories.get(code="equipment")
    services.delete_list_item(actor=commerce, item=equipment)
    services.delete_list_item(actor=commerce, item=equipment)  # a double submit
    assert not ExpenseCategory.objects.filter(pk=equipment.pk).exists()


def test_a_submitted_answer_fixes_the_questions_code_and_kind_but_not_its_wording(
    submitted, programme, commerce
):
    question = FormQuestion.objects.get(code="visitors")
    with pytest.raises(ValidationError) as error:
        services.update_list_item(
            actor=commerce, item=question, data={"kind": "text", "code": "guests"}
        )
    assert messages_of(error) == {
        "kind": [services.KIND_IN_USE_MESSAGE],
        "code": [services.CODE_IN_USE_MESSAGE],
    }
    services.update_list_item(
        actor=commerce,
        item=question,
        data={"label_ja": "1日の平均来店者数", "label_ko": "방문객 수"},
    )
    question.refresh_from_db()
    assert (question.kind, question.label_ja) == ("integer", "1日の平均来店者数")


def test_scores_fix_a_criterions_max_score_and_weight(draft, owner, commerce, programme):
    reviewing = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    services.score_application(
        actor=commerce, application=reviewing, scores={"impact": "５", "feasibility": "4"}
    )
    impact = programme.rubric.get(code="impact")
    with pytest.raises(ValidationError) as error:
        services.update_list_item(actor=commerce, item=impact, data={"max_score": "１０"})
    assert messages_of(error) == {"max_score": [services.SCORING_IN_USE_MESSAGE]}
    with pytest.raises(ValidationError):
        services.delete_list_item(actor=commerce, item=impact)
    services.update_list_item(actor=commerce, item=impact, data={"description_ja": "地域への効果"})
    impact.refresh_from_db()
    assert (impact.max_score, impact.description_ja) == (5, "地域への効果")


# --- Drafts follow the change --------------------------------------------------------------------


def test_a_draft_loses_the_answer_to_a_deleted_question_and_its_form_still_opens(
    client, draft, owner, programme, commerce
):
    visitors = FormQuestion.objects.get(code="visitors")
    services.delete_list_item(actor=commerce, item=visitors)
    draft.refresh_from_db()
    assert draft.answers == {"purpose": "事業承継"}
    client.force_login(owner)
    page = client.get(reverse("programmes:my-application-edit", args=[draft.pk]))
    assert page.status_code == 200
    assert "1日の来店者数" not in page.content.decode()
    assert client.get(reverse("programmes:my-application", args=[draft.pk])).status_code == 200


def test_a_drafts_answers_follow_a_questions_new_code_and_kind(draft, programme, commerce):
    visitors = FormQuestion.objects.get(code="visitors")
    purpose = FormQuestion.objects.get(code="purpose")
    services.update_list_item(actor=commerce, item=visitors, data={"code": "guests"})
    services.update_list_item(actor=commerce, item=purpose, data={"kind": "yes_no"})
    draft.refresh_from_db()
    # 120 visitors moved to the new code; "事業承継" is no answer to a yes/no question.
    assert draft.answers == {"guests": 120}


def test_deleting_a_category_or_document_tidies_the_drafts_that_used_it(draft, programme, commerce):
    assert draft.requested_yen == 800_000
    services.delete_list_item(
        actor=commerce, item=programme.expense_categories.get(code="construction")
    )
    services.delete_list_item(actor=commerce, item=programme.required_documents.get(code="quote"))
    draft.refresh_from_db()
    assert (draft.expenses.count(), draft.eligible_expense_yen, draft.requested_yen) == (0, 0, 0)
    assert not ApplicationDocument.objects.filter(application=draft).exists()


# --- The audit trail -----------------------------------------------------------------------------


def test_every_change_is_in_the_audit_trail_with_who_made_it(programme, commerce):
    criterion = add(commerce, programme, K.RUBRIC, code="novelty", name_ja="新規性")
    services.update_list_item(actor=commerce, item=criterion, data={"max_score": "３"})
    services.move_list_item(actor=commerce, item=criterion, up=True)
    services.delete_list_item(actor=commerce, item=criterion)
    entries = LogEntry.objects.filter(
        content_type__model="rubriccriterion", object_pk=str(criterion.pk)
    ).order_by("pk")
    assert [e.action for e in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert {e.actor_id for e in entries} == {commerce.pk}
    assert entries[1].changes_dict["max_score"] == [5, 3]


# --- The screens ---------------------------------------------------------------------------------


def list_url(programme, kind):
    return reverse("programmes:staff-list", args=[programme.code, kind])


def test_the_programme_page_links_to_each_list(client, programme, commerce):
    client.force_login(commerce)
    page = client.get(reverse("programmes:staff-programme", args=[programme.code])).content.decode()
    for kind in ("categories", "documents", "questions", "rubric"):
        assert list_url(programme, kind) in page


def test_staff_add_edit_move_and_delete_on_the_screens(client, programme, commerce):
    client.force_login(commerce)
    response = client.post(
        reverse("programmes:staff-list-add", args=[programme.code, "documents"]),
        {
            "documents-code": "ｍａｐ",
            "documents-name_ja": "案内図",
            "documents-stage": "application",
            "documents-file_kinds": ["pdf", "png"],
            "documents-max_bytes": "１０００００",
            "documents-is_required": "on",
        },
    )
    assert response.status_code == 302
    document = programme.required_documents.get(code="map")
    page = client.get(list_url(programme, "documents")).content.decode()
    assert page.index("見積書") < page.index("案内図") < page.index("領収書")

    edit = reverse("programmes:staff-list-item", args=[programme.code, "documents", document.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "code": "map",
            "name_ja": "店舗の案内図",
            "name_en": "Map",
            "stage": "application",
            "file_kinds": ["pdf"],
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.name_ja, document.name_en, document.file_kinds) == (
        "店舗の案内図",
        "Map",
        ["pdf"],
    )
    move = reverse("programmes:staff-list-move", args=[programme.code, "documents", document.pk])
    client.post(move, {"direction": "up"})
    codes = list(programme.required_documents.values_list("code", flat=True))
    assert codes == ["quote", "map", "plan", "receipts"]
    client.post(
        reverse("programmes:staff-list-delete", args=[programme.code, "documents", document.pk])
    )
    assert not programme.required_documents.filter(code="map").exists()


def test_refusals_show_in_the_form_in_japanese(client, programme, commerce):
    client.force_login(commerce)
    response = client.post(
        reverse("programmes:staff-list-add", args=[programme.code, "rubric"]),
        {
            "rubric-code": "impact",
            "rubric-name_ja": "効果",
            "rubric-weight": "1",
            "rubric-max_score": "０",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert str(services.CODE_TAKEN_MESSAGE % {"code": "impact"}) in page
    assert str(services.MAX_SCORE_MESSAGE % {"limit": 1000}) in page
    response = client.post(
        reverse("programmes:staff-list-add", args=[programme.code, "questions"]),
        {
            "questions-section": section_of(programme).pk,
            "questions-code": "size",
            "questions-label_ja": "規模",
            "questions-kind": "choice",
            "questions-choices_ja": "",
        },
    )
    assert str(services.CHOICES_REQUIRED_MESSAGE) in response.content.decode()


def test_a_refused_delete_is_a_message(client, submitted, programme, commerce):
    client.force_login(commerce)
    quote = programme.required_documents.get(code="quote")
    response = client.post(
        reverse("programmes:staff-list-delete", args=[programme.code, "documents", quote.pk]),
        follow=True,
    )
    assert str(services.ITEM_IN_USE_MESSAGE % {"item": "見積書"}) in response.content.decode()
    assert RequiredDocument.objects.filter(pk=quote.pk).exists()


@pytest.mark.parametrize("kind", ["categories", "documents", "questions", "rubric"])
def test_list_screens_keep_their_query_count(
    client, programme, commerce, kind, draft, owner, django_assert_max_num_queries
):
    advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    client.force_login(commerce)
    url = list_url(programme, kind)
    with django_assert_max_num_queries(30) as counted:
        assert client.get(url).status_code == 200
    section = section_of(programme)
    for n in range(8):
        add(commerce, programme, K.CATEGORIES, code=f"c{n}", name_ja=f"経費{n}")
        add(
            commerce,
            programme,
            K.DOCUMENTS,
            code=f"d{n}",
            name_ja=f"書類{n}",
            stage="application",
            file_kinds=["pdf"],
        )
        extra = add(commerce, programme, K.SECTIONS, title_ja=f"区分{n}")
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=section.pk,
            code=f"q{n}",
            label_ja=f"設問{n}",
            kind="text",
        )
        add(
            commerce,
            programme,
            K.QUESTIONS,
            section=extra.pk,
            code=f"r{n}",
            label_ja=f"設問r{n}",
            kind="choice",
            choices_ja="はい\nいいえ",
        )
        add(commerce, programme, K.RUBRIC, code=f"k{n}", name_ja=f"基準{n}")
    with django_assert_max_num_queries(len(counted)):
        page = client.get(url)
    assert page.status_code == 200


def test_the_list_marks_items_in_use(submitted, programme):
    lists = selectors.programme_lists(programme)
    assert [(row.item.code, row.in_use) for row in lists.categories] == [
        ("construction", True),
        ("equipment", False),
    ]
    assert [row.in_use for row in lists.sections] == [True]


# --- Who may ------------------------------------------------------------------------------------


def list_urls(programme):
    category = programme.expense_categories.get(code="equipment")
    return {
        "list": ("get", list_url(programme, "categories"), {}),
        "add": (
            "post",
            reverse("programmes:staff-list-add", args=[programme.code, "categories"]),
            {"categories-code": "design", "categories-name_ja": "設計費"},
        ),
        "edit-page": (
            "get",
            reverse("programmes:staff-list-item", args=[programme.code, "categories", category.pk]),
            {},
        ),
        "edit": (
            "post",
            reverse("programmes:staff-list-item", args=[programme.code, "categories", category.pk]),
            {"code": "equipment", "name_ja": "変更"},
        ),
        "move": (
            "post",
            reverse("programmes:staff-list-move", args=[programme.code, "categories", category.pk]),
            {"direction": "up"},
        ),
        "delete": (
            "post",
            reverse(
                "programmes:staff-list-delete", args=[programme.code, "categories", category.pk]
            ),
            {},
        ),
    }


def snapshot(programme):
    return list(programme.expense_categories.values_list("code", "name_ja", "order"))


@pytest.mark.parametrize("role", ["business_member", "consultant", "judge", None, "anonymous"])
def test_the_list_screens_are_refused_to_everyone_but_officials(client, programme, make_user, role):
    before = snapshot(programme)
    if role != "anonymous":
        client.force_login(make_user(role))
    for name, (method, url, data) in list_urls(programme).items():
        response = getattr(client, method)(url, data)
        if role == "anonymous":
            assert response.status_code == 302, name
            assert "/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, name)
    assert snapshot(programme) == before


def test_another_divisions_staff_may_read_the_lists_but_not_change_them(client, programme, economy):
    before = snapshot(programme)
    client.force_login(economy)
    for name, (method, url, data) in list_urls(programme).items():
        response = getattr(client, method)(url, data)
        assert response.status_code == (200 if name == "list" else 403), name
    assert (
        "この事業の項目は担当課の職員が変更します。"
        in client.get(list_url(programme, "categories")).content.decode()
    )
    assert snapshot(programme) == before


def test_another_programmes_items_and_unknown_lists_are_not_found(client, programme, commerce):
    client.force_login(commerce)
    other = ProgrammeFactory().expense_categories.first()
    url = reverse("programmes:staff-list-item", args=[programme.code, "categories", other.pk])
    assert client.get(url).status_code == 404
    assert client.get(list_url(programme, "windows")).status_code == 404
    client.post(
        reverse("programmes:staff-list-delete", args=[programme.code, "categories", other.pk])
    )
    assert ExpenseCategory.objects.filter(pk=other.pk).exists()
    assert client.get(list_url(programme, "sections")).status_code == 302
    assert RubricCriterion.objects.filter(programme=programme).count() == 2


# --- At the same moment ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_staff_adding_at_the_same_moment_never_duplicate_a_code_nor_share_a_place(make_user):
    first, second = make_user("commerce_staff"), make_user("commerce_staff")
    programme = ProgrammeFactory()
    sections = [section_of(programme), add(first, programme, K.SECTIONS, title_ja="店舗の状況")]
    seats = [
        partial(
            add,
            person,
            programme,
            K.QUESTIONS,
            section=section.pk,
            code="seats",
            label_ja="席数",
            kind="integer",
        )
        for person, section in zip((first, second, first, second), sections * 2, strict=True)
    ]
    categories = [
        partial(add, person, programme, K.CATEGORIES, code=f"c{n}", name_ja=f"経費{n}")
        for n, person in enumerate((first, second, first, second))
    ]
    outcomes = concurrently(seats + categories)
    assert sorted(outcomes[:4]) == ["ok", "refused", "refused", "refused"]
    assert outcomes[4:] == ["ok"] * 4
    assert FormQuestion.objects.filter(section__programme=programme, code="seats").count() == 1
    orders = list(programme.expense_categories.values_list("order", flat=True))
    assert len(orders) == len(set(orders)) == 6


@pytest.mark.parametrize(
    ("kind", "model", "lookup"),
    [
        ("categories", ExpenseCategory, {"code": "construction"}),
        ("documents", RequiredDocument, {"code": "quote"}),
        ("sections", FormSection, {"title_ja": "事業の計画"}),
        ("questions", FormQuestion, {"code": "visitors"}),
        ("rubric", RubricCriterion, {"code": "impact"}),
    ],
)
def test_every_kind_of_item_has_its_edit_page(client, programme, commerce, kind, model, lookup):
    client.force_login(commerce)
    item = (
        model.objects.get(section__programme=programme, **lookup)
        if model is FormQuestion
        else model.objects.get(programme=programme, **lookup)
    )
    page = client.get(reverse("programmes:staff-list-item", args=[programme.code, kind, item.pk]))
    assert page.status_code == 200
    assert str(item) in page.content.decode()


def test_on_the_edit_page_what_submissions_fixed_is_shown_but_not_taken(
    client, submitted, programme, commerce
):
    client.force_login(commerce)
    question = FormQuestion.objects.get(code="visitors")
    url = reverse("programmes:staff-list-item", args=[programme.code, "questions", question.pk])
    page = client.get(url).content.decode()
    assert '<select name="kind" required disabled id="id_kind">' in page
    response = client.post(
        url,
        {
            "section": question.section_id,
            "code": "guests",
            "kind": "text",
            "label_ja": "1日の平均来店者数",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.code, question.kind, question.label_ja) == (
        "visitors",
        "integer",
        "1日の平均来店者数",
    )
