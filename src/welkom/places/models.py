from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of Limburg's three regions, by its NUTS-3 (COROP) code."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user) -> MunicipalityQuerySet:
        """Municipalities are public reference data: everyone sees all 31."""
        return self


class Municipality(models.Model):
    code = models.CharField(_("CBS code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population on 1 January of"))
    boundary = models.JSONField(_("boundary (GeoJSON geometry, WGS 84)"), default=dict)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A four-digit postcode (PC4) and the municipality its addresses lie in."""

    pc4 = models.CharField(_("postcode (4 digits)"), max_length=4, primary_key=True)
    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="postcodes")
    addresses = models.PositiveIntegerField(_("addresses"))

    class Meta:
        ordering = ["pc4"]
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")

    def __str__(self) -> str:
        return self.pc4
