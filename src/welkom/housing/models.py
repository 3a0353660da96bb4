"""Housing locations. This first version holds what the night register needs: the provider's
own location code, the address and municipality, and the capacity in the municipal permit.
Rooms, facilities, certificates and norms come with the housing capability."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LocationQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocationQuerySet:
        """Providers see their own locations, a municipality those in its territory, platform
        administrators all. The province sees counts only, so no rows here."""
        from welkom.organisations import rules
        from welkom.organisations.selectors import organisation_ids_of_kind, territory_of

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        providers = organisation_ids_of_kind(user, rules.HOUSING_PROVIDER)
        return self.filter(Q(provider_id__in=providers) | Q(municipality_id__in=territory_of(user)))


class Location(models.Model):
    provider = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="locations",
        verbose_name=_("housing provider"),
        limit_choices_to={"kind": "housing_provider"},
    )
    code = models.CharField(
        _("location code"),
        max_length=40,
        help_text=_("The provider's own code for the location, used in night lists."),
    )
    street = models.CharField(_("street"), max_length=200)
    number = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7)
    place = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        models.PROTECT,
        related_name="locations",
        verbose_name=_("municipality"),
    )
    permitted_capacity = models.PositiveIntegerField(
        _("capacity in the municipal permit"), null=True, blank=True
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code"],
                name="location_code_unique_per_provider",
                violation_error_message=_("This provider already uses this location code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.street} {self.number}, {self.place or self.municipality}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.number}, {self.postcode} {self.place or self.municipality}".strip()
