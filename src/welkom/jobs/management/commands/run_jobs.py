from __future__ import annotations

import signal
import time as clock
from datetime import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from welkom.jobs.services import job_run, jobs_due, nightly_jobs


class Command(BaseCommand):
    help = (
        "The scheduler of the nightly jobs (purge, registration_signals, refresh_monitor, "
        "send_digests): runs them one after another every day at WELKOM_JOBS_AT (local time, "
        "default 02:30), and at start any that have not run since they were last due. Each "
        "run is kept (the admin's Job runs). --once runs every job now and stops. Run one "
        "scheduler per database; a second one repeats jobs, which is harmless."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job now, then stop.")

    def handle(self, *args, once: bool, **options) -> None:
        if once:
            runs = [job_run(job) for job in nightly_jobs()]
            for run in runs:
                self.stdout.write(f"{run.job}: {run.outcome}")
            if any(run.outcome != "ok" for run in runs):
                raise CommandError("A job failed; its run says why.")
            return
        at = time.fromisoformat(settings.JOBS_AT)
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"Running the nightly jobs every day at {at:%H:%M}.")
        while not stopping:
            for job in jobs_due(timezone.localtime(), at):
                if stopping:
                    break
                run = job_run(job)
                self.stdout.write(f"{run.job}: {run.outcome}")
            for _ in range(settings.JOBS_POLL_SECONDS):  # a second at a time: SIGTERM stops it
                if stopping:
                    break
                clock.sleep(1)
        self.stdout.write("Stopped.")
