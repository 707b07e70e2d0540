"""URLs of the three faces (mounted inside i18n_patterns): /events/, /my/events/, /staff/events/."""

from django.urls import path

from shoko.events.views import consultations, my, public, staff

app_name = "events"

public_urls = [
    path("events/", public.event_list, name="list"),
    path("events/calendar/", public.event_calendar, name="calendar"),
    path("events/<int:pk>/", public.event_detail, name="detail"),
    path("events/sessions/<int:session_pk>/register/", public.register, name="register"),
    path("events/sessions/<int:pk>/calendar.ics", public.session_ics, name="session-ics"),
    path("events/feeds/<slug:kind>.ics", public.kind_feed, name="feed"),
    path("events/open-data/events.csv", public.open_data, name="open-data"),
    path("events/r/<str:signed>/", public.registration_page, name="registration"),
    path("events/survey/<str:signed>/", public.survey, name="survey"),
]

my_urls = [
    path("my/events/", my.MyBookingsView.as_view(), name="my-bookings"),
    path(
        "my/events/sessions/<int:session_pk>/register/",
        my.MyRegisterView.as_view(),
        name="my-register",
    ),
    path("my/events/bookings/<int:pk>/", my.MyBookingView.as_view(), name="my-booking"),
    path("my/consultations/", my.MyConsultationsView.as_view(), name="my-consultations"),
    path(
        "my/consultations/slots/<int:slot_pk>/book/",
        my.MyBookSlotView.as_view(),
        name="my-book-slot",
    ),
    path("my/consultations/<int:pk>/", my.MyConsultationView.as_view(), name="my-consultation"),
]

staff_urls = [
    path("staff/events/", staff.calendar_view, name="staff-calendar"),
    path("staff/events/export.xlsx", staff.events_xlsx, name="staff-events-xlsx"),
    path("staff/events/new/", staff.event_edit, name="staff-event-new"),
    path("staff/events/<int:pk>/", staff.event_detail, name="staff-event"),
    path("staff/events/<int:pk>/edit/", staff.event_edit, name="staff-event-edit"),
    path("staff/events/<int:pk>/copy/", staff.event_copy, name="staff-event-copy"),
    path("staff/events/<int:pk>/message/", staff.message_registrants, name="staff-message"),
    path("staff/events/<int:pk>/survey/", staff.event_survey, name="staff-event-survey"),
    path(
        "staff/events/<int:pk>/registrations.xlsx",
        staff.event_registrations_xlsx,
        name="staff-event-xlsx",
    ),
    path(
        "staff/events/<int:event_pk>/sessions/new/",
        staff.session_edit,
        name="staff-session-new",
    ),
    path(
        "staff/events/<str:owner>/<int:pk>/questions/new/",
        staff.question_new,
        name="staff-question-new",
    ),
    path(
        "staff/events/questions/<int:pk>/delete/",
        staff.question_delete,
        name="staff-question-delete",
    ),
    path("staff/events/sessions/<int:pk>/", staff.session_registrants, name="staff-session"),
    path("staff/events/sessions/<int:pk>/edit/", staff.session_edit, name="staff-session-edit"),
    path(
        "staff/events/sessions/<int:pk>/cancel/", staff.session_cancel, name="staff-session-cancel"
    ),
    path(
        "staff/events/sessions/<int:pk>/delete/", staff.session_delete, name="staff-session-delete"
    ),
    path(
        "staff/events/sessions/<int:pk>/registrations.xlsx",
        staff.session_registrations_xlsx,
        name="staff-session-xlsx",
    ),
    path("staff/events/sessions/<int:pk>/checkin/", staff.check_in_list, name="staff-checkin"),
    path("staff/events/checkin/", staff.check_in_lookup, name="staff-checkin-lookup"),
    path("staff/events/checkin/<str:token>/", staff.check_in_token, name="staff-checkin-token"),
    path("staff/events/series/", staff.series_list, name="staff-series-list"),
    path("staff/events/series/new/", staff.series_edit, name="staff-series-new"),
    path("staff/events/series/<int:pk>/", staff.series_detail, name="staff-series"),
    path("staff/events/series/<int:pk>/edit/", staff.series_edit, name="staff-series-edit"),
    path("staff/events/series/<int:pk>/copy/", staff.series_copy, name="staff-series-copy"),
    path("staff/events/certificates/", staff.certificate_list, name="staff-certificates"),
    path(
        "staff/events/certificates/<int:pk>/pdf/",
        staff.certificate_pdf,
        name="staff-certificate-pdf",
    ),
    path("staff/events/venues/", staff.venue_list, name="staff-venues"),
    path("staff/events/venues/new/", staff.venue_edit, name="staff-venue-new"),
    path("staff/events/venues/<int:pk>/edit/", staff.venue_edit, name="staff-venue-edit"),
    path("staff/events/surveys/", staff.survey_results, name="staff-surveys"),
    path("staff/consultations/", consultations.slots, name="staff-consultations"),
    path("staff/consultations/slots/new/", consultations.slot_edit, name="staff-slot-new"),
    path(
        "staff/consultations/slots/<int:pk>/edit/", consultations.slot_edit, name="staff-slot-edit"
    ),
    path(
        "staff/consultations/slots/<int:pk>/cancel/",
        consultations.slot_cancel,
        name="staff-slot-cancel",
    ),
    path(
        "staff/consultations/bookings/<int:pk>/",
        consultations.booking_record,
        name="staff-booking",
    ),
    path(
        "staff/consultations/export.xlsx",
        consultations.consultations_xlsx,
        name="staff-consultations-xlsx",
    ),
]

urlpatterns = public_urls + my_urls + staff_urls
