from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from welkom.organisations.selectors import organisations_where
from welkom.processing_log.models import Entry, SubjectSpan
from welkom.processing_log.services import data_subject_pseudonym


def entries_visible_to(user) -> QuerySet[Entry]:
    """The province's privacy officer sees every entry; another organisation's
    privacy officer sees the entries of its own users."""
    if not user.is_authenticated or not user.is_active:
        return Entry.objects.none()
    if user.has_perm("processing_log.view_all_entries"):
        return Entry.objects.all()
    own = organisations_where(user, "processing_log.view_entry")
    return Entry.objects.filter(organisation__in=own)


def entries_search(*, user, criteria: dict) -> QuerySet[Entry]:
    """Entries the user may see, filtered by the search form's cleaned criteria."""
    entries = entries_visible_to(user).select_related("activity", "organisation")
    if criteria.get("date_from"):
        entries = entries.filter(
            started_at__gte=timezone.make_aware(datetime.combine(criteria["date_from"], time.min))
        )
    if criteria.get("date_until"):
        end = datetime.combine(criteria["date_until"] + timedelta(days=1), time.min)
        entries = entries.filter(started_at__lt=timezone.make_aware(end))
    if criteria.get("activity"):
        entries = entries.filter(activity__code=criteria["activity"].code)
    if criteria.get("action"):
        entries = entries.filter(action=criteria["action"])
    if criteria.get("actor"):
        entries = entries.filter(actor_label__iexact=criteria["actor"].strip())
    if criteria.get("subject_id"):
        pseudonym = data_subject_pseudonym(
            subject_type=criteria.get("subject_type") or "person",
            subject_id=criteria["subject_id"].strip(),
        )
        entries = entries.filter(
            data_subject_type=criteria.get("subject_type") or "person",
            pk__in=SubjectSpan.objects.filter(subject=pseudonym).values("entry_id"),
        )
    return entries


def subjects_counted(entries: list[Entry]) -> list[Entry]:
    """The entries (a page of a search), each with `subjects_count`: how many data subjects
    it processed. One query for the page, never a count over the whole log."""
    counts = dict(
        SubjectSpan.objects.filter(entry__in=[entry.pk for entry in entries])
        .order_by()
        .values("entry")
        .annotate(n=Count("id"))
        .values_list("entry", "n")
    )
    for entry in entries:
        entry.subjects_count = counts.get(entry.pk, 0)
    return entries
