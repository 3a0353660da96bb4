from __future__ import annotations

from typing import NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessingActivity(models.Model):
    """An entry of the register of processing activities (AVG art. 30).

    Versioned: a relevant change is a new row with a higher version, so that log entries
    keep pointing at the activity as it was when they were written.
    """

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    data_categories = models.TextField(_("categories of personal data"))
    retention = models.CharField(_("retention period"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="activity_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class EntryQuerySet(models.QuerySet):
    """Entries can be added, never changed; who may read which is
    `processing_log.selectors.entries_visible_to`."""

    def update(self, **kwargs) -> NoReturn:
        raise AppendOnlyError(_("Processing log entries cannot be changed."))

    def delete(self) -> NoReturn:
        raise AppendOnlyError(_("Processing log entries cannot be deleted."))


class AppendOnlyError(Exception):
    pass


class AppendOnly(models.Model):
    """A row of the log: added, never changed or removed (also refused by the database)."""

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError(_("Processing log entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs) -> NoReturn:
        raise AppendOnlyError(_("Processing log entries cannot be deleted."))


class Entry(AppendOnly):
    """One processing of personal data (Logboek Dataverwerkingen): a span of the request's
    or command's trace. Its data subjects are its child spans, one `SubjectSpan` each
    (ADR 0015): a night list's import is one entry with a child span per person on it.

    Append-only: the model refuses updates and deletes, and so does the database (a
    trigger on PostgreSQL and on SQLite).
    """

    class Action(models.TextChoices):
        READ = "read", _("read")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")

    class Status(models.TextChoices):
        OK = "ok", _("succeeded")
        ERROR = "error", _("failed")

    trace_id = models.CharField(_("trace id"), max_length=32)
    span_id = models.CharField(_("span id"), max_length=16)
    parent_span_id = models.CharField(_("parent span id"), max_length=16, blank=True)
    started_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT, not SET_NULL: the log is append-only (also by database triggers), so a user or
    # organisation it names is kept; a user who leaves is deactivated, not deleted. Django
    # enforces PROTECT itself; the database keeps no foreign-key constraint (ADR 0011),
    # because checking three references per entry at commit cost an import of a province
    # day 0.8 s of its time for references that the writer takes from existing rows.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        db_index=False,  # see Meta.indexes
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        db_constraint=False,
    )
    activity = models.ForeignKey(
        ProcessingActivity,
        models.PROTECT,
        related_name="+",
        verbose_name=_("processing activity"),
        db_index=False,  # see Meta.indexes
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("kind of data"), max_length=60)
    data_subject_type = models.CharField(_("kind of data subject"), max_length=30, blank=True)
    status = models.CharField(_("outcome"), max_length=5, choices=Status.choices, default="ok")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("processing log entry")
        verbose_name_plural = _("processing log entries")
        default_permissions = ("view",)
        permissions = [("view_all_entries", _("Can search the processing log of all parties"))]
        # The table keeps only the indexes a query uses: `started_at` (its `db_index`) for
        # the search by time and the newest-first ordering, and `organisation` (the foreign
        # key's index) for `visible_to`. Not indexed: the trace, `actor` (the search asks for
        # `actor_label`) and `activity` (six activities, the night register's holding most
        # entries: it narrows a search, it finds nothing quickly). The search by data
        # subject goes through `SubjectSpan`'s index.

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class SubjectSpan(AppendOnly):
    """One data subject of a processing: a child span of its entry (Logboek
    Dataverwerkingen gives a processing about many subjects a span per subject).

    Lean, because a province day's import writes a hundred thousand of them (ADR 0015): the
    entry, and the subject's pseudonym as 16 bytes, nothing else. Who, why, what and when
    are the entry's; the span's id is made from the row's id (`span_id`), not stored.
    Append-only, as the entries.
    """

    id = models.BigAutoField(primary_key=True)
    # The index of the foreign key serves an entry's subjects (the search shows how many);
    # its rows arrive in the entry's order, so it grows at its end. No database constraint
    # (ADR 0011): the writer takes the entry from the row it has just written.
    entry = models.ForeignKey(
        Entry,
        models.PROTECT,
        related_name="subjects",
        verbose_name=_("processing log entry"),
        db_constraint=False,
    )
    # `services.data_subject_pseudonym`: the first 16 bytes of a keyed HMAC-SHA256.
    subject = models.BinaryField(_("data subject (pseudonym)"), max_length=16)

    class Meta:
        verbose_name = _("data subject of a processing")
        verbose_name_plural = _("data subjects of processings")
        default_permissions = ("view",)
        # The search by data subject (AVG art. 15): every processing about one pseudonym.
        indexes = [models.Index(fields=["subject"], name="subject_span_subject")]

    def __str__(self) -> str:
        return self.span_id

    @property
    def span_id(self) -> str:
        """The child span's id (W3C trace context: 8 bytes, in hex), from the row's id."""
        return f"{self.pk:016x}"
