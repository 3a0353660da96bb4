"""What a deployment relies on (issue 19): the health and readiness answers, a styled 503
with the emergency numbers when the database cannot be reached, a kept connection that the
database dropped opened again, and a request log line without personal data."""

from __future__ import annotations

import json
import unittest
from unittest import mock

from django.db import OperationalError, close_old_connections, connection, connections
from django.test import Client, SimpleTestCase, TestCase, TransactionTestCase

from welkom.site import health
from welkom.testing import LogFlushAllowed


class HealthTests(TestCase):
    def test_healthz_answers_without_the_database(self) -> None:
        with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
            answer = self.client.get("/healthz")
        self.assertEqual((answer.status_code, answer.json()), (200, {"process": "ok"}))
        self.assertIn("no-cache", answer["Cache-Control"])

    def test_readyz_says_what_is_missing(self) -> None:
        self.assertEqual(self.client.get("/readyz").json(), {"database": "ok", "migrations": "ok"})
        with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
            down = self.client.get("/readyz")
        self.assertEqual((down.status_code, down.json()), (503, {"database": "unreachable"}))
        with (
            mock.patch.object(health, "_migrated", False),
            mock.patch("welkom.site.health.MigrationExecutor") as executor,
        ):
            executor.return_value.migration_plan.return_value = [("register", "0099")]
            behind = self.client.get("/readyz")
        self.assertEqual(behind.status_code, 503)
        self.assertEqual(behind.json()["migrations"], "not applied")


class UnavailableTests(SimpleTestCase):
    def test_a_database_that_cannot_be_reached_gives_a_translated_503_with_the_numbers(self):
        client = Client(raise_request_exception=False)
        with (
            mock.patch("welkom.site.views.home_tasks"),
            mock.patch("welkom.site.views.render", side_effect=OperationalError("gone")),
            mock.patch("welkom.site.views.database_reachable", return_value=False),
            self.assertLogs("welkom.site.views", "ERROR"),
        ):
            answer = client.get("/pl/")
        self.assertEqual((answer.status_code, answer["Retry-After"]), (503, "60"))
        page = answer.content.decode()
        self.assertIn('lang="pl"', page)
        self.assertIn('href="tel:112"', page)
        self.assertIn("Welkom jest chwilowo niedostępny", page)

    def test_another_error_stays_a_500(self) -> None:
        client = Client(raise_request_exception=False)
        with (
            mock.patch("welkom.site.views.render", side_effect=OperationalError("no such column")),
            mock.patch("welkom.site.views.database_reachable", return_value=True),
            self.assertLogs("django.request", "ERROR"),
        ):
            answer = client.get("/")
        self.assertEqual(answer.status_code, 500)
        self.assertNotIn("tel:112", answer.content.decode())


@unittest.skipUnless(connection.vendor == "postgresql", "a server that can drop a connection")
class DroppedConnectionTests(LogFlushAllowed, TransactionTestCase):
    # Without it, the flush after this test made the content types again under new ids, and
    # the next test that restores the serialized database met them ("duplicate key").
    serialized_rollback = True

    def test_a_connection_the_database_dropped_is_opened_again(self) -> None:
        connection.ensure_connection()
        backend = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        other.close()
        close_old_connections()  # what the start of every request does
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone(), (1,))
        self.assertNotEqual(connection.connection.info.backend_pid, backend)


class RequestLogTests(TestCase):
    def test_one_line_per_request_with_the_route_not_the_path(self) -> None:
        with self.assertLogs("welkom.requests", "INFO") as logged:
            self.client.get("/api/v1/postcodes/5912AB", {"number": "37"})
        [line] = logged.records
        entry = json.loads(line.getMessage())
        self.assertEqual(entry["route"], "/api/v1/postcodes/<str:postcode>")
        self.assertEqual((entry["method"], entry["status"]), ("GET", 200))
        # Neither the postcode nor the query; the trace id is random hex, so it is left out.
        shown = json.dumps({name: value for name, value in entry.items() if name != "trace"})
        self.assertNotIn("5912", shown)
        self.assertNotIn("number", shown)
        self.assertEqual(set(entry), {"method", "route", "status", "ms", "language", "trace"})
