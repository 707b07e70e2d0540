"""Stories go draft → in review → published → archived: street associations write drafts of
their own streets, ward officials review and publish; everyone else is turned away."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shoko.portal import services
from shoko.portal.models import Story
from tests.directory.factories import BusinessFactory, StreetFactory
from tests.factories import member_of
from tests.portal.factories import StoryFactory

pytestmark = pytest.mark.django_db
Status = Story.Status
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def draft_by(association, street, **data):
    organisation, user = association
    return services.create_story(
        actor=user,
        organisation=organisation,
        data={"title_ja": "夏まつり", "body_ja": "七月に開きます。", "street": street, **data},
    )


def test_an_association_writes_a_draft_sends_it_and_the_ward_publishes_it(
    association, street, official
):
    story = draft_by(association, street, title_kana="なつまつり")
    assert story.status == Status.DRAFT
    assert story.organisation == association[0]
    story = services.submit_story(actor=association[1], story=story)
    assert story.status == Status.REVIEW
    assert story.submitted_at
    assert not services.may_edit(association[1], story)
    story = services.publish_story(actor=official, story=story)
    assert story.status == Status.PUBLISHED
    assert story.reviewed_by == official
    story = services.archive_story(actor=official, story=story)
    assert story.status == Status.ARCHIVED
    story = services.reopen_story(actor=official, story=story)
    assert story.status == Status.DRAFT


def test_the_ward_returns_a_story_with_a_reason(association, street, official):
    story = services.submit_story(actor=association[1], story=draft_by(association, street))
    with pytest.raises(ValidationError) as excinfo:
        services.return_story(actor=official, story=story, reason="  ")
    assert excinfo.value.messages == [str(services.RETURN_REASON_MESSAGE)]
    story = services.return_story(actor=official, story=story, reason="写真を足してください")
    assert story.status == Status.DRAFT
    assert story.review_note == "写真を足してください"
    assert services.may_edit(association[1], story)


def test_associations_cannot_publish_or_write_about_other_streets(association, street):
    story = draft_by(association, street)
    with pytest.raises(ValidationError) as excinfo:
        services.publish_story(actor=association[1], story=story)
    assert excinfo.value.messages == [str(services.NOT_ALLOWED_MESSAGE)]
    other = StreetFactory()
    with pytest.raises(ValidationError) as excinfo:
        draft_by(association, other)
    assert excinfo.value.message_dict["street"] == [str(services.STREET_NOT_OURS_MESSAGE)]


def test_only_associations_write_stories(street):
    shop_owner_org = BusinessFactory().organisation
    user = member_of(shop_owner_org)
    with pytest.raises(ValidationError) as excinfo:
        services.create_story(actor=user, organisation=shop_owner_org, data={"title_ja": "x"})
    assert excinfo.value.messages == [str(services.NOT_AN_ASSOCIATION_MESSAGE)]


def test_wrong_status_and_incomplete_stories_are_refused(association, street, official):
    story = draft_by(association, street)
    with pytest.raises(ValidationError) as excinfo:
        services.archive_story(actor=official, story=story)
    assert "下書き" in excinfo.value.messages[0]
    empty = StoryFactory(status=Status.DRAFT, body_ja="")
    with pytest.raises(ValidationError) as excinfo:
        services.publish_story(actor=official, story=empty)
    assert excinfo.value.messages == [str(services.TITLE_REQUIRED_MESSAGE)]


def test_a_photo_without_alt_text_cannot_be_published(official, street):
    story = services.create_story(
        actor=official,
        data={
            "title_ja": "店先",
            "body_ja": "本文",
            "street": street,
            "cover_image": SimpleUploadedFile("a.gif", GIF, content_type="image/gif"),
        },
    )
    with pytest.raises(ValidationError) as excinfo:
        services.publish_story(actor=official, story=story)
    assert excinfo.value.messages == [str(services.ALT_REQUIRED_MESSAGE)]
    services.update_story(actor=official, story=story, data={"cover_alt_ja": "店先の野菜"})
    assert services.publish_story(actor=official, story=story).status == Status.PUBLISHED


def test_readings_must_be_kana(official):
    with pytest.raises(ValidationError) as excinfo:
        services.create_story(
            actor=official, data={"title_ja": "練馬", "body_ja": "x", "title_kana": "Nerima"}
        )
    assert excinfo.value.message_dict["title_kana"] == [str(services.READING_MESSAGE)]
    story = services.create_story(
        actor=official, data={"title_ja": "練馬", "body_ja": "x", "title_kana": "ネリマ ねりま"}
    )
    assert story.title_kana == "ネリマ ねりま"


def test_double_publish_is_refused_not_repeated(official):
    story = StoryFactory(status=Status.REVIEW)
    services.publish_story(actor=official, story=story)
    with pytest.raises(ValidationError):
        services.publish_story(actor=official, story=story)
    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


def test_translation_states_are_recorded_per_language(official, ramen_shop):
    services.set_translation_states(
        actor=official, record=ramen_shop, states={"en": "reviewed", "ko": "", "ja": "machine"}
    )
    ramen_shop.refresh_from_db()
    assert ramen_shop.translation_states == {"en": "reviewed"}
    with pytest.raises(ValidationError) as excinfo:
        services.set_translation_states(actor=official, record=ramen_shop, states={"en": "magic"})
    assert "magic" in excinfo.value.messages[0]


# --- Screens ----------------------------------------------------------------------------------


STAFF_URLS = [
    "/staff/portal/stories/",
    "/staff/portal/stories/new/",
    "/staff/portal/translations/",
    "/staff/portal/translations/shop/en/",
    "/staff/portal/posters/",
]


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("economy_staff", 200),
        ("commerce_staff", 200),
        ("consultant", 403),
        ("judge", 403),
        ("business_member", 403),
    ],
)
def test_staff_screens_are_for_officials(client, make_user, url, role, status):
    client.force_login(make_user(role))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", [*STAFF_URLS, "/my/portal/stories/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_staff_write_and_publish_a_story_on_screen(client, official, street):
    client.force_login(official)
    response = client.post(
        "/staff/portal/stories/new/",
        {
            "title_ja": "江古田の夜",
            "body_ja": "ライブハウスへ。",
            "title_en": "Ekoda by night",
            "street": street.pk,
            "is_featured": "on",
        },
    )
    story = Story.objects.get(title_ja="江古田の夜")
    assert response["Location"] == f"/staff/portal/stories/{story.pk}/"
    client.post(f"/staff/portal/stories/{story.pk}/publish/")
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.is_featured
    assert "Ekoda by night" in client.get(f"/en/stories/{story.pk}/").content.decode()
    response = client.post(
        f"/staff/portal/translation-states/story/{story.pk}/", {"en": "reviewed", "next": "/x/"}
    )
    story.refresh_from_db()
    assert story.translation_states == {"en": "reviewed"}


def test_translation_screen_counts_missing_and_machine_translations(
    client, official, ramen_shop, django_assert_max_num_queries
):
    client.force_login(official)
    with django_assert_max_num_queries(10):
        html = client.get("/staff/portal/translations/").content.decode()
    assert "/staff/portal/translations/shop/zh-hant/" in html
    listing = client.get("/staff/portal/translations/shop/zh-hant/").content.decode()
    assert "ラーメン 一番星" in listing
    machine = client.get("/staff/portal/translations/shop/ko/?state=machine").content.decode()
    assert "ラーメン 一番星" in machine
    assert client.get("/staff/portal/translations/shop/ja/").status_code == 404
    assert client.get("/staff/portal/translations/nope/en/").status_code == 404


def test_association_member_writes_a_draft_on_the_business_portal(client, association, street):
    organisation, user = association
    client.force_login(user)
    assert organisation.name in client.get("/my/portal/stories/").content.decode()
    response = client.post(
        f"/my/portal/stories/new/{organisation.pk}/",
        {"title_ja": "秋の市", "body_ja": "十月に開きます。", "street": street.pk},
    )
    story = Story.objects.get(title_ja="秋の市")
    assert response["Location"] == f"/my/portal/stories/{story.pk}/"
    client.post(f"/staff/portal/stories/{story.pk}/submit/")
    story.refresh_from_db()
    assert story.status == Status.REVIEW
    response = client.post(f"/my/portal/stories/{story.pk}/", {"title_ja": "変更", "body_ja": "x"})
    assert response.status_code == 404


def test_another_organisations_member_gets_404(client, association, street):
    story = draft_by(association, street)
    stranger = member_of(BusinessFactory().organisation)
    client.force_login(stranger)
    assert client.get(f"/my/portal/stories/{story.pk}/").status_code == 404
    assert client.post(f"/staff/portal/stories/{story.pk}/submit/").status_code == 404
    assert client.get(f"/my/portal/stories/new/{association[0].pk}/").status_code == 404


def test_a_member_who_is_not_an_association_sees_no_write_button(client):
    user = member_of(BusinessFactory().organisation)
    client.force_login(user)
    html = client.get("/my/portal/stories/").content.decode()
    assert "記事を書けるのは商店会（団体）の方です。" in html


def test_staff_story_list_queries_do_not_grow(client, official, django_assert_max_num_queries):
    client.force_login(official)
    StoryFactory.create_batch(3)
    with django_assert_max_num_queries(10) as ctx:
        client.get("/staff/portal/stories/")
    before = len(ctx.captured_queries)
    StoryFactory.create_batch(6)
    with django_assert_max_num_queries(before):
        client.get("/staff/portal/stories/")
