from __future__ import annotations

from django.urls import path

from welkom.monitor import views

app_name = "monitor"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("public/", views.public, name="public"),
    path("housing-gap/", views.gap, name="gap"),
    path("figures/", views.figures, name="figures"),
    path("figures/template.csv", views.figures_template, name="figures_template"),
    path("figures/<int:import_id>/remove/", views.figures_remove, name="figures_remove"),
    path("actions/", views.actions, name="actions"),
    path("report/<int:year>/", views.report, name="report"),
]
