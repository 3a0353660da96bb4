"""Reads of the night register, each scoped by `visible_to` and logged where it reads persons."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum

from welkom.housing.models import Location
from welkom.processing_log.services import Processing
from welkom.register.models import NightListImport, Occupancy, Stay

NIGHT_REGISTER = "night-register"


def locations_with_occupancy(*, user, night: date):
    """The user's locations (own or in territory) with the persons counted on `night`."""
    occupancy = Occupancy.objects.filter(night=night)
    return (
        Location.objects.visible_to(user)
        .select_related("municipality", "provider")
        .annotate(
            persons=Sum("occupancy__persons", filter=Q(occupancy__in=occupancy)),
        )
        .order_by("municipality__name", "street", "number")
    )


def residents_on(*, user, location: Location, night: date):
    """Who slept at a location on a night: reading persons, so logged."""
    processing = Processing.by(user, activity=NIGHT_REGISTER)
    return (
        Stay.objects.visible_to(user)
        .filter(location=location)
        .on_night(night)
        .select_related("person")
        .order_by("person__family_name", "person__given_names")
        .for_processing(processing)
    )


def registration_counts(*, user, night: date) -> dict[int, dict[str, int]]:
    """Per location: how many of that night's persons are in the BRP, the RNI, neither, unknown.

    Counts only: no person rows are fetched, so nothing personal is read."""
    rows = (
        Stay.objects.visible_to(user)
        .on_night(night)
        .values("location_id", "person__registration")
        .annotate(persons=Count("person_id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["location_id"], {})[row["person__registration"]] = row["persons"]
    return counts


def imports_of(*, user):
    return NightListImport.objects.visible_to(user).select_related("submitted_by")
