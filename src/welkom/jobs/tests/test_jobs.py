"""The nightly jobs' scheduler (issue 19): every job runs once a day, one missed while the
scheduler was down runs when it starts, a failure is kept and tried again an hour later,
and every run is on record for the platform administrator."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from welkom.jobs.models import JobRun
from welkom.jobs.services import job_run, jobs_due, last_due, nightly_jobs
from welkom.testing import PersonaTestCase

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AT = time(2, 30)
NAMES = ["purge", "registration_signals", "placement_counts", "refresh_monitor", "send_digests"]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=AMSTERDAM)


class RunJobsTests(PersonaTestCase):
    def test_once_runs_every_job_for_real_and_keeps_each_run(self) -> None:
        call_command("run_jobs", "--once", stdout=mock.MagicMock())
        runs = list(JobRun.objects.order_by("started_at"))
        self.assertEqual([run.job for run in runs], NAMES)
        self.assertEqual({run.outcome for run in runs}, {"ok"})
        self.assertIn("persons", runs[0].summary)  # what purge printed: counts, no names
        self.assertTrue(all(run.finished_at >= run.started_at for run in runs))

    def test_a_failing_job_is_kept_with_why_and_the_next_one_still_runs(self) -> None:
        real = call_command

        def failing(name, *args, **kwargs):
            if name == "registration_signals":
                raise RuntimeError("the BRP link is down")
            return real(name, *args, **kwargs)

        with (
            mock.patch("welkom.jobs.services.call_command", side_effect=failing),
            self.assertLogs("welkom.jobs.services", "ERROR"),
        ):
            runs = [job_run(job) for job in nightly_jobs()]
        self.assertEqual([run.outcome for run in runs], ["ok", "failed", "ok", "ok", "ok"])
        self.assertEqual(runs[1].summary, "RuntimeError: the BRP link is down")

    def test_the_admin_shows_the_runs_to_the_platform_administrator(self) -> None:
        job_run(nightly_jobs()[0])
        admin = get_user_model().objects.create_superuser("beheer", "beheer@example.test", "x")
        self.client.force_login(admin)
        page = self.client.get("/admin/jobs/jobrun/")
        self.assertContains(page, "purge")


class DueTests(TestCase):
    def run_at(self, job: str, when: datetime, outcome: str = "ok") -> None:
        JobRun.objects.create(job=job, started_at=when, finished_at=when, outcome=outcome)

    def names(self, now: datetime) -> list[str]:
        return [job.name for job in jobs_due(now, AT)]

    def test_last_due_is_today_after_the_time_and_yesterday_before_it(self) -> None:
        self.assertEqual(last_due(local(7, 3), AT), local(7, 2, 30))
        self.assertEqual(last_due(local(7, 1), AT), local(6, 2, 30))

    def test_each_job_runs_once_after_it_is_due(self) -> None:
        for name in NAMES:
            self.run_at(name, local(6, 2, 31))
        self.assertEqual(self.names(local(7, 1)), [])  # done for the night of the 6th
        self.assertEqual(self.names(local(7, 2, 30)), NAMES)  # due again
        for name in NAMES:
            self.run_at(name, local(7, 2, 31))
        self.assertEqual(self.names(local(7, 23)), [])

    def test_a_scheduler_that_was_down_catches_up_when_it_starts(self) -> None:
        for name in NAMES:
            self.run_at(name, local(5, 2, 31))
        self.assertEqual(self.names(local(7, 10)), NAMES)

    def test_a_failed_job_is_tried_again_an_hour_later_not_at_once(self) -> None:
        for name in NAMES[1:]:
            self.run_at(name, local(7, 2, 31))
        self.run_at("purge", local(7, 2, 30), outcome="failed")
        self.assertEqual(self.names(local(7, 3)), [])
        self.assertEqual(self.names(local(7, 3, 31)), ["purge"])
        # One that is running (or was killed while running) is not started again that day.
        self.run_at("purge", local(7, 3, 31), outcome="running")
        self.assertEqual(self.names(local(7, 23)), [])
        self.assertEqual(self.names(local(8, 2, 30) + timedelta(minutes=1)), NAMES)
