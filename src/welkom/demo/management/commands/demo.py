from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from welkom.demo.population import SCALES, DemoExtraMissing
from welkom.demo.services import demo_create
from welkom.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create demo organisations and accounts, and write demo locations and night lists "
        "(synthetic, deterministic with --seed)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--first-night",
            type=date.fromisoformat,
            default=None,
            help="First night of the night lists (YYYY-MM-DD); default: 30 nights before today.",
        )
        parser.add_argument("--out", type=Path, default=None, help="Folder for the files.")
        parser.add_argument(
            "--no-nights",
            action="store_true",
            help="Write the night lists but do not import them (the benchmarks import them).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when organisations exist already."
        )

    def handle(self, *args, scale, seed, first_night, out, if_empty, no_nights, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only made with WELKOM_DEMO_MODE=true.")
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database has organisations already: no demo data added.")
            return
        size = SCALES[scale]
        first_night = first_night or timezone.localdate() - timedelta(days=size.nights)
        out = out or settings.VAR_DIR / "demo" / scale
        try:
            summary = demo_create(
                scale=scale,
                seed=seed,
                first_night=first_night,
                out_dir=out,
                load_nights=not no_nights,
            )
        except DemoExtraMissing as missing:
            raise CommandError(str(missing)) from None
        self.stdout.write(
            f"Demo ({scale}, seed {seed}): {summary.organisations} organisations, "
            f"{summary.locations} locations, {summary.persons} persons, "
            f"{summary.person_nights} person-nights from {first_night} in {summary.files}."
        )
        self.stdout.write(
            f"{len(summary.accounts)} demo accounts; `welkom demo_logins` lists them."
        )
