from __future__ import annotations

from django.apps import AppConfig


class ProcessingLogConfig(AppConfig):
    name = "welkom.processing_log"
    label = "processing_log"
