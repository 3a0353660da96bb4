"""The nightly jobs, in the order they run, and running one with a record of how it went.

Every job is a management command that is safe to run as often as wanted (each says so in
its help), so a run repeated after a crash or by a second scheduler does no harm."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from welkom.jobs.models import JobRun

logger = logging.getLogger(__name__)
SUMMARY_CHARACTERS = 2000
# A job that failed is tried again after this long, not at every look of the scheduler.
RETRY_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    options: dict = field(default_factory=dict)


def nightly_jobs() -> list[Job]:
    return [
        # Old personal data goes first, so nothing after it works on what should be gone.
        Job("purge", "purge"),
        # Duties that arise because time passes (the 123rd night, a deadline).
        Job("registration_signals", "registration_signals"),
        # The placements' counts, which the monitor reads next.
        Job("placement_counts", "placement_counts"),
        Job("refresh_monitor", "refresh_monitor"),
        # Last: the digests count the signals the jobs above opened.
        Job("send_digests", "send_digests"),
    ]


def job_run(job: Job) -> JobRun:
    """Run `job` and keep its run: what it printed, or why it failed. A failure is logged and
    recorded, not raised, so the next job still runs."""
    run = JobRun.objects.create(
        job=job.name, started_at=timezone.now(), outcome=JobRun.Outcome.RUNNING
    )
    out = io.StringIO()
    try:
        call_command(job.command, stdout=out, **job.options)
    except Exception as error:
        logger.exception("job %s failed", job.name)
        run.outcome = JobRun.Outcome.FAILED
        run.summary = f"{type(error).__name__}: {error}"[:SUMMARY_CHARACTERS]
    else:
        run.outcome = JobRun.Outcome.OK
        run.summary = out.getvalue().strip()[:SUMMARY_CHARACTERS]
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "summary", "finished_at"])
    return run


def last_due(now: datetime, at: time) -> datetime:
    """The most recent moment, at or before `now`, at which the nightly jobs were due."""
    today = timezone.make_aware(datetime.combine(now.date(), at), now.tzinfo)
    return today if today <= now else today - timedelta(days=1)


def jobs_due(now: datetime, at: time) -> list[Job]:
    """The jobs that have not run since they were last due: all of them at `at`, and after a
    scheduler that was down at that time, the ones it missed. A failed one is due again
    `RETRY_AFTER` later; one running (or killed while running) is not due again that day."""
    since = last_due(now, at)
    done = set(
        JobRun.objects.filter(started_at__gte=since)
        .filter(
            Q(outcome__in=[JobRun.Outcome.OK, JobRun.Outcome.RUNNING])
            | Q(started_at__gte=now - RETRY_AFTER)
        )
        .values_list("job", flat=True)
    )
    return [job for job in nightly_jobs() if job.name not in done]
