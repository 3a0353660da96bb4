from __future__ import annotations

from django.urls import path

from welkom.processing_log import views

app_name = "processing_log"

urlpatterns = [
    path("", views.search, name="search"),
    path("activities/", views.activities, name="activities"),
]
