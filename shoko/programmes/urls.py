from django.urls import path

from shoko.programmes import views

app_name = "programmes"

MY_APP = "my/programmes/applications/<int:pk>/"
STAFF_APP = "staff/programmes/applications/<int:pk>/"
STAFF_PROGRAMME = "staff/programmes/<slug:code>/"
STAFF_LIST = STAFF_PROGRAMME + "lists/<slug:kind>/"


def both_faces(suffix: str, view: object, name: str) -> list:
    """The applicant's screens, in the portal and (for 代理申請) in the back office."""
    return [
        path(MY_APP + suffix, view, {"face": "my"}, name=f"my-application{name}"),
        path(STAFF_APP + suffix, view, {"face": "staff"}, name=f"staff-application{name}"),
    ]


urlpatterns = [
    # Business portal
    path("my/programmes/", views.my_programmes, name="my-programmes"),
    path("my/programmes/applications/", views.my_applications, name="my-applications"),
    path(MY_APP, views.application_detail, {"face": "my"}, name="my-application"),
    *both_faces("edit/", views.application_edit, "-edit"),
    *both_faces("documents/", views.application_documents, "-documents"),
    *both_faces("preview/", views.application_preview, "-preview"),
    *both_faces("report/", views.application_report, "-report"),
    *both_faces("do/<slug:name>/", views.application_transition, "-transition"),
    path("my/programmes/<slug:code>/", views.my_programme, name="my-programme"),
    path("my/programmes/<slug:code>/apply/", views.my_apply, name="my-apply"),
    # Files: the applicant's members and staff only
    path("programmes/documents/<int:pk>/", views.document_download, name="document"),
    path("programmes/notices/<int:pk>/", views.notice_download, name="notice"),
    # Back office
    path("staff/programmes/", views.staff_programmes, name="staff-programmes"),
    path("staff/programmes/applications/", views.staff_queue, name="staff-queue"),
    path("staff/programmes/applications/export.xlsx", views.staff_export, name="staff-export"),
    path(STAFF_APP, views.staff_application, name="staff-application"),
    path(STAFF_APP + "assign/", views.staff_assign, name="staff-assign"),
    path(
        STAFF_APP + "request-documents/",
        views.staff_request_documents,
        name="staff-request-documents",
    ),
    path(STAFF_APP + "score/", views.staff_score, name="staff-score"),
    path(STAFF_APP + "conflict/", views.staff_conflict, name="staff-conflict"),
    path(STAFF_PROGRAMME, views.staff_programme, name="staff-programme"),
    path(STAFF_PROGRAMME + "edit/", views.staff_programme_edit, name="staff-programme-edit"),
    path(STAFF_PROGRAMME + "budget/", views.staff_budget, name="staff-budget"),
    path(STAFF_PROGRAMME + "budget/set/", views.staff_budget_set, name="staff-budget-set"),
    path(STAFF_PROGRAMME + "windows/", views.staff_window_add, name="staff-window-add"),
    path(
        STAFF_PROGRAMME + "windows/<int:window_pk>/delete/",
        views.staff_window_delete,
        name="staff-window-delete",
    ),
    path(STAFF_PROGRAMME + "proxy/", views.staff_proxy, name="staff-proxy"),
    path(STAFF_LIST, views.staff_list, name="staff-list"),
    path(STAFF_LIST + "add/", views.staff_list_add, name="staff-list-add"),
    path(STAFF_LIST + "<int:item_pk>/", views.staff_list_item, name="staff-list-item"),
    path(STAFF_LIST + "<int:item_pk>/move/", views.staff_list_move, name="staff-list-move"),
    path(STAFF_LIST + "<int:item_pk>/delete/", views.staff_list_delete, name="staff-list-delete"),
]
