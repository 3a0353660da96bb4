from __future__ import annotations

from django.core.management.base import BaseCommand

from welkom.loket.services import content_load


class Command(BaseCommand):
    help = (
        "Load the loket's shipped information pages (src/welkom/loket/content/) that are not yet "
        "in the database. Never overwrites a text; safe to run on every deployment."
    )

    def handle(self, *args, **options) -> None:
        loaded = content_load()
        self.stdout.write(
            f"Loket content: {loaded.topics_created} topics and {loaded.texts_created} texts "
            f"added; {loaded.texts_present} texts were already there and are left as they are."
        )
