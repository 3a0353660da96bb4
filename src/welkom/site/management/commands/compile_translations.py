from __future__ import annotations

from django.core.management.base import BaseCommand

from welkom.lib.translations import catalogues_compile


class Command(BaseCommand):
    help = "Compile the .po catalogues into .mo files (in Python; GNU gettext not needed)."

    def handle(self, *args, **options) -> None:
        compiled = catalogues_compile()
        self.stdout.write(f"Compiled {len(compiled)} catalogue(s).")
