"""One search box finds streets, shops and stories in any of the five languages, in romaji, in
kana of any width, and never fails on what a visitor types."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from shoko.directory import services as directory
from shoko.portal import search
from shoko.portal.models import SearchEntry, Story
from shoko.portal.registry import search_providers
from shoko.portal.search import MAX_QUERY_CHARS, parse_query
from tests.directory.factories import ShopFactory
from tests.portal.factories import StoryFactory

pytestmark = pytest.mark.django_db


def titles(query, language="ja", **kwargs):
    return [r.title for r in search.search(query, language, **kwargs)]


@pytest.mark.parametrize(
    "query",
    [
        "ramen",
        "RAMEN",
        "ラーメン",
        "らーめん",
        "ﾗｰﾒﾝ",
        "ＲＡＭＥＮ",
        "一番星",
        "ichibanboshi",
        "라멘",
    ],
)
def test_the_ramen_shop_is_found_however_it_is_typed(ramen_shop, query):
    assert "ラーメン 一番星" in titles(query)


@pytest.mark.parametrize(
    "query", ["shakujii", "Shakujii-koen", "石神井", "しゃくじい", "シャクジイ"]
)
def test_the_street_is_found_by_its_reading_in_romaji_and_kana(street, query):
    assert titles(query, kinds=["street"]) == ["石神井公園西友通り商店会"]


def test_nerima_in_romaji_finds_a_street_named_in_kanji(db):
    from tests.directory.factories import StreetFactory

    StreetFactory(
        name_ja="練馬駅前本通り商店会", name_kana="ねりまえきまえほんどおりしょうてんかい"
    )
    assert titles("nerima") == ["練馬駅前本通り商店会"]
    assert titles("hondori") == titles("hondoori") == ["練馬駅前本通り商店会"]


def test_titles_come_in_the_visitors_language_with_japanese_as_fallback(ramen_shop):
    [en] = search.search("ramen", "en")
    assert (en.title, en.language, en.is_fallback) == ("Ramen Ichibanboshi", "en", False)
    assert en.url == f"/en/shops/{ramen_shop.pk}/"
    [zh] = search.search("ramen", "zh-hant")
    assert (zh.title, zh.language, zh.is_fallback) == ("ラーメン 一番星", "ja", True)


def test_two_words_must_both_match_and_may_be_in_different_fields(ramen_shop):
    assert titles("ramen 石神井公園西友") == ["ラーメン 一番星"]
    assert titles("ramen 江古田") == []


def test_one_and_two_character_japanese_words_are_found_in_titles(ramen_shop, street):
    assert "ラーメン 一番星" in titles("星")
    assert "石神井公園西友通り商店会" in titles("公園")
    assert titles("星 ramen") == ["ラーメン 一番星"]


def test_short_words_in_any_script_and_width_use_the_short_word_index(ramen_shop, street):
    # Korean two-syllable name, katakana typed as half-width, a title word typed in hiragana.
    assert "ラーメン 一番星" in titles("라멘")
    assert "ラーメン 一番星" in titles("ﾗｰ")
    assert "ラーメン 一番星" in titles("らー")
    assert titles("煮干") == []  # in the description only: short words search titles
    assert titles("駅") == []


def test_kinds_filter_the_results(ramen_shop, street):
    assert titles("石神井", kinds=["shop"]) == ["ラーメン 一番星"]
    assert set(titles("石神井")) == {"ラーメン 一番星", "石神井公園西友通り商店会"}


def test_a_street_ranks_above_shops_that_only_mention_it(ramen_shop, street):
    assert titles("石神井公園西友")[0] == "石神井公園西友通り商店会"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        None,
        12,
        "a" * 2000,
        "ラーメン" * 500,
        "😀🍜",
        "🍜 ramen",
        "'; DROP TABLE portal_searchentry; --",
        '" OR 1=1 --',
        "ramen) OR (1",
        "NEAR(a b)",
        "\x00\x01\x1b[31m",
        "ra\u200bmen",
        "%_\\",
        "*",
        '"',
        "ramen*",
        "col:ramen",
    ],
)
def test_bad_input_never_fails_and_stays_bounded(ramen_shop, query):
    results = search.search(query, "en")
    assert isinstance(results, list)
    assert len(results) <= 20
    assert SearchEntry.objects.filter(kind="shop", object_id=ramen_shop.pk).exists()


def test_emoji_next_to_a_word_still_finds_the_word(ramen_shop):
    assert titles("🍜 ramen") == ["ラーメン 一番星"]


def test_queries_are_capped_in_length_and_words():
    parsed = parse_query("あ" * 5000)
    assert sum(len(s) for t in parsed.terms for s in t.spellings) <= MAX_QUERY_CHARS
    assert len(parse_query(" ".join(["word"] * 50)).terms) <= 6
    assert parse_query("\x00\x07").empty


def test_like_wildcards_are_literal(ramen_shop):
    assert titles("%") == []
    assert titles("_") == []


def test_unpublishing_a_shop_takes_it_out_of_search_at_once(ramen_shop, official):
    directory.unpublish_shop(actor=official, shop=ramen_shop)
    assert titles("ramen") == []
    directory.publish_shop(actor=official, shop=ramen_shop)
    assert titles("ramen") == ["ラーメン 一番星"]


def test_renaming_a_shop_reindexes_it(ramen_shop):
    directory.update_shop(
        actor=None,
        shop=ramen_shop,
        data={"name_ja": "つけ麺 一番星", "name_en": "", "name_ko": "", "name_kana": "つけめん"},
    )
    assert titles("ramen") == []
    assert titles("つけ麺") == ["つけ麺 一番星"]


def test_renaming_a_street_reindexes_its_shops(
    ramen_shop, street, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        directory.update_street(actor=None, street=street, data={"name_ja": "江古田ゆうゆうロード"})
    assert titles("ramen 江古田") == ["ラーメン 一番星"]


def test_deleting_a_shop_removes_it(ramen_shop):
    ramen_shop.opening_periods.all().delete()
    ramen_shop.delete()
    assert titles("ramen") == []


def test_stories_are_found_only_while_published(street):
    story = StoryFactory(title_ja="夏まつりの夜", title_kana="なつまつりのよる", street=street)
    assert titles("natsumatsuri") == ["夏まつりの夜"]
    story.status = Story.Status.ARCHIVED
    story.save()
    assert titles("natsumatsuri") == []


def test_story_keywords_give_a_reading_to_kanji_titles(db):
    StoryFactory(title_ja="一番星の煮干し", keywords="niboshi 小魚乾")
    assert titles("niboshi") == ["一番星の煮干し"]
    assert titles("小魚乾") == ["一番星の煮干し"]


def test_rebuild_command_restores_the_index_with_progress(ramen_shop, street, capsys):
    SearchEntry.objects.all().delete()
    shops = ShopFactory.create_batch(3, street=street, published=True)
    SearchEntry.objects.all().delete()  # as after bulk inserts that bypass signals
    assert titles("ramen") == []
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "shop: 4 documents" in out
    assert "street: 1 documents" in out
    assert titles("ramen") == ["ラーメン 一番星"]
    assert SearchEntry.objects.filter(kind="shop").count() == 1 + len(shops)


def test_rebuild_of_one_kind_and_an_unknown_kind(ramen_shop):
    from django.core.management.base import CommandError

    call_command("rebuild_search_index", kind=["shop"])
    with pytest.raises(CommandError, match="unknown kind: nope"):
        call_command("rebuild_search_index", kind=["nope"])


def test_one_query_per_search_whatever_the_number_of_documents(
    street, django_assert_max_num_queries
):
    ShopFactory.create_batch(15, street=street, name_ja="ラーメン 星", published=True)
    with django_assert_max_num_queries(1):
        assert len(search.search("ramen", "en", limit=10)) == 10


def test_the_backend_follows_the_database_vendor(ramen_shop):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM portal_search_fts")
        else:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'portal_search_trgm'")
        assert cursor.fetchone()[0] >= 1


def test_providers_are_registered_for_streets_stories_and_shops():
    assert [p.kind for p in search_providers()][:3] == ["street", "story", "shop"]


def test_unpublished_documents_are_not_indexed(street):
    shop = ShopFactory(street=street, name_ja="非公開ラーメン")
    assert shop.published_at is None
    assert titles("非公開ラーメン") == []
    shop.published_at = timezone.now()
    shop.save()
    assert titles("非公開ラーメン") == ["非公開ラーメン"]


def test_a_summary_left_in_japanese_is_marked_even_when_the_title_is_translated(client, ramen_shop):
    html = client.get("/en/search/?q=ramen").content.decode()
    assert ">Ramen Ichibanboshi</a>" in html
    assert '<p lang="ja">煮干しのスープが自慢です。</p>' in html
    assert '<p class="translation-tag">Japanese only</p>' in html
    result = search.search("ramen", "en")[0]
    assert (result.is_fallback, result.summary_is_fallback) == (False, True)
