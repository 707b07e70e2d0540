from django.urls import path

from shoko.plan import api

app_name = "plan"

urlpatterns = [
    path("plans/", api.PlanListApi.as_view(), name="plans"),
    path("plans/<slug:slug>/", api.PlanDetailApi.as_view(), name="plan"),
    path("plans/<slug:slug>/measures/", api.MeasureListApi.as_view(), name="measures"),
    path("plans/<slug:slug>/items/", api.ItemListApi.as_view(), name="items"),
    path("plans/<slug:slug>/targets/", api.TargetListApi.as_view(), name="targets"),
    path("plans/<slug:slug>/actuals/", api.ActualListApi.as_view(), name="actuals"),
]
