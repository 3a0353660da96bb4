"""The registers of lenders of workers as Welkom mirrors them: every export that came in,
and each lender's status as each export gave it (ADR 0019). Public data about businesses:
no personal data here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from welkom.lib.imports import TrackedImport
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
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.kvk_number} {self.status} ({self.as_of})"

    def as_rule(self) -> rules.Status:
        return rules.Status(self.register, self.status, self.since, self.until, self.as_of)
