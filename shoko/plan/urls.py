"""Plan URLs: the back office under /staff/plan/, the public page and open data under /plan/.

Open data URLs are stable: ``/plan/<slug>/data.csv`` and ``/plan/<slug>/data.json``.
"""

from django.urls import path

from shoko.plan import views

app_name = "plan"

urlpatterns = [
    path("staff/plan/", views.dashboard, name="dashboard"),
    path("staff/plan/compare/", views.compare, name="compare"),
    path("staff/plan/indicators/", views.indicator_list, name="indicators"),
    path("staff/plan/rows/<int:row_id>/<int:fy>/", views.actual_detail, name="actual"),
    path("staff/plan/actuals/<int:actual_id>/evidence/", views.evidence, name="evidence"),
    path("staff/plan/targets/<int:target_id>/", views.target_edit, name="target-edit"),
    path("staff/plan/<slug:slug>/", views.dashboard, name="dashboard-plan"),
    path("staff/plan/<slug:slug>/next/", views.next_period, name="next-period"),
    path("staff/plan/<slug:slug>/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("staff/plan/<slug:slug>/export.csv", views.export_csv, name="export-csv"),
    path("staff/plan/<slug:slug>/report-<int:fy>.pdf", views.export_pdf, name="export-pdf"),
    path("plan/", views.public, name="public"),
    path("plan/<slug:slug>/", views.public, name="public-plan"),
    path("plan/<slug:slug>/data.csv", views.open_data_csv, name="open-data-csv"),
    path("plan/<slug:slug>/data.json", views.open_data_json, name="open-data-json"),
]
