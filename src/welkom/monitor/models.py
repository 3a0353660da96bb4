"""The monitor's own data: the register's figures per area and period (refreshed from
aggregates, never from persons), figures from outside with their source, and the policy's
actions with their progress. Nothing here is about a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welkom.lib.imports import TrackedImport
from welkom.places.models import Municipality


class Figure(models.Model):
    """One of Welkom's own figures: an indicator (`indicators.REGISTER`) for an area on a
    night or in a month. Rebuilt by `welkom refresh_monitor`."""

    class Period(models.TextChoices):
        NIGHT = "night", _("night")
        MONTH = "month", _("month")

    area = models.CharField(_("area code"), max_length=6)
    period_kind = models.CharField(_("kind of period"), max_length=5, choices=Period.choices)
    period = models.DateField(_("night, or first day of the month"))
    indicator = models.CharField(_("indicator"), max_length=30)
    value = models.FloatField(_("value"))

    class Meta:
        ordering = ["period", "area", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period_kind", "period", "indicator"], name="monitor_figure_once"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period_kind", "period"])]
        permissions = [
            ("view_province_monitor", _("Can see the monitor for every municipality")),
            ("view_own_monitor", _("Can see the monitor of the own municipality")),
        ]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return f"{self.area} {self.period} {self.indicator}={self.value}"


class Refresh(models.Model):
    """One run of `welkom refresh_monitor`: when, up to which night, how long it took."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    last_night = models.DateField(_("last night counted"))
    first_night = models.DateField(_("first night counted"))
    figures = models.PositiveIntegerField(_("figures"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {self.first_night}–{self.last_night}"


class FiguresImport(TrackedImport):
    """A spreadsheet of external figures, as received, whatever its outcome (a tracked import,
    as night lists and location files are): the figures an applied one added are its
    `figures`, and removing it removes them. Counts: rows, added, unchanged."""

    raw = models.FileField(_("file as received"), upload_to="figure-files/%Y/%m/", blank=True)

    class Meta(TrackedImport.Meta):
        permissions = [("import_figures", _("Can import external figures"))]

    def __str__(self) -> str:
        return self.filename


class ExternalFigure(models.Model):
    """A figure from outside Welkom (Decisio, CBS), with its source and vintage. Kept apart
    from the register's figures and always shown with its source."""

    indicator = models.CharField(_("indicator"), max_length=30)
    area = models.CharField(_("area code"), max_length=6)
    period = models.CharField(_("period"), max_length=9)  # 2018, 2018-Q3, 2018-07, 2010/2018
    scenario = models.CharField(_("scenario"), max_length=60, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    vintage = models.CharField(_("vintage"), max_length=20, blank=True)
    imported = models.ForeignKey(FiguresImport, models.CASCADE, related_name="figures")

    class Meta:
        ordering = ["indicator", "area", "period", "scenario"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "scenario"], name="external_figure_once"
            )
        ]
        verbose_name = _("external figure")
        verbose_name_plural = _("external figures")

    def __str__(self) -> str:
        return f"{self.indicator} {self.area} {self.period} {self.scenario}: {self.value}"


class PolicyAction(models.Model):
    """An action of chapter 4 of the policy (loaded from data/policy-actions.csv)."""

    class Theme(models.TextChoices):
        WONEN = "wonen", _("housing")
        WERKEN = "werken", _("work")
        SAMENLEVEN = "samenleven", _("living together")
        ALGEMEEN = "algemeen", _("general")

    code = models.CharField(_("code"), max_length=6, unique=True)
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    action_nl = models.TextField(_("action (Dutch)"))
    action_en = models.TextField(_("action (English)"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    deadline = models.CharField(_("deadline"), max_length=12, blank=True)
    per_municipality = models.BooleanField(_("each municipality"), default=False)
    source = models.CharField(_("where in the policy"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("policy action")
        verbose_name_plural = _("policy actions")

    def __str__(self) -> str:
        return self.code


class ActionProgress(models.Model):
    """How far an action is: for the province as a whole, or for one municipality."""

    class Status(models.TextChoices):
        # With their own context: "done" for an action is not "done" for a signal.
        UNKNOWN = "unknown", pgettext_lazy("action progress", "unknown")
        NOT_STARTED = "not-started", pgettext_lazy("action progress", "not started")
        IN_PROGRESS = "in-progress", pgettext_lazy("action progress", "in progress")
        DONE = "done", pgettext_lazy("action progress", "done")

    action = models.ForeignKey(PolicyAction, models.CASCADE, related_name="progress")
    municipality = models.ForeignKey(
        Municipality, models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "municipality"], name="action_progress_once"),
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(municipality__isnull=True),
                name="action_progress_once_for_province",
            ),
        ]
        verbose_name = _("action progress")
        verbose_name_plural = _("action progress")

    def __str__(self) -> str:
        return f"{self.action_id} {self.municipality_id}: {self.status}"
