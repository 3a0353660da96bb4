from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from welkom.places.models import Municipality, PostcodeArea, Region
from welkom.places.reference import reference_load


class Command(BaseCommand):
    help = "Load regions, municipalities, boundaries and postcodes from the reference data."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = reference_load(
                region_model=Region, municipality_model=Municipality, postcode_model=PostcodeArea
            )
        self.stdout.write(
            "Loaded {regions} regions, {municipalities} municipalities, "
            "{postcodes} postcodes.".format(**counts)
        )
