"""Housing locations as a provider describes them once: address, kind of building, rooms,
facilities and certificates; and a municipality's own housing rules. The norms that judge
them are pure rules in `welkom.housing.rules`; `welkom.housing.selectors` joins the two."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from welkom.housing import rules as norms
from welkom.lib.imports import TrackedImport


class BuildingType(models.TextChoices):
    REGULAR_DWELLING = norms.REGULAR_DWELLING, _("regular dwelling")
    HOTEL_PENSION = norms.HOTEL_PENSION, _("hotel or pension")
    BUILDING_COMPLEX_UNITS = norms.BUILDING_COMPLEX_UNITS, _("units in a building complex")
    WOONUNITS = norms.WOONUNITS, _("woonunits")
    RECREATION_SITE = norms.RECREATION_SITE, _("recreation site")
    TEMPORARY = norms.TEMPORARY, _("temporary or movable housing")


class Zoning(models.TextChoices):
    WONEN = norms.WONEN, _("wonen (housing)")
    LOGIES = norms.LOGIES, _("logies (lodging)")


class StayType(models.TextChoices):
    SHORT = norms.SHORT, _("short stay")
    MID = norms.MID, _("mid stay")
    LONG = norms.LONG, _("long stay")


class LocationQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocationQuerySet:
        """Providers see their own locations, a municipality those in its territory, platform
        administrators all. The province sees counts only, so no rows here."""
        from welkom.organisations import rules
        from welkom.organisations.selectors import organisation_ids_where, territory_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        permission = "housing.view_location"
        providers = organisation_ids_where(user, permission, rules.HOUSING_PROVIDER)
        territory = territory_where(user, permission)
        return self.filter(Q(provider_id__in=providers) | Q(municipality_id__in=territory))


# What a provider says about a location besides its address and permit: the facts the
# norms judge. One list for the page's form, the location file and the import service.
DESCRIPTION_FIELDS = (
    "building_type",
    "zoning",
    "stay_type",
    "new_build",
    "toilets",
    "showers",
    "burners",
    "sockets",
    "washing",
    "drying_outside_bedrooms",
    "lockable_storage",
    "under_one_roof",
    "information_card",
    "smoke_detectors_checked",
    "co_detectors_checked",
    "extinguisher_inspected",
    "extinguisher_reob",
    "rental_contract_separate",
    "rights_information_in_language",
)
# What a provider says about the rent: per bed per week, and whether it is deducted from
# wages (only allowed up to a share of the minimum wage, for certified housing:
# `welkom.work.rules.rent_deduction_findings`).
RENT_FIELDS = ("rent_per_bed_week", "rent_deducted")
ADDRESS_FIELDS = ("code", "street", "number", "addition", "postcode", "place")
# History stays where it happened (issue 18, finding 4): a location's nights belong to its
# address and, through its postcode, to its municipality (`Location.history_moves_with`).
ADDRESS_KEPT = gettext_noop(
    "This location has nights in the register, which happened at its address: its postcode "
    "and house number cannot change. Register the new address as a new location with a code "
    "of its own, and give this one a closing date."
)
PERMIT_FIELDS = ("permitted_capacity", "opened_on", "closed_on")


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
    # Kept by the night register: the last night a list has covered. The register's open stays
    # here run until this night (ADR 0010).
    listed_through = models.DateField(_("last night listed"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    building_type = models.CharField(
        _("kind of building"), max_length=30, choices=BuildingType.choices, blank=True
    )
    zoning = models.CharField(_("zoning"), max_length=10, choices=Zoning.choices, blank=True)
    stay_type = models.CharField(
        _("kind of stay"), max_length=10, choices=StayType.choices, blank=True
    )
    new_build = models.BooleanField(_("new build"), default=False)
    rental_contract_separate = models.BooleanField(
        _("rental agreement separate from the employment contract"), null=True, blank=True
    )
    rights_information_in_language = models.BooleanField(
        _("information on rights given in the residents' language"), null=True, blank=True
    )
    rent_per_bed_week = models.DecimalField(
        _("rent per bed per week (euro)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("What a resident pays for a bed per week, service costs included."),
    )
    rent_deducted = models.BooleanField(
        _("rent deducted from wages"),
        null=True,
        blank=True,
        help_text=_("Whether the employer withholds the rent from the residents' wages."),
    )
    # Facilities, for the location as a whole.
    toilets = models.PositiveSmallIntegerField(_("toilets"), default=0)
    showers = models.PositiveSmallIntegerField(_("showers"), default=0)
    burners = models.PositiveSmallIntegerField(_("cooking burners"), default=0)
    sockets = models.PositiveSmallIntegerField(_("wall sockets"), default=0)
    washing = models.BooleanField(_("washing machines or a laundry service"), default=False)
    drying_outside_bedrooms = models.BooleanField(
        _("drying space outside the bedrooms"), default=False
    )
    lockable_storage = models.BooleanField(_("lockable storage for every resident"), default=False)
    under_one_roof = models.BooleanField(_("all facilities under one roof"), default=False)
    information_card = models.BooleanField(_("SNF information card on display"), default=False)
    smoke_detectors_checked = models.DateField(
        _("smoke detectors last checked"), null=True, blank=True
    )
    co_detectors_checked = models.DateField(_("CO detectors last checked"), null=True, blank=True)
    extinguisher_inspected = models.DateField(
        _("fire extinguishers last inspected"), null=True, blank=True
    )
    extinguisher_reob = models.BooleanField(
        _("inspected by a REOB-recognised company"), default=False
    )
    # Raised by every change of what the norms judge (the location, its rooms and marks, its
    # municipality's rules): a kept judgement of an older version is judged again
    # (`selectors.location_judgements`).
    facts_version = models.PositiveIntegerField(default=0, editable=False)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        permissions = [
            ("view_housing_counts", _("Can see housing as counts per municipality")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code"],
                name="location_code_unique_per_provider",
                violation_error_message=_("This provider already uses this location code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.street} {self.number}, {self.place or self.municipality}"

    def history_moves_with(self, *, postcode: str, number: str) -> bool:
        """Whether this postcode and house number would move the location's history: it is
        stored, has listed nights, and the address is another one."""
        from welkom.places.rules import PostcodeFormatError, postcode_parse

        if self.pk is None:
            return False
        try:
            new = (str(postcode_parse(postcode)), str(number).strip())
        except PostcodeFormatError:
            return False  # the postcode's own check says what is wrong with it
        stored = Location.objects.filter(pk=self.pk).values_list("postcode", "number").first()
        return stored is not None and new != stored and self.occupancy.exists()

    @property
    def address(self) -> str:
        number = f"{self.number}{'-' + self.addition if self.addition else ''}"
        return f"{self.street} {number}, {self.postcode} {self.place or self.municipality}".strip()


class RoomUse(models.TextChoices):
    BEDROOM = norms.BEDROOM, _("bedroom")
    LIVING = norms.LIVING, _("living room")
    KITCHEN = norms.KITCHEN, _("kitchen")
    SANITARY = norms.SANITARY, _("sanitary")
    OTHER = norms.OTHER, pgettext_lazy("room use", "other")


class Room(models.Model):
    location = models.ForeignKey(Location, models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=60)
    use = models.CharField(_("use"), max_length=10, choices=RoomUse.choices)
    area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=2)
    walkable_m2 = models.DecimalField(
        _("walkable floor area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    beds = models.PositiveSmallIntegerField(_("beds"), default=0)

    class Meta:
        ordering = ["location", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="room_area_positive"),
            models.CheckConstraint(
                condition=Q(beds=0) | Q(use=norms.BEDROOM), name="room_beds_only_in_bedrooms"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area_m2} m²)"


class Certificate(models.Model):
    class Scheme(models.TextChoices):
        SNF = "snf", "SNF"
        AKF = "akf", "AKF"

    location = models.ForeignKey(Location, models.CASCADE, related_name="certificates")
    scheme = models.CharField(_("quality mark"), max_length=3, choices=Scheme.choices)
    register_id = models.CharField(_("register number"), max_length=40)
    valid_until = models.DateField(_("valid until"))
    last_inspection = models.DateField(_("last inspection"), null=True, blank=True)

    class Meta:
        ordering = ["location", "scheme"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "scheme"], name="certificate_one_per_scheme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.register_id}"


class MunicipalRule(models.Model):
    """A municipality's own rule for housing in its territory, between two dates."""

    class Kind(models.TextChoices):
        MAX_PERSONS_PER_BEDROOM = norms.MAX_PERSONS_PER_BEDROOM, _("at most … persons per bedroom")
        MIN_AREA_PER_PERSON = norms.MIN_AREA_PER_PERSON, _("at least … m² per person")
        SNF_REQUIRED = norms.SNF_REQUIRED, _("SNF certificate required")
        AKF_REQUIRED = norms.AKF_REQUIRED, _("AKF certificate required")
        MARK_REQUIRED = norms.MARK_REQUIRED, _("SNF or AKF certificate required")

    municipality = models.ForeignKey(
        "places.Municipality", models.CASCADE, related_name="housing_rules"
    )
    kind = models.CharField(_("rule"), max_length=30, choices=Kind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text=_("Persons or m²; not needed for a required certificate."),
    )
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["municipality", "kind", "effective_from"]
        verbose_name = _("municipal housing rule")
        verbose_name_plural = _("municipal housing rules")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="municipal_rule_value_positive"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="municipal_rule_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_kind_display()} {self.value}"


