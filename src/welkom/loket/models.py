"""The public desk (loket): information pages and their translations, each municipality's
contact for international workers, and the directory of courses, programmes and clubs.

Nothing here is about a worker: the loket stores no visitor's data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welkom.loket.reference import OFFERED_LANGUAGES
from welkom.places.models import Municipality


class Topic(models.Model):
    """One information page, in every language; its texts are `TopicText` rows."""

    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("One per line: title | web address.")
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.slug


class TopicText(models.Model):
    """A topic in one language. The Dutch text is the source: `revision` counts its changes,
    and a translation records in `source_revision` which revision it follows. A translation
    behind the source is outdated; one made by machine and not yet reviewed says so."""

    class Origin(models.TextChoices):
        REVIEWED = "reviewed", _("written or reviewed by staff")
        MACHINE = "machine", _("machine-translated, not yet reviewed")

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"))
    checked_on = models.DateField(_("facts last checked on"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    source_revision = models.PositiveIntegerField(_("follows source revision"), default=1)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.REVIEWED
    )
    revised_at = models.DateTimeField(_("text last changed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["topic", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language"], name="loket_one_text_per_language"
            )
        ]
        verbose_name = _("topic text")
        verbose_name_plural = _("topic texts")

    def __str__(self) -> str:
        return f"{self.topic.slug} [{self.language}]"


class MunicipalContact(models.Model):
    """A municipality's contact person or team for international workers, kept by the
    municipality itself. Without one, the loket shows the municipality's general contact."""

    municipality = models.OneToOneField(
        Municipality, models.CASCADE, related_name="loket_contact", verbose_name=_("municipality")
    )
    name = models.CharField(_("name or team"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    address = models.CharField(_("visiting address"), max_length=200, blank=True)
    website = models.URLField(_("web page"), blank=True)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("municipal contact")
        verbose_name_plural = _("municipal contacts")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.name}"


class ActivityKind(models.TextChoices):
    LANGUAGE_COURSE = "language-course", _("language course")
    INTEGRATION = "integration", _("integration programme")
    SPORTS = "sports", _("sports club")
    CLUB = "club", _("club or association")


class Activity(models.Model):
    """A language course, integration programme or club in the directory of a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        related_name="loket_activities",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    name = models.CharField(_("name"), max_length=150)
    description = models.CharField(_("description"), max_length=600)
    languages = models.JSONField(_("languages of instruction"), default=list)
    place = models.CharField(_("place"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    schedule = models.CharField(_("when"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=100, blank=True)
    website = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["municipality__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "name"], name="loket_activity_once"
            )
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [code for code in self.languages if code not in OFFERED_LANGUAGES]
        if unknown:
            raise ValidationError(
                {"languages": _("Unknown language codes: %s") % ", ".join(unknown)}
            )
