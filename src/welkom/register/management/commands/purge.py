from __future__ import annotations

from django.core.management.base import BaseCommand

from welkom.register.services import purge


class Command(BaseCommand):
    help = (
        "Remove personal data of persons whose last stay ended more than the retention period "
        "ago (WELKOM_RETENTION_MONTHS, default 12), and raw night-list files as old; keep the "
        "aggregates; write a deletion record. Safe to run daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")
        parser.add_argument("--months", type=int, default=None)

    def handle(self, *args, dry_run: bool, months: int | None, **options) -> None:
        result = purge(dry_run=dry_run, months=months)
        verb = "Would remove" if result.dry_run else "Removed"
        self.stdout.write(
            f"{verb} {result.persons} persons, {result.stays} stays, {result.signals} signals "
            f"and {result.raw_files} raw files (last stay or receipt before {result.cutoff})."
        )
