from __future__ import annotations

import unittest
from datetime import date, timedelta

from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from welkom.testing import LogFlushAllowed, at_once
from welkom.work import rules
from welkom.work.models import RegisterImport, StatusRecord
from welkom.work.services import register_import

TODAY = timezone.localdate()


def export(*rows: str) -> bytes:
    return ("kvk;naam;status;sinds;tot\n" + "".join(f"{row}\n" for row in rows)).encode()


def imported(data: bytes, as_of: date, register: str = rules.WTTA):
    return register_import(
        register=register, data=data, filename="wtta.csv", source="cli", as_of=as_of
    )


class RegisterImportTests(TestCase):
    def test_the_same_export_twice_changes_nothing(self) -> None:
        data = export("12345678;Flex;toegelaten;;", "87654321;Zuid;geschorst;;")
        first, _ = imported(data, TODAY - timedelta(days=7))
        again, _ = imported(data, TODAY - timedelta(days=7))
        later, _ = imported(data, TODAY)
        self.assertEqual(
            [first.status, again.status, later.status], ["applied", "unchanged", "unchanged"]
        )
        self.assertEqual(StatusRecord.objects.count(), 2)
        self.assertEqual(
            set(StatusRecord.objects.values_list("as_of", "confirmed_as_of")),
            {(TODAY - timedelta(days=7), TODAY)},
        )

    def test_a_change_of_status_is_kept_as_history(self) -> None:
        imported(export("12345678;Flex;toegelaten;;"), TODAY - timedelta(days=30))
        record, _ = imported(export("12345678;Flex;ingetrokken;;"), TODAY)
        self.assertEqual(record.counts["changed"], 1)
        self.assertEqual(
            list(StatusRecord.objects.order_by("as_of").values_list("status", flat=True)),
            [rules.ADMITTED, rules.WITHDRAWN],
        )

    def test_a_lender_no_longer_listed_is_recorded_so(self) -> None:
        imported(
            export("12345678;Flex;toegelaten;;", "87654321;Zuid;toegelaten;;"),
            TODAY - timedelta(days=1),
        )
        record, _ = imported(export("12345678;Flex;toegelaten;;"), TODAY)
        self.assertEqual((record.counts["no_longer_listed"], record.status), (1, "applied"))
        latest = StatusRecord.objects.filter(kvk_number="87654321").latest("as_of")
        self.assertEqual((latest.status, latest.name), (rules.NOT_LISTED, "Zuid"))
        again, _ = imported(export("12345678;Flex;toegelaten;;"), TODAY)
        self.assertEqual(again.status, "unchanged")

    def test_a_corrected_export_of_the_same_date_replaces_what_it_said(self) -> None:
        imported(export("12345678;Flex;toegelaten;;"), TODAY)
        imported(export("12345678;Flex;geschorst;;"), TODAY)
        self.assertEqual(
            list(StatusRecord.objects.values_list("status", flat=True)), [rules.SUSPENDED]
        )

    def test_a_file_with_a_problem_stores_no_status_but_keeps_its_record(self) -> None:
        imported(export("12345678;Flex;toegelaten;;"), TODAY - timedelta(days=1))
        record, problems = imported(
            export("12345678;Flex;ingetrokken;;", "123;Broken;toegelaten;;"), TODAY
        )
        self.assertEqual((record.status, len(problems)), ("rejected", 1))
        self.assertEqual(list(StatusRecord.objects.values_list("status", flat=True)), ["admitted"])
        kept = RegisterImport.objects.get(pk=record.pk)
        self.assertTrue(kept.raw.storage.exists(kept.raw.name))
        self.assertEqual(kept.filename, "wtta.csv")

    def test_an_export_older_than_the_newest_is_refused(self) -> None:
        imported(export("12345678;Flex;toegelaten;;"), TODAY)
        record, problems = imported(
            export("12345678;Flex;ingetrokken;;"), TODAY - timedelta(days=1)
        )
        self.assertEqual((record.status, len(problems)), ("rejected", 1))
        self.assertEqual(StatusRecord.objects.count(), 1)

    def test_a_date_ahead_is_refused(self) -> None:
        _record, problems = imported(
            export("12345678;Flex;toegelaten;;"), TODAY + timedelta(days=1)
        )
        self.assertEqual(len(problems), 1)
        self.assertFalse(StatusRecord.objects.exists())

    def test_the_registers_keep_their_own_histories(self) -> None:
        imported(export("12345678;Flex;toegelaten;;"), TODAY, rules.WTTA)
        record, _ = imported(export("87654321;Zuid;gecertificeerd;;"), TODAY, rules.SNA)
        self.assertEqual(record.counts["no_longer_listed"], 0)
        self.assertEqual(
            sorted(StatusRecord.objects.values_list("register", "kvk_number")),
            [(rules.SNA, "87654321"), (rules.WTTA, "12345678")],
        )


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class RegisterImportsAtOnceTests(LogFlushAllowed, TransactionTestCase):
    serialized_rollback = True

    def test_two_exports_at_once_give_one_history(self) -> None:
        first = export("12345678;Flex;toegelaten;;", "87654321;Zuid;toegelaten;;")
        second = export("12345678;Flex;geschorst;;")
        results = at_once(
            [
                lambda: imported(first, TODAY)[0].status,
                lambda: imported(second, TODAY)[0].status,
                lambda: imported(first, TODAY)[0].status,
            ]
        )
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        # One record per lender and export date, whatever the order: the unique constraint
        # held and no import saw another's half-written history.
        self.assertEqual(
            StatusRecord.objects.filter(as_of=TODAY).count(),
            StatusRecord.objects.values("kvk_number").distinct().count(),
        )
        self.assertEqual(RegisterImport.objects.count(), 3)
