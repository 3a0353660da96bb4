"""The registers of lenders of workers as Welkom mirrors them: every export that came in,
and each lender's status as each export gave it (ADR 0019; public data about businesses);
and placements, who works where through whom (personal data, logged)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from welkom.lib.imports import TrackedImport
from welkom.processing_log.querysets import PersonalDataQuerySet
from welkom.work import rules


class Register(models.TextChoices):
    SNA = rules.SNA, _("SNA quality mark (NEN 4400)")
    WTTA = rules.WTTA, _("Wtta admission")


class LenderStatus(models.TextChoices):
    ADMITTED = rules.ADMITTED, _("admitted or certified")
    SUSPENDED = rules.SUSPENDED, _("suspended")
    WITHDRAWN = rules.WITHDRAWN, _("withdrawn")
    NOT_LISTED = rules.NOT_LISTED, _("no longer listed")


class RegisterImport(TrackedImport):
    """One register export that came in (command line or the province's upload page)."""

    register = models.CharField(_("register"), max_length=10, choices=Register.choices)
    as_of = models.DateField(_("register's date"))
    raw = models.FileField(_("file as received"), upload_to="agency-registers/%Y/%m/", blank=True)

    class Meta(TrackedImport.Meta):
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.register} {self.as_of} ({self.status})"


class StatusRecord(models.Model):
    """A lender's status in one register as an export of `as_of` gave it. A new record is
    kept only when the status, its dates or the name changed; `confirmed_as_of` is the
    latest export that still said the same."""

    register = models.CharField(_("register"), max_length=10, choices=Register.choices)
    kvk_number = models.CharField(_("KvK number"), max_length=8)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=LenderStatus.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    as_of = models.DateField(_("register's date"))
    confirmed_as_of = models.DateField(_("last confirmed"))
    source = models.ForeignKey(RegisterImport, models.PROTECT, related_name="records")

    class Meta:
        ordering = ["register", "kvk_number", "as_of"]
        verbose_name = _("register status")
        verbose_name_plural = _("register statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "kvk_number", "as_of"], name="status_one_per_export"
            )
        ]
        indexes = [models.Index(fields=["kvk_number"], name="status_kvk")]
        permissions = [
            ("view_lender_status", _("Can see lenders' SNA and Wtta statuses")),
            ("import_register", _("Can import an SNA or Wtta register export")),
            ("view_own_workers", _("Can see where its own workers stay, as counts")),
            (
                "view_territory_placements",
                _("Can see the placements of the workers staying in its territory, as counts"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.kvk_number} {self.status} ({self.as_of})"

    def as_rule(self) -> rules.Status:
        return rules.Status(self.register, self.status, self.since, self.until, self.as_of)


class PlacementImport(TrackedImport):
    """One placement list that came in from an employer or a temp agency."""

    sender = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="placement_imports",
        verbose_name=_("sent by"),
    )
    raw = models.FileField(_("file as received"), upload_to="placement-lists/%Y/%m/", blank=True)

    class Meta(TrackedImport.Meta):
        verbose_name = _("placement list")
        verbose_name_plural = _("placement lists")

    def __str__(self) -> str:
        return f"{self.sender} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class PlacementQuerySet(PersonalDataQuerySet):
    subject_type = "person"
    subject_field = "person_id"

    def visible_to(self, user, permission: str = "work.view_placement") -> PlacementQuerySet:
        """An employer's or agency's placements are those it hires or lends in, for the
        memberships whose role grants `permission`; platform administrators see all."""
        from welkom.organisations import rules as organisation_rules
        from welkom.organisations.selectors import memberships_of

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        kvk_numbers = [
            m.organisation.kvk_number
            for m in memberships_of(user)
            if m.organisation.kind in {organisation_rules.EMPLOYER, organisation_rules.TEMP_AGENCY}
            and permission in m.permissions
            and m.organisation.kvk_number
        ]
        if not kvk_numbers:
            return self.none()
        return self.filter(Q(hirer_kvk__in=kvk_numbers) | Q(agency_kvk__in=kvk_numbers))


class Placement(models.Model):
    """Who works for which hirer, through which agency (none: hired directly), from when to
    when. Minimal: a reference to a register person, two KvK numbers and two dates; no
    wages, no contracts. Goes with the person when the register's retention removes them."""

    person = models.ForeignKey("register.Person", models.CASCADE, related_name="placements")
    hirer_kvk = models.CharField(_("hirer's KvK number"), max_length=8)
    agency_kvk = models.CharField(_("agency's KvK number"), max_length=8, blank=True)
    starts_on = models.DateField(_("job starts"))
    ends_on = models.DateField(_("job ends"), null=True, blank=True)
    source = models.ForeignKey(PlacementImport, models.PROTECT, related_name="placements")

    objects = PlacementQuerySet.as_manager()
    internal = models.Manager()  # noqa: DJ012 (the import's own writes: it logs them itself)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        base_manager_name = "internal"
        permissions = [("submit_placements", _("Can send placement lists"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "hirer_kvk", "agency_kvk", "starts_on"],
                name="placement_one_per_job",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="placement_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["hirer_kvk"], name="placement_hirer"),
            models.Index(fields=["agency_kvk"], name="placement_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.hirer_kvk} via {self.agency_kvk or '-'}"


class MinimumWage(models.Model):
    """The gross statutory minimum wage per week for a full-time worker, from a date, with
    where the amount was published. Kept by the platform administrator: Welkom ships no
    amount it has not verified. The rent rule compares deducted rent with a share of it
    (`rules.rent_deduction_findings`); without an amount for a date, only the certificate
    half of that rule is checked."""

    valid_from = models.DateField(_("in force from"), unique=True)
    weekly_amount = models.DecimalField(
        _("gross minimum wage per week, full time (euro)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the amount was published, for example the Staatscourant."),
    )

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("statutory minimum wage")
        verbose_name_plural = _("statutory minimum wages")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.weekly_amount}"


class PlacementCount(models.Model):
    """How the persons who slept in a municipality on a night work there, as counts: the
    aggregate the monitor reads (it reads no person and no stay). Kept by the nightly job
    `welkom placement_counts` (`services.placement_counts_keep`)."""

    municipality = models.ForeignKey("places.Municipality", models.CASCADE, related_name="+")
    night = models.DateField(_("night"))
    placed_agency = models.PositiveIntegerField(default=0)
    placed_admitted = models.PositiveIntegerField(default=0)
    placed_unadmitted = models.PositiveIntegerField(default=0)
    housed_by_employer = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("placement count")
        verbose_name_plural = _("placement counts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "night"], name="placement_count_one_per_night"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.night}"
