from __future__ import annotations

from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "welkom.housing"
    label = "housing"

    def ready(self) -> None:
        from welkom.housing.receivers import receivers_connect

        receivers_connect()
