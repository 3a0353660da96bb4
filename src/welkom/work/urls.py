from __future__ import annotations

from django.urls import path

from welkom.work import views

app_name = "work"

urlpatterns = [
    path("agency-check/", views.agency_check, name="agency_check"),
    path("workers/", views.workers, name="workers"),
    path("placements/upload/", views.placements_upload, name="placements_upload"),
    path("rent/", views.rent, name="rent"),
    path("placements/", views.placements, name="placements"),
    path("lenders/", views.lender_list, name="lenders"),
    path("lenders/import/", views.register_upload, name="register_upload"),
    path("lenders/<str:kvk>/", views.lender_detail, name="lender"),
]