class Inspection(models.Model):
    """A municipality's inspection of a location. Kept as history: never changed afterwards."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        FINDINGS = "findings", _("findings to resolve")
        NOT_COMPLIANT = "not_compliant", _("not compliant")

    location = models.ForeignKey(Location, models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.CharField(_("inspector"), max_length=120)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    failed_rules = models.JSONField(_("rules not met"), default=list, blank=True)
    notes = models.TextField(_("findings"), blank=True)
    follow_up_deadline = models.DateField(_("resolve findings before"), null=True, blank=True)
    # PROTECT: an inspection is never changed (database triggers), so its recorder is kept.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.location} {self.inspected_on}: {self.result}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Inspections are history: record a new one instead of changing one.")
        super().save(*args, **kwargs)


class LocationImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocationImportQuerySet:
        """A provider's own location files (for who may change its locations); platform
        administrators all."""
        from welkom.organisations import rules
        from welkom.organisations.selectors import organisation_ids_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            provider_id__in=organisation_ids_where(
                user, "housing.change_location", rules.HOUSING_PROVIDER
            )
        )


class LocationImport(TrackedImport):
    """One location file that came in (page, API or command line): the file as received,
    what it changed and every problem, kept whatever the outcome, as a night list's."""

    provider = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="location_imports",
        verbose_name=_("housing provider"),
    )
    raw = models.FileField(_("file as received"), upload_to="location-files/%Y/%m/", blank=True)

    objects = LocationImportQuerySet.as_manager()

    class Meta(TrackedImport.Meta):
        verbose_name = _("location-file import")
        verbose_name_plural = _("location-file imports")

    def __str__(self) -> str:
        return f"{self.provider} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class Judgement(models.Model):
    """A location's compliance as judged for one day, kept so that lists of thousands of
    locations need not judge every norm again (`selectors.location_judgements`). Only what lists show:
    the detail page judges afresh, with every finding."""

    location = models.ForeignKey(Location, models.CASCADE, related_name="+")
    on = models.DateField()
    facts_version = models.PositiveIntegerField()
    parameters = models.CharField(max_length=40)  # the norm switches it was judged with
    described = models.BooleanField()
    compliant = models.BooleanField()
    effective_capacity = models.PositiveIntegerField(null=True)
    failing = models.JSONField(default=list)  # the norms with a rule not met

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "on"], name="judgement_one_per_day")
        ]
        indexes = [models.Index(fields=["on"], name="judgement_on")]

    def __str__(self) -> str:
        return f"{self.location_id} on {self.on}"
