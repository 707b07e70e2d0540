from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shoko.core import api as core_api
from shoko.core import views as core_views
from shoko.operations import views as operations_views

api_v1 = [
    path("me/", core_api.MeApi.as_view(), name="me"),
    path("auth/token/", core_api.TokenApi.as_view(), name="token"),
    path("", include("shoko.directory.api_urls")),
    path("plan/", include("shoko.plan.api_urls")),
    path("events/", include("shoko.events.api_urls")),
    path("", include("shoko.programmes.api_urls")),
]

urlpatterns = [
    path("healthz", operations_views.healthz, name="healthz"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("shoko.portal.root_urls")),
]
urlpatterns += i18n_patterns(
    # Before core: the portal's home answers at / (core:home still names that address).
    path("", include("shoko.portal.urls")),
    path("", include("shoko.core.urls")),
    path("", include("shoko.directory.urls")),
    path("", include("shoko.plan.urls")),
    path("", include("shoko.events.urls")),
    path("", include("shoko.programmes.urls")),
    path("", include("shoko.contests.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
