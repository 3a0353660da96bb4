"""Writes about persons that people make by hand (the night lists make the rest)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.models import Person, Registration

SIGNALLING = "brp-registration-signalling"


@transaction.atomic
def person_registration_set(
    *, person: Person, registration: str, registered_on: date | None, municipality, user
) -> Person:
    """A municipality records what it knows of a person's BRP or RNI registration."""
    if registration not in Registration.values:
        raise ValidationError({"registration": _("Choose one of the registration states.")})
    if registered_on and registered_on > date.today():
        raise ValidationError(
            {"registered_on": _("The registration date cannot be in the future.")}
        )
    person.registration = registration
    person.registered_on = registered_on if registration in {"brp", "rni"} else None
    person.registration_municipality = municipality if registration == "brp" else None
    person.save(update_fields=["registration", "registered_on", "registration_municipality"])
    processing_log_write(
        processing=Processing.by(user, activity=SIGNALLING, action=Entry.Action.UPDATE),
        subject_type="person",
        subject_ids=[person.pk],
        object_type="person",
    )
    return person
