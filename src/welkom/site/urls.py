from __future__ import annotations

from django.urls import path

from welkom.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
]
