from __future__ import annotations

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "welkom.register"
    label = "register"
