"""Retention: personal data goes a fixed time after the last stay; aggregates stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.models import DeletionRecord, NightListImport, Person, Signal, Stay

RETENTION = "retention"


@dataclass(frozen=True)
class PurgeResult:
    cutoff: date
    persons: int
    stays: int
    signals: int
    raw_files: int
    dry_run: bool


def retention_cutoff(*, today: date, months: int) -> date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge(
    *, today: date | None = None, months: int | None = None, dry_run: bool = False
) -> PurgeResult:
    """Remove persons whose last stay ended before the cutoff (with their stays and signals),
    and raw night-list files received before it. Writes a deletion record; safe to run daily."""
    today = today or timezone.localdate()
    months = settings.RETENTION_MONTHS if months is None else months
    cutoff = retention_cutoff(today=today, months=months)
    # Whoever still has a stay ending on or after the cutoff (an open stay runs until its
    # location's last listed night) is kept; so is a new person without stays.
    current = Stay.internal.ending_after(cutoff - timedelta(days=1)).values("person_id")
    expired = (
        Person.internal.exclude(pk__in=current)
        .filter(Q(stays__isnull=False) | Q(created_at__date__lt=cutoff))
        .values_list("pk", flat=True)
        .distinct()
    )
    person_ids = list(expired)
    stays = Stay.internal.filter(person_id__in=person_ids)
    signals = Signal.internal.filter(person_id__in=person_ids)
    imports = NightListImport.objects.filter(created_at__date__lt=cutoff).exclude(raw="")
    counts = {"stays": stays.count(), "signals": signals.count(), "raw_files": imports.count()}
    if dry_run:
        return PurgeResult(cutoff, len(person_ids), dry_run=True, **counts)
    with transaction.atomic():
        processing_log_write(
            processing=Processing.system(activity=RETENTION, action=Entry.Action.DELETE),
            subject_type="person",
            subject_ids=person_ids,
            object_type="person",
        )
        for batch_start in range(0, len(person_ids), 5000):
            Person.internal.filter(pk__in=person_ids[batch_start : batch_start + 5000]).delete()
        for record in imports:
            record.raw.delete(save=False)
            record.raw = ""
            record.save(update_fields=["raw"])
        DeletionRecord.objects.create(cutoff=cutoff, persons=len(person_ids), **counts)
    return PurgeResult(cutoff, len(person_ids), dry_run=False, **counts)
