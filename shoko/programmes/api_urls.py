from rest_framework.routers import SimpleRouter

from shoko.programmes import api

router = SimpleRouter()
router.register("programmes/programmes", api.ProgrammeViewSet, basename="programmes-programme")
router.register(
    "programmes/applications", api.ApplicationViewSet, basename="programmes-application"
)

urlpatterns = router.urls
