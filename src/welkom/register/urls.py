from __future__ import annotations

from django.urls import path

from welkom.register import views

app_name = "register"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("addresses.csv", views.overview_export, {"extension": "csv"}, name="overview_csv"),
    path("addresses.xlsx", views.overview_export, {"extension": "xlsx"}, name="overview_xlsx"),
    path("location/<int:location_id>/", views.location_residents, name="location"),
    path("upload/", views.upload, name="upload"),
    path("location/<int:location_id>/check-in/", views.check_in, name="check_in"),
    path("import/<int:import_id>/", views.import_detail, name="import"),
    path("night-list-template.csv", views.template_csv, name="template"),
    path("signals/", views.signals, name="signals"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
    path("stay/<int:stay_id>/registration/", views.person_registration, name="person_registration"),
    path("signals/<int:signal_id>/status/", views.signal_status, name="signal_status"),
]
