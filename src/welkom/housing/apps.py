from __future__ import annotations

from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "welkom.housing"
    label = "housing"
