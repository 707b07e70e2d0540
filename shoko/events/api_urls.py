from django.urls import path

from shoko.events import api

app_name = "events"

urlpatterns = [
    path("", api.EventListApi.as_view(), name="list"),
    path("<int:pk>/", api.EventDetailApi.as_view(), name="detail"),
    path(
        "sessions/<int:pk>/registrations/",
        api.PublicRegistrationApi.as_view(),
        name="register",
    ),
    path(
        "staff/sessions/<int:pk>/registrations/",
        api.SessionRegistrationsApi.as_view(),
        name="session-registrations",
    ),
    path("staff/checkin/", api.CheckInApi.as_view(), name="checkin"),
    path("my/registrations/", api.MyRegistrationsApi.as_view(), name="my-registrations"),
]
