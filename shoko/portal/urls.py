"""Face URLs of the portal (inside i18n_patterns: /, /en/, /ko/ …)."""

from django.urls import path

from shoko.portal import staff_views, views

app_name = "portal"

urlpatterns = [
    # Public
    path("", views.home, name="home"),
    path("streets/", views.street_list, name="street-list"),
    path("streets/<int:pk>/", views.street_detail, name="street-detail"),
    path("shops/<int:pk>/", views.shop_detail, name="shop-detail"),
    path("stories/", views.story_list, name="story-list"),
    path("stories/<int:pk>/", views.story_detail, name="story-detail"),
    path("search/", views.search, name="search"),
    path("map/", views.map_page, name="map"),
    path("map/data.geojson", views.map_data, name="map-data"),
    path("about/", views.about, name="about"),
    path("open-data/", views.open_data, name="open-data"),
    # Back office
    path("staff/portal/stories/", staff_views.story_list, name="staff-story-list"),
    path("staff/portal/stories/new/", staff_views.story_edit, name="staff-story-new"),
    path("staff/portal/stories/<int:pk>/", staff_views.story_detail, name="staff-story-detail"),
    path("staff/portal/stories/<int:pk>/edit/", staff_views.story_edit, name="staff-story-edit"),
    path(
        "staff/portal/stories/<int:pk>/<str:action>/",
        staff_views.story_transition,
        name="story-transition",
    ),
    path("staff/portal/translations/", staff_views.translations, name="staff-translations"),
    path(
        "staff/portal/translations/<str:kind>/<str:language>/",
        staff_views.translation_list,
        name="staff-translation-list",
    ),
    path(
        "staff/portal/translation-states/<str:kind>/<int:pk>/",
        staff_views.translation_states,
        name="staff-translation-states",
    ),
    path("staff/portal/posters/", staff_views.poster_list, name="staff-posters"),
    path(
        "staff/portal/posters/<str:kind>/<int:pk>/<str:size>.pdf",
        staff_views.poster_pdf,
        name="staff-poster",
    ),
    # Business portal (street associations)
    path("my/portal/stories/", staff_views.my_story_list, name="my-story-list"),
    path("my/portal/stories/new/<int:org_pk>/", staff_views.my_story_new, name="my-story-new"),
    path("my/portal/stories/<int:pk>/", staff_views.my_story_edit, name="my-story-edit"),
]
