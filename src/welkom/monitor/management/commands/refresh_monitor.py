from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from welkom.monitor.services import HISTORY_NIGHTS, monitor_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the monitor's figures from the register's and housing's aggregates, up to "
        "last night. Safe to run again; run it every night after the night lists are in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, help="count up to the night before (default: today)"
        )
        parser.add_argument(
            "--nights",
            type=int,
            default=HISTORY_NIGHTS,
            help=f"nights counted back (default {HISTORY_NIGHTS})",
        )

    def handle(self, *args, today, nights, **options) -> None:
        summary = monitor_refresh(today=today or timezone.localdate(), history_nights=nights)
        self.stdout.write(
            f"Monitor: {summary.figures} figures for {summary.first_night} to "
            f"{summary.last_night} in {summary.seconds:.1f} s."
        )
