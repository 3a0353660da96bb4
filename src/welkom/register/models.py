from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welkom.lib.imports import TrackedImport
from welkom.processing_log.querysets import PersonalDataQuerySet
from welkom.register.rules import Registration, bsn_masked


def _scoped_by_location(queryset, user, *, location_path: str) -> models.QuerySet:
    """Providers see what happens at their own locations, a municipality what happens in
    its territory. The province and partners see no persons (aggregates only)."""
    from welkom.organisations import rules
    from welkom.organisations.selectors import organisation_ids_where, territory_where

    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    # Only memberships whose role may see stays count: a privacy officer's municipality
    # does not widen what the same person sees as a provider's member.
    providers = organisation_ids_where(user, "register.view_stay", rules.HOUSING_PROVIDER)
    territory = territory_where(user, "register.view_stay")
    if not providers and not territory:
        return queryset.none()
    return queryset.filter(
        Q(**{f"{location_path}__provider_id__in": providers})
        | Q(**{f"{location_path}__municipality_id__in": territory})
    )


# The statuses are the rules' (one enum for rules and models); their labels are the site's.
REGISTRATION_LABELS = {
    Registration.BRP: _("registered in the BRP"),
    Registration.RNI: _("registered in the RNI"),
    Registration.NONE: _("not registered"),
    Registration.UNKNOWN: _("unknown"),
}


class PersonQuerySet(PersonalDataQuerySet):
    subject_type = "person"

    def visible_to(self, user) -> PersonQuerySet:
        return _scoped_by_location(self, user, location_path="stays__location").distinct()


class Person(models.Model):
    """A worker as the night register knows them: the fields the law asks, nothing more."""

    family_name = models.CharField(_("family name"), max_length=200)
    given_names = models.CharField(_("given names"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=3)
    home_place = models.CharField(_("home place"), max_length=200)
    home_country = models.CharField(_("home country"), max_length=2)
    document_type = models.CharField(_("ID document type"), max_length=20)
    document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    registration = models.CharField(
        _("registration"), max_length=10, choices=REGISTRATION_LABELS, default=Registration.UNKNOWN
    )
    registration_municipality = models.ForeignKey(
        "places.Municipality", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    match_key = models.CharField(max_length=500, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()
    internal = models.Manager()  # noqa: DJ012 -- for the import's set-based writes and retention only

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        base_manager_name = "internal"
        constraints = [
            models.UniqueConstraint(fields=["bsn"], condition=~Q(bsn=""), name="person_unique_bsn")
        ]
        # Looked up by equality only: no second index for LIKE (see processing_log.Entry).
        indexes = [models.Index(fields=["match_key"], name="person_match_key")]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}"

    @property
    def bsn_masked(self) -> str:
        return bsn_masked(self.bsn)


class NextNight(Func):
    """The night after a date column, in SQL (a date plus one day on either engine)."""

    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        return self.as_sql(compiler, connection, template="(%(expressions)s + 1)", **extra)

    def as_sqlite(self, compiler, connection, **extra) -> tuple[str, list]:
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, '+1 day')", **extra
        )


class StayShape:
    """Every read of stays goes through `on_night`, `ending_after` or `with_end`, which know
    that an open stay has no check-out but runs to its location's last listed night (ADR
    0010). On `Stay.objects` (logged) and on `Stay.internal` (the import and retention)."""

    def with_end(self) -> Self:
        """Each stay with `end`: its first night after (see `welkom.register.stays`)."""
        return self.annotate(
            end=Coalesce("check_out", NextNight("location__listed_through"), NextNight("check_in"))
        )

    def on_night(self, night) -> Self:
        return self.filter(
            Q(check_out__gt=night) | Q(check_out__isnull=True, location__listed_through__gte=night),
            check_in__lte=night,
        )

    def ending_after(self, night) -> Self:
        """Stays whose end is after `night`: they hold that night or a later one."""
        return self.filter(
            Q(check_out__gt=night) | Q(check_out__isnull=True, location__listed_through__gte=night)
        )


class StayQuerySet(StayShape, PersonalDataQuerySet):
    subject_type = "person"
    subject_field = "person_id"

    def visible_to(self, user) -> StayQuerySet:
        return _scoped_by_location(self, user, location_path="location")


class StayInternalQuerySet(StayShape, models.QuerySet):
    pass


