from rest_framework.routers import SimpleRouter

from shoko.directory import api

router = SimpleRouter()
router.register("directory/businesses", api.BusinessViewSet, basename="directory-business")
router.register("directory/streets", api.StreetViewSet, basename="directory-street")
router.register("directory/shops", api.ShopViewSet, basename="directory-shop")
router.register("directory/vacant-shops", api.VacantShopViewSet, basename="directory-vacant-shop")
router.register("public/streets", api.PublicStreetViewSet, basename="public-street")
router.register("public/shops", api.PublicShopViewSet, basename="public-shop")

urlpatterns = router.urls
