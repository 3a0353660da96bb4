from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "welkom.site"
    label = "site"