class Stay(models.Model):
    """One person at one location for the nights [check_in, end): never a row per night.

    Open (no `check_out`) while the location still lists the person: it then ends after the
    location's last listed night, `Location.listed_through` (ADR 0010, `welkom.register.stays`).
    A person has at most one open stay (a unique index). On PostgreSQL an exclusion
    constraint refuses two closed stays of one person on the same night (migrations 0002,
    0008); the import checks the rest, and everything on SQLite, in code.
    """

    # No index of their own: the indexes below start with each, and every import writes them.
    person = models.ForeignKey(Person, models.CASCADE, related_name="stays", db_index=False)
    location = models.ForeignKey(
        "housing.Location", models.PROTECT, related_name="stays", db_index=False
    )
    check_in = models.DateField(_("first night"))
    check_out = models.DateField(_("day of departure"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=40, blank=True)
    employer_kvk = models.CharField(_("employer KvK number"), max_length=8, blank=True)
    expected_departure = models.DateField(_("expected departure"), null=True, blank=True)
    source = models.ForeignKey(
        "register.NightListImport", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StayQuerySet.as_manager()
    # For the import's set-based writes and retention only: not logged.
    internal = StayInternalQuerySet.as_manager()

    class Meta:
        ordering = ["check_in"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        base_manager_name = "internal"
        indexes = [
            models.Index(fields=["location", "check_in", "check_out"]),
            models.Index(fields=["person", "check_in"]),
            # A day's list closes the open stays at its locations of whoever it no longer names.
            models.Index(
                fields=["location"], condition=Q(check_out__isnull=True), name="stay_open_at"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gt=models.F("check_in")),
                name="stay_at_least_one_night",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(check_out__isnull=True), name="stay_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.location_id} [{self.check_in}, {self.check_out or '…'})"


class OccupancyQuerySet(models.QuerySet):
    def visible_to(self, user) -> OccupancyQuerySet:
        return _scoped_by_location(self, user, location_path="location")


class Occupancy(models.Model):
    """How many persons slept at a location on a night: kept at import, read by dashboards."""

    location = models.ForeignKey("housing.Location", models.CASCADE, related_name="occupancy")
    night = models.DateField(_("night"))
    persons = models.PositiveIntegerField(_("persons"))

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        ordering = ["night"]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancy")
        constraints = [
            models.UniqueConstraint(fields=["location", "night"], name="occupancy_one_per_night")
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.night}: {self.persons}"


class OccupancyProfileQuerySet(models.QuerySet):
    def with_end(self) -> OccupancyProfileQuerySet:
        """Each span with `end`: its first night after (an open span runs through its
        location's last listed night, as an open stay does)."""
        return self.annotate(
            end=Coalesce(
                "end_night", NextNight("location__listed_through"), NextNight("first_night")
            )
        )


class OccupancyProfile(models.Model):
    """Persons per location by registration and nationality group, over a span of nights
    [first_night, end) in which that number stayed the same: an aggregate kept at
    import next to Occupancy, so that the monitor counts without reading a person. The
    registration is the person's as known when the list came in. Spans, not a row per night:
    a month of the province is some 80,000 spans instead of 1.3 million nights (ADR 0009).

    Open, as a stay is (ADR 0010, 0013): the span that runs to the location's last listed
    night has no `end_night`, so a night on which a location's counts stay the same writes
    no span. Read ends through `with_end()`."""

    location = models.ForeignKey("housing.Location", models.CASCADE, related_name="+")
    first_night = models.DateField(_("first night"))
    # Empty while the span runs through the location's `listed_through`.
    end_night = models.DateField(_("first night after"), null=True, blank=True)
    registration = models.CharField(_("registration"), max_length=10)
    nationality_group = models.CharField(_("nationality group"), max_length=5)
    persons = models.PositiveIntegerField(_("persons"))

    objects = OccupancyProfileQuerySet.as_manager()

    class Meta:
        ordering = ["first_night"]
        verbose_name = _("occupancy profile")
        verbose_name_plural = _("occupancy profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_night__gt=F("first_night")), name="occupancy_profile_span"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.location_id} [{self.first_night}, {self.end_night or '…'}) "
            f"{self.registration} {self.nationality_group}"
        )


class NightListImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> NightListImportQuerySet:
        """A provider's lists, to the members whose role may send them."""
        from welkom.organisations import rules
        from welkom.organisations.selectors import organisation_ids_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            provider_id__in=organisation_ids_where(
                user, "register.submit_night_list", rules.HOUSING_PROVIDER
            )
        )


class NightListImport(TrackedImport):
    """One submitted night list: what came in, what it changed, and every problem found."""

    provider = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, related_name="night_list_imports"
    )
    raw = models.FileField(_("file as received"), upload_to="night-lists/%Y/%m/", blank=True)

    objects = NightListImportQuerySet.as_manager()

    class Meta(TrackedImport.Meta):
        verbose_name = _("night-list import")
        verbose_name_plural = _("night-list imports")
        permissions = [("submit_night_list", _("Can submit night lists for the organisation"))]

    def __str__(self) -> str:
        return f"{self.provider} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class SignalQuerySet(PersonalDataQuerySet):
    subject_type = "person"
    subject_field = "person_id"

    def visible_to(self, user, permission: str = "register.view_signal") -> SignalQuerySet:
        """Providers: signals at their locations; a municipality: in its territory; an
        employer or temp agency: about its own workers (by KvK number on the stay). Only
        memberships whose role grants `permission` count (to change a signal:
        "register.change_signal"): a privacy officer's municipality does not widen what the
        same person sees as a provider's member."""
        from welkom.organisations import rules
        from welkom.organisations.selectors import (
            memberships_of,
            organisation_ids_where,
            territory_where,
        )

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        providers = organisation_ids_where(user, permission, rules.HOUSING_PROVIDER)
        employers = [
            m.organisation.kvk_number
            for m in memberships_of(user)
            if m.organisation.kind in {rules.EMPLOYER, rules.TEMP_AGENCY}
            and permission in m.permissions
            and m.organisation.kvk_number
        ]
        territory = territory_where(user, permission)
        if not (providers or employers or territory):
            return self.none()
        return self.filter(
            Q(location__provider_id__in=providers)
            | Q(municipality_id__in=territory)
            | Q(employer_kvk__in=employers)
        )


class Signal(models.Model):
    """Something someone must act on: a registration duty, a move, a departure, overcrowding.

    Made and kept up to date by `signals_refresh`; people close it as done or dismiss it
    with a reason. Allowed status changes are `TRANSITIONS`."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DISMISSED = "dismissed", _("dismissed")

    RULE_LABELS = {
        "brp-registration-required": _("BRP registration required"),
        "rni-registration-advised": _("RNI registration advised"),
        "registration-unknown": _("Registration unknown"),
        "address-change": _("Report the move"),
        "departure": _("Departure to report"),
        "over-capacity": _("More persons than permitted"),
        "listed-twice": _("Listed at two places on one night"),
    }

    TRANSITIONS = {
        Status.OPEN: {Status.DONE, Status.DISMISSED},
        Status.DONE: {Status.OPEN},
        Status.DISMISSED: {Status.OPEN},
    }

    key = models.CharField(max_length=120, editable=False)
    rule = models.CharField(_("rule"), max_length=40)
    source = models.CharField(_("legal source"), max_length=120)
    person = models.ForeignKey(
        Person, models.CASCADE, null=True, blank=True, related_name="signals"
    )
    location = models.ForeignKey(
        "housing.Location", models.CASCADE, null=True, blank=True, related_name="signals"
    )
    municipality = models.ForeignKey(
        "places.Municipality", models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer_kvk = models.CharField(max_length=8, blank=True)
    since = models.DateField(_("since"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    explanation = models.TextField()
    parameters = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateField()
    last_seen = models.DateField()  # the last refresh that changed it (not rewritten daily)

    objects = SignalQuerySet.as_manager()
    internal = models.Manager()  # noqa: DJ012 -- for the refresh's set-based writes only

    class Meta:
        ordering = ["deadline", "since"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        base_manager_name = "internal"
        indexes = [models.Index(fields=["status", "rule"])]
        # Unique, looked up by equality only: no second index for LIKE (see Person).
        constraints = [models.UniqueConstraint(fields=["key"], name="signal_key_unique")]

    def __str__(self) -> str:
        return self.key

    @property
    def rule_label(self) -> str:
        return self.RULE_LABELS.get(self.rule, self.rule)


class DeletionRecord(models.Model):
    """What a retention run removed: kinds and numbers only, never personal data."""

    run_at = models.DateTimeField(default=timezone.now, editable=False)
    cutoff = models.DateField()
    persons = models.PositiveIntegerField(default=0)
    stays = models.PositiveIntegerField(default=0)
    signals = models.PositiveIntegerField(default=0)
    raw_files = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")

    def __str__(self) -> str:
        return f"{self.run_at:%Y-%m-%d}: {self.persons} persons"
