"""The tracked import: one record for every file that comes in (a night list, a location
file), whatever its outcome. Who sent it, when, how, the file's name and fingerprint, the
outcome, its counts and every problem (`welkom.lib.problems.Problem` as JSON). Each kind
of import adds its organisation and its kept file (`raw`, in a folder of its own)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrackedImport(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        UNCHANGED = "unchanged", _("applied: nothing changed")
        REJECTED = "rejected", _("rejected")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("upload")
        API = "api", _("API")
        FORM = "form", _("web form")
        CLI = "cli", _("command line")

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("way in"), max_length=10, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    counts = models.JSONField(_("counts"), default=dict)
    problems = models.JSONField(_("problems"), default=list)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def file_keep(self, data: bytes, filename: str) -> None:
        """Keep the file as received (in the kind's `raw` field), under its fingerprint and
        its name; the caller saves the record."""
        self.filename = filename[:255]
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.raw.save(
            f"{self.sha256[:16]}-{filename.rsplit('/', 1)[-1][-80:]}", ContentFile(data), save=False
        )
