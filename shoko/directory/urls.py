from django.urls import path

from shoko.directory import views

app_name = "directory"

urlpatterns = [
    # Back office
    path("staff/directory/businesses/", views.business_list, name="staff-business-list"),
    path("staff/directory/businesses/new/", views.business_edit, name="staff-business-new"),
    path(
        "staff/directory/businesses/<int:pk>/", views.business_detail, name="staff-business-detail"
    ),
    path(
        "staff/directory/businesses/<int:pk>/edit/", views.business_edit, name="staff-business-edit"
    ),
    path(
        "staff/directory/businesses/<int:pk>/members/",
        views.business_add_member,
        name="staff-business-add-member",
    ),
    path("staff/directory/duplicates/", views.duplicates, name="staff-duplicates"),
    path("staff/directory/duplicates/merge/", views.merge, name="staff-merge"),
    path("staff/directory/streets/", views.street_list, name="staff-street-list"),
    path("staff/directory/streets/new/", views.street_edit, name="staff-street-new"),
    path("staff/directory/streets/<int:pk>/", views.street_detail, name="staff-street-detail"),
    path("staff/directory/streets/<int:pk>/edit/", views.street_edit, name="staff-street-edit"),
    path("staff/directory/shops/", views.shop_list, name="staff-shop-list"),
    path("staff/directory/shops/new/", views.shop_edit, name="staff-shop-new"),
    path("staff/directory/shops/<int:pk>/", views.shop_detail, name="staff-shop-detail"),
    path("staff/directory/shops/<int:pk>/edit/", views.shop_edit, name="staff-shop-edit"),
    path("staff/directory/shop-changes/", views.change_list, name="staff-changes"),
    path("staff/directory/shop-changes/<int:pk>/", views.change_decide, name="staff-change-decide"),
    path("staff/directory/vacant-shops/", views.vacant_list, name="staff-vacant-list"),
    path("staff/directory/vacant-shops/new/", views.vacant_edit, name="staff-vacant-new"),
    path("staff/directory/vacant-shops/<int:pk>/", views.vacant_edit, name="staff-vacant-edit"),
    path("staff/directory/map/", views.map_view, name="staff-map"),
    path("staff/directory/map.geojson", views.map_data, name="staff-map-data"),
    path("staff/directory/import/", views.import_page, name="staff-import"),
    path("staff/directory/import/<int:pk>/", views.import_job, name="staff-import-job"),
    path(
        "staff/directory/import/<int:pk>/progress/",
        views.import_progress,
        name="staff-import-progress",
    ),
    path(
        "staff/directory/import/<int:pk>/confirm/",
        views.import_confirm,
        name="staff-import-confirm",
    ),
    path("staff/directory/export/<str:kind>.<str:fmt>", views.export, name="staff-export"),
    # Photos: staff for streets and vacant shops; owners and staff for shops
    path("directory/<str:kind>/<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("directory/photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    # Shops are published by their owners or by staff
    path("directory/shops/<int:pk>/publish/", views.shop_publish, name="shop-publish"),
    # Business portal
    path("my/directory/", views.my_businesses, name="my-business-list"),
    path("my/directory/businesses/<int:pk>/", views.my_business, name="my-business"),
    path("my/directory/businesses/<int:pk>/edit/", views.my_business_edit, name="my-business-edit"),
    path("my/directory/businesses/<int:pk>/members/", views.my_add_member, name="my-add-member"),
    path(
        "my/directory/businesses/<int:business_pk>/shops/new/",
        views.my_shop_edit,
        name="my-shop-new",
    ),
    path("my/directory/shops/<int:pk>/", views.my_shop, name="my-shop"),
    path("my/directory/shops/<int:pk>/edit/", views.my_shop_edit, name="my-shop-edit"),
]
