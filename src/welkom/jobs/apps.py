from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "welkom.jobs"
    label = "jobs"
    verbose_name = "Nightly jobs"
