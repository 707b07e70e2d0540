from django.urls import path

from shoko.programmes.views import applicant, my, staff, staff_lists

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
    path("my/programmes/", my.my_programmes, name="my-programmes"),
    path("my/programmes/applications/", my.my_applications, name="my-applications"),
    path(MY_APP, applicant.application_detail, {"face": "my"}, name="my-application"),
    *both_faces("edit/", applicant.application_edit, "-edit"),
    *both_faces("documents/", applicant.application_documents, "-documents"),
    *both_faces("preview/", applicant.application_preview, "-preview"),
    *both_faces("report/", applicant.application_report, "-report"),
    *both_faces("do/<slug:name>/", applicant.application_transition, "-transition"),
    path("my/programmes/<slug:code>/", my.my_programme, name="my-programme"),
    path("my/programmes/<slug:code>/apply/", my.my_apply, name="my-apply"),
    # Files: the applicant's members and staff only
    path("programmes/documents/<int:pk>/", applicant.document_download, name="document"),
    path("programmes/notices/<int:pk>/", applicant.notice_download, name="notice"),
    # Back office
    path("staff/programmes/", staff.staff_programmes, name="staff-programmes"),
    path("staff/programmes/applications/", staff.staff_queue, name="staff-queue"),
    path("staff/programmes/applications/export.xlsx", staff.staff_export, name="staff-export"),
    path(STAFF_APP, staff.staff_application, name="staff-application"),
    path(STAFF_APP + "assign/", staff.staff_assign, name="staff-assign"),
    path(
        STAFF_APP + "request-documents/",
        staff.staff_request_documents,
        name="staff-request-documents",
    ),
    path(STAFF_APP + "score/", staff.staff_score, name="staff-score"),
    path(STAFF_APP + "conflict/", staff.staff_conflict, name="staff-conflict"),
    path(STAFF_PROGRAMME, staff.staff_programme, name="staff-programme"),
    path(STAFF_PROGRAMME + "edit/", staff.staff_programme_edit, name="staff-programme-edit"),
    path(STAFF_PROGRAMME + "budget/", staff.staff_budget, name="staff-budget"),
    path(STAFF_PROGRAMME + "budget/set/", staff.staff_budget_set, name="staff-budget-set"),
    path(STAFF_PROGRAMME + "windows/", staff.staff_window_add, name="staff-window-add"),
    path(
        STAFF_PROGRAMME + "windows/<int:window_pk>/delete/",
        staff.staff_window_delete,
        name="staff-window-delete",
    ),
    path(STAFF_PROGRAMME + "proxy/", staff.staff_proxy, name="staff-proxy"),
    path(STAFF_LIST, staff_lists.staff_list, name="staff-list"),
    path(STAFF_LIST + "add/", staff_lists.staff_list_add, name="staff-list-add"),
    path(STAFF_LIST + "<int:item_pk>/", staff_lists.staff_list_item, name="staff-list-item"),
    path(STAFF_LIST + "<int:item_pk>/move/", staff_lists.staff_list_move, name="staff-list-move"),
    path(
        STAFF_LIST + "<int:item_pk>/delete/",
        staff_lists.staff_list_delete,
        name="staff-list-delete",
    ),
]
