from __future__ import annotations

from django.urls import path

from welkom.places import views

app_name = "places"

urlpatterns = [
    path("postcode/", views.postcode_lookup, name="postcode_lookup"),
]
