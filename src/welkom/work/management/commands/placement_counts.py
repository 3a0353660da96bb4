from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from welkom.work.services import placement_counts_keep


class Command(BaseCommand):
    help = (
        "Count, per municipality, how last night's residents work: placed through an "
        "agency, with or without a Wtta admission, housed by their employer or agency. The "
        "monitor reads these counts. Safe to run again; run it every night before "
        "refresh_monitor."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, help="count the night before (default: today)"
        )

    def handle(self, *args, today, **options) -> None:
        night = (today or timezone.localdate()) - timedelta(days=1)
        kept = placement_counts_keep(night=night)
        self.stdout.write(f"Placements: counts for {kept} municipalities, night {night}.")
