"""Writes about persons that people make by hand (the night lists make the rest)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welkom.housing.models import Location
from welkom.organisations.selectors import processing_by
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.models import REGISTRATION_LABELS, Person, Signal, Stay
from welkom.register.rules import Registration
from welkom.register.stays import open_or_closed

SIGNALLING = "brp-registration-signalling"
NIGHT_REGISTER = "night-register"


@transaction.atomic
def person_registration_set(
    *, person: Person, registration: str, registered_on: date | None, municipality, user
) -> Person:
    """A municipality records what it knows of a person's BRP or RNI registration."""
    if registration not in REGISTRATION_LABELS:
        raise ValidationError({"registration": _("Choose one of the registration states.")})
    if registered_on and registered_on > timezone.localdate():
        raise ValidationError(
            {"registered_on": _("The registration date cannot be in the future.")}
        )
    person.registration = registration
    person.registered_on = (
        registered_on if registration in {Registration.BRP, Registration.RNI} else None
    )
    person.registration_municipality = municipality if registration == Registration.BRP else None
    person.save(update_fields=["registration", "registered_on", "registration_municipality"])
    processing_log_write(
        processing=processing_by(user, activity=SIGNALLING, action=Entry.Action.UPDATE),
        subject_type="person",
        subject_ids=[person.pk],
        object_type="person",
    )
    return person


@transaction.atomic
def persons_merge(*, keep: Person, merge: Person, user) -> Person:
    """Make two records of one person one: `merge`'s stays move to `keep`, then `merge` goes.

    Refused when the two were in different places on the same night (then they are two
    people, or a list is wrong and must be corrected first)."""
    if keep.pk == merge.pk:
        raise ValidationError(_("Choose two different persons."))
    if keep.bsn and merge.bsn and keep.bsn != merge.bsn:
        raise ValidationError(_("These persons have different BSNs: they are not the same person."))
    kept = list(Stay.internal.filter(person=keep).with_end())
    moved = list(Stay.internal.filter(person=merge).with_end())
    for stay in moved:
        for other in kept:
            overlaps = stay.check_in < other.end and other.check_in < stay.end
            if overlaps and stay.location_id != other.location_id:
                raise ValidationError(
                    _("They stayed at two addresses on the same night (%(night)s): not merged.")
                    % {"night": max(stay.check_in, other.check_in).isoformat()}
                )
    Stay.internal.filter(person=merge).delete()
    by_location: dict[int, list[tuple[date, date, Stay]]] = {}
    for stay in kept + moved:
        by_location.setdefault(stay.location_id, []).append((stay.check_in, stay.end, stay))
    Stay.internal.filter(person=keep).delete()
    merged = []
    for location_id, intervals in by_location.items():
        intervals.sort(key=lambda item: item[0])
        current_in, current_out, template = intervals[0]
        for check_in, check_out, stay in intervals[1:]:
            if check_in <= current_out:
                current_out = max(current_out, check_out)
            else:
                merged.append(_stay_like(template, keep, location_id, current_in, current_out))
                current_in, current_out, template = check_in, check_out, stay
        merged.append(_stay_like(template, keep, location_id, current_in, current_out))
    # Stored in the canonical shape: the merged person's one open stay, if any (ADR 0010).
    listed_through = dict(
        Location.objects.filter(pk__in=list(by_location)).values_list("pk", "listed_through")
    )
    check_outs = open_or_closed(
        [(stay.location_id, stay.check_in, stay.check_out) for stay in merged], listed_through
    )
    for stay, check_out in zip(merged, check_outs, strict=True):
        stay.check_out = check_out
    Stay.internal.bulk_create(merged)
    if not keep.bsn and merge.bsn:
        keep.bsn = merge.bsn
    if keep.registration == Registration.UNKNOWN:
        keep.registration = merge.registration
    Signal.internal.filter(person=merge).delete()  # the next refresh makes keep's signals
    merge_id = merge.pk
    Person.internal.filter(pk=merge_id).delete()
    keep.save(update_fields=["bsn", "registration"])
    processing_log_write(
        processing=processing_by(user, activity=NIGHT_REGISTER, action=Entry.Action.UPDATE),
        subject_type="person",
        subject_ids=[keep.pk, merge_id],
        object_type="person",
    )
    return keep


def _stay_like(
    template: Stay, person: Person, location_id: int, check_in: date, check_out: date
) -> Stay:
    return Stay(
        person=person,
        location_id=location_id,
        check_in=check_in,
        check_out=check_out,
        room=template.room,
        employer_kvk=template.employer_kvk,
        expected_departure=template.expected_departure,
        source=template.source,
    )


@transaction.atomic
def registrations_update_from_brp(*, connection) -> int:
    """Ask the BRP connection about every person with a BSN and record what it says."""
    from welkom.places.models import Municipality

    persons = {p.bsn: p for p in Person.internal.exclude(bsn="")}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    changed = 0
    for fact in connection.facts_for(sorted(persons)):
        person = persons.get(fact.bsn)
        if person is None or fact.registration not in {"brp", "rni"}:
            continue
        person.registration = fact.registration
        person.registered_on = fact.registered_on
        person.registration_municipality = municipalities.get(fact.municipality_code)
        person.save(update_fields=["registration", "registered_on", "registration_municipality"])
        changed += 1
    if changed:
        processing_log_write(
            processing=Processing.system(activity=SIGNALLING, action=Entry.Action.UPDATE),
            subject_type="person",
            subject_ids=[p.pk for p in persons.values()],
            object_type="person",
        )
    return changed
