"""Writing the processing log. The only way in; nothing here changes or removes an entry."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self

from django.conf import settings
from django.utils import timezone

from welkom.lib.bulk import rows_insert
from welkom.processing_log.context import current_trace, new_span_ids
from welkom.processing_log.models import Entry, ProcessingActivity

ENTRY_COLUMNS = (
    "trace_id",
    "span_id",
    "parent_span_id",
    "started_at",
    "actor",
    "actor_label",
    "organisation",
    "activity",
    "action",
    "object_type",
    "data_subject_type",
    "data_subject_id",
    "status",
)


class UnknownProcessingActivity(LookupError):
    pass


def data_subject_pseudonym(*, subject_type: str, subject_id: object) -> str:
    """A keyed HMAC of the subject's internal id: linkable within Welkom, meaningless outside."""
    return _pseudonyms(subject_type)(subject_id)


def _pseudonyms(subject_type: str) -> Callable[[object], str]:
    """`data_subject_pseudonym` for many subjects of one type: HMAC-SHA256 of
    "type:id" under the pseudonym key, in one call of the compiled `hmac.digest` per
    subject (a day's import pseudonymises a hundred thousand)."""
    key = settings.PSEUDONYM_KEY.encode()
    prefix = f"{subject_type}:"

    def pseudonym(subject_id: object) -> str:
        return hmac.digest(key, f"{prefix}{subject_id}".encode(), "sha256").hex()

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
    """One entry per data subject, each its own child span of the current trace."""
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
    each from its provider): one entry per processing and subject, all written together."""
    activities: dict[str, ProcessingActivity] = {}
    trace = current_trace()
    now = timezone.now()
    pseudonym = _pseudonyms(subject_type)
    rows = []
    for processing, subject_ids in processings:
        if processing.activity not in activities:
            activities[processing.activity] = _activity(processing.activity)
        activity = activities[processing.activity]
        actor = processing.actor if getattr(processing.actor, "is_authenticated", False) else None
        # The columns every entry of this processing shares after its own span id.
        shared = (
            trace.span_id,
            now,
            actor.pk if actor else None,
            actor.get_username() if actor else "system",
            processing.organisation.pk if processing.organisation else None,
            activity.pk,
            processing.action,
            processing.object_type or object_type,
            subject_type,
        )
        subjects = list(dict.fromkeys(subject_ids))
        for subject_id, span_id in zip(subjects, new_span_ids(len(subjects)), strict=True):
            subject = pseudonym(subject_id) if subject_id is not None else ""
            rows.append((trace.trace_id, span_id, *shared, subject, status))
    # Imports log hundreds of thousands of subjects a month: one array per column, not an
    # object per entry (see welkom.lib.bulk).
    for start in range(0, len(rows), 20_000):
        rows_insert(Entry, ENTRY_COLUMNS, rows[start : start + 20_000])
    return len(rows)
