"""Language-neutral addresses of the portal (outside i18n_patterns): QR short links, open data
files, sitemaps and robots.txt. Their names are global (``portal-…``)."""

from django.urls import path

from shoko.portal import views

urlpatterns = [
    path("s/<str:code>", views.short_link, name="portal-short-link"),
    path("open-data/<str:name>", views.open_data_file, name="portal-open-data-file"),
    path("sitemap.xml", views.sitemap_index, name="portal-sitemap"),
    path(
        "sitemap-<str:section>-<int:page>.xml",
        views.sitemap_section,
        name="portal-sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="portal-robots"),
]
