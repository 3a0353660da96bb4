from __future__ import annotations

from django.urls import path

from welkom.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.locations, name="locations"),
    path("locations.csv", views.locations_export, {"extension": "csv"}, name="locations_csv"),
    path("locations.xlsx", views.locations_export, {"extension": "xlsx"}, name="locations_xlsx"),
    path("new/", views.location_edit, name="location_new"),
    path("upload/", views.locations_upload, name="upload"),
    path("locations-template.csv", views.location_template, name="template"),
    path("<int:location_id>/", views.location_detail, name="location"),
    path("<int:location_id>/edit/", views.location_edit, name="location_edit"),
    path("<int:location_id>/inspections/", views.inspection_add, name="inspection_add"),
    path("rules/", views.municipal_rules, name="municipal_rules"),
    path("rules/<int:rule_id>/end/", views.municipal_rule_end, name="municipal_rule_end"),
    path("counts/", views.counts, name="counts"),
]
