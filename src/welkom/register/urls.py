from __future__ import annotations

from django.urls import path

from welkom.register import views

app_name = "register"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("location/<int:location_id>/", views.location_residents, name="location"),
    path("upload/", views.upload, name="upload"),
    path("import/<int:import_id>/", views.import_detail, name="import"),
    path("night-list-template.csv", views.template_csv, name="template"),
    path("signals/", views.signals, name="signals"),
    path("signals/<int:signal_id>/status/", views.signal_status, name="signal_status"),
]
