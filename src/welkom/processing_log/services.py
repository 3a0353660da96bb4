"""Writing the processing log. The only way in; nothing here changes or removes an entry."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self

from django.conf import settings
from django.utils import timezone

from welkom.lib.bulk import rows_insert
from welkom.processing_log.context import current_trace, new_span_id
from welkom.processing_log.models import Entry, ProcessingActivity, SubjectSpan

# How many bytes of the keyed hash a pseudonym keeps: 128 bits, as a UUID, unguessable and
# without collisions in any register this size, at a quarter of the digest's hex.
PSEUDONYM_BYTES = 16


class UnknownProcessingActivity(LookupError):
    pass


def data_subject_pseudonym(*, subject_type: str, subject_id: object) -> bytes:
    """A keyed HMAC of the subject's internal id: linkable within Welkom, meaningless outside."""
    return _pseudonyms(subject_type)(subject_id)


def _pseudonyms(subject_type: str) -> Callable[[object], bytes]:
    """`data_subject_pseudonym` for many subjects of one type: the first `PSEUDONYM_BYTES`
    of HMAC-SHA256 of "type:id" under the pseudonym key, in one call of the compiled
    `hmac.digest` per subject (a day's import pseudonymises a hundred thousand)."""
    key = settings.PSEUDONYM_KEY.encode()
    prefix = f"{subject_type}:"

    def pseudonym(subject_id: object) -> bytes:
        return hmac.digest(key, f"{prefix}{subject_id}".encode(), "sha256")[:PSEUDONYM_BYTES]

    return pseudonym


@dataclass(frozen=True)
class Processing:
    """Who processes personal data, for which registered activity, doing what."""

    activity: str
    action: str
    actor: object = None  # a user, or None for the system itself
    organisation: object = None
    object_type: str = ""

    @classmethod
    def by(cls, user, *, activity: str, organisation, action: str = Entry.Action.READ) -> Self:
        """A user's processing on behalf of `organisation`. The log knows no memberships:
        `organisations.selectors.processing_by` picks the organisation a user acts for."""
        return cls(activity=activity, action=action, actor=user, organisation=organisation)

    @classmethod
    def system(cls, *, activity: str, action: str = Entry.Action.READ) -> Self:
        return cls(activity=activity, action=action)


def _activity(code: str) -> ProcessingActivity:
    activity = (
        ProcessingActivity.objects.filter(code=code, active=True).order_by("-version").first()
    )
    if activity is None:
        raise UnknownProcessingActivity(
            f"No active processing activity {code!r} in the register of processing activities."
        )
    return activity


def processing_log_write(
    *,
    processing: Processing,
    subject_type: str,
    subject_ids: Iterable[object],
    object_type: str,
    status: str = Entry.Status.OK,
) -> int:
    """One entry for the processing, a child span of the current trace, with a subject span
    per data subject; the number of subjects."""
    return processing_log_write_each(
        [(processing, subject_ids)],
        subject_type=subject_type,
        object_type=object_type,
        status=status,
    )


def processing_log_write_each(
    processings: Iterable[tuple[Processing, Iterable[object]]],
    *,
    subject_type: str,
    object_type: str,
    status: str = Entry.Status.OK,
) -> int:
    """Several processings at once, each with its own data subjects (a batch of night lists,
    each from its provider): an entry per processing, a subject span per processing and
    subject, all written together; the number of subject spans. A processing of no rows at
    all is not logged; rows without a subject (values read without an id) make an entry
    without subject spans."""
    activities: dict[str, ProcessingActivity] = {}
    trace = current_trace()
    now = timezone.now()
    pseudonym = _pseudonyms(subject_type)
    entries: list[Entry] = []
    subjects_of: list[list[object]] = []
    for processing, subject_ids in processings:
        subjects = list(dict.fromkeys(subject_ids))
        if not subjects:
            continue
        if processing.activity not in activities:
            activities[processing.activity] = _activity(processing.activity)
        actor = processing.actor if getattr(processing.actor, "is_authenticated", False) else None
        entries.append(
            Entry(
                trace_id=trace.trace_id,
                span_id=new_span_id(),
                parent_span_id=trace.span_id,
                started_at=now,
                actor=actor,
                actor_label=actor.get_username() if actor else "system",
                organisation=processing.organisation,
                activity=activities[processing.activity],
                action=processing.action,
                object_type=processing.object_type or object_type,
                data_subject_type=subject_type,
                status=status,
            )
        )
        subjects_of.append(subjects)
    if not entries:
        return 0
    # A few hundred entries at most (one per list); both engines give their ids back.
    Entry.objects.bulk_create(entries)
    # Imports log hundreds of thousands of subjects a month: one array per column, not an
    # object per span (see welkom.lib.bulk).
    rows = [
        (entry.pk, pseudonym(subject))
        for entry, subjects in zip(entries, subjects_of, strict=True)
        for subject in subjects
        if subject is not None
    ]
    for start in range(0, len(rows), 50_000):
        rows_insert(SubjectSpan, ("entry", "subject"), rows[start : start + 50_000])
    return len(rows)
