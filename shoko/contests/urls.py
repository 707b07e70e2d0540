from django.urls import path

from shoko.contests.views import files, judging, my, public, staff, uploads

app_name = "contests"

urlpatterns = [
    # Public (every portal language)
    path("contests/", public.calls, name="calls"),
    path("contests/<slug:slug>/", public.call, name="call"),
    path("contests/<slug:slug>/results/", public.results, name="results"),
    path("contests/<slug:slug>/results.csv", public.results_csv, name="results-csv"),
    path("contests/<slug:slug>/results.json", public.results_json, name="results-json"),
    # Files (one permission check for every face)
    path("contests/files/entries/<int:pk>/video", files.video, name="file-video"),
    path("contests/files/entries/<int:pk>/thumbnail", files.thumbnail, name="file-thumbnail"),
    path("contests/files/entries/<int:pk>/stills/<int:still_pk>", files.still, name="file-still"),
    # Entrants
    path("my/contests/", my.my_entries, name="my-entries"),
    path("my/contests/<slug:slug>/enter/", my.start, name="my-start"),
    path("my/contests/entries/<int:pk>/", my.entry, name="my-entry"),
    path("my/contests/entries/<int:pk>/work/", my.work, name="my-entry-work"),
    path("my/contests/entries/<int:pk>/stills/", my.add_still, name="my-still-add"),
    path(
        "my/contests/entries/<int:pk>/stills/<int:still_pk>/delete/",
        my.remove_still,
        name="my-still-remove",
    ),
    path("my/contests/entries/<int:pk>/preview/", my.preview, name="my-entry-preview"),
    path("my/contests/entries/<int:pk>/move/<slug:name>/", my.move, name="my-entry-move"),
    path("my/contests/entries/<int:pk>/video/status/", uploads.status, name="my-video-status"),
    path("my/contests/entries/<int:pk>/uploads/", uploads.start, name="upload-start"),
    path("my/contests/uploads/<uuid:token>/", uploads.upload, name="upload"),
    path("my/contests/uploads/<uuid:token>/chunks/<int:index>", uploads.chunk, name="upload-chunk"),
    path("my/contests/uploads/<uuid:token>/complete/", uploads.complete, name="upload-complete"),
    # Staff
    path("staff/contests/", staff.calls, name="staff-calls"),
    path("staff/contests/new/", staff.call_create, name="staff-call-create"),
    path("staff/contests/entries/<int:pk>/", staff.entry, name="staff-entry"),
    path("staff/contests/entries/<int:pk>/check/<int:item_pk>/", staff.check, name="staff-check"),
    path("staff/contests/entries/<int:pk>/move/<slug:name>/", staff.move, name="staff-entry-move"),
    path("staff/contests/rounds/<int:pk>/", staff.round_detail, name="staff-round"),
    path("staff/contests/rounds/<int:pk>/ranking/", staff.ranking, name="staff-ranking"),
    path(
        "staff/contests/rounds/<int:pk>/<slug:action>/",
        staff.round_action,
        name="staff-round-action",
    ),
    path("staff/contests/awards/<int:pk>/grant/", staff.grant, name="staff-grant"),
    path("staff/contests/winners/<int:pk>/revoke/", staff.revoke, name="staff-revoke"),
    path("staff/contests/<slug:slug>/", staff.call_detail, name="staff-call"),
    path("staff/contests/<slug:slug>/edit/", staff.call_edit, name="staff-call-edit"),
    path("staff/contests/<slug:slug>/copy/", staff.call_copy, name="staff-call-copy"),
    path(
        "staff/contests/<slug:slug>/categories/new/", staff.category, name="staff-category-create"
    ),
    path("staff/contests/<slug:slug>/categories/<int:pk>/", staff.category, name="staff-category"),
    path("staff/contests/<slug:slug>/items/<slug:kind>/", staff.items, name="staff-items"),
    path("staff/contests/<slug:slug>/entries/", staff.entries, name="staff-entries"),
    path("staff/contests/<slug:slug>/rounds/new/", staff.round_create, name="staff-round-create"),
    path("staff/contests/<slug:slug>/awards/", staff.awards, name="staff-awards"),
    path("staff/contests/<slug:slug>/publish/", staff.publish, name="staff-publish"),
    # Judges
    path("staff/judging/", judging.home, name="judging"),
    path("staff/judging/rounds/<int:pk>/", judging.round_sheets, name="judge-round"),
    path("staff/judging/sheets/<int:pk>/", judging.sheet, name="judge-sheet"),
    path("staff/judging/sheets/<int:pk>/conflict/", judging.conflict, name="judge-conflict"),
]
