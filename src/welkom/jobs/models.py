"""Each run of a nightly job, kept so the platform administrator sees when each job last ran
and how it ended (the admin's "Job runs")."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    class Outcome(models.TextChoices):
        RUNNING = "running", "running"
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    job = models.CharField(max_length=50)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # What the job printed (counts, never names), or the error's kind and message.
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobs_run_job_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
