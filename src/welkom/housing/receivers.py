"""What raises a location's `facts_version`: every saved or deleted row the norms judge.

Connected in `HousingConfig.ready`. Receivers, not calls in each service, because rooms and
marks change through the location page's forms, the location file and the demo alike, and
a forgotten path would show yesterday's judgement as today's. Bulk writes send no signals:
`services.location_describe` saves the location itself before it replaces the rooms, which
raises the version in the same transaction.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from welkom.housing.models import Certificate, Location, MunicipalRule, Room


def _location_changed(sender, instance, **kwargs) -> None:
    # An UPDATE, not save(): save() would send post_save again.
    Location.objects.filter(pk=instance.pk).update(facts_version=F("facts_version") + 1)


def _part_changed(sender, instance, **kwargs) -> None:
    Location.objects.filter(pk=instance.location_id).update(facts_version=F("facts_version") + 1)


def _rule_changed(sender, instance, **kwargs) -> None:
    Location.objects.filter(municipality_id=instance.municipality_id).update(
        facts_version=F("facts_version") + 1
    )


def receivers_connect() -> None:
    post_save.connect(_location_changed, sender=Location, dispatch_uid="housing.location")
    for model in (Room, Certificate):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"housing.{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"housing.{model.__name__}")
    post_save.connect(_rule_changed, sender=MunicipalRule, dispatch_uid="housing.rule")
    post_delete.connect(_rule_changed, sender=MunicipalRule, dispatch_uid="housing.rule")
