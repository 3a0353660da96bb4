from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command

from welkom.housing.services import location_register
from welkom.processing_log.models import Entry
from welkom.register.models import DeletionRecord, NightListImport, Occupancy, Person, Stay
from welkom.register.services import night_list_import, purge
from welkom.register.services.retention import retention_cutoff
from welkom.testing import PersonaTestCase

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type\n"
)


def rows(name: str, first: date, nights: int) -> str:
    return "".join(
        f"{(first + timedelta(days=d)).isoformat()},V1,{name},Jan,1990-01-01,POL,Opole,PL,passport\n"
        for d in range(nights)
    )


class RetentionCutoffTests(PersonaTestCase):
    def test_it_goes_back_whole_months(self) -> None:
        self.assertEqual(retention_cutoff(today=date(2026, 11, 28), months=12), date(2025, 11, 28))
        self.assertEqual(retention_cutoff(today=date(2026, 3, 31), months=1), date(2026, 2, 28))


class PurgeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912AB"
        )

    def setUp(self) -> None:
        data = (
            HEADER + rows("Old", date(2025, 9, 1), 10) + rows("Recent", date(2026, 10, 1), 10)
        ).encode()
        record, _summary = night_list_import(
            provider=self.provider,
            data=data,
            filename="n.csv",
            source=NightListImport.Source.CLI,
            today=date(2026, 11, 1),
        )
        NightListImport.objects.filter(pk=record.pk).update(created_at="2025-09-15T12:00:00Z")

    def test_it_removes_persons_whose_last_stay_ended_before_the_cutoff(self) -> None:
        result = purge(today=date(2026, 11, 28), months=12)
        self.assertEqual(list(Person.internal.values_list("family_name", flat=True)), ["Recent"])
        self.assertEqual((result.persons, result.stays, result.raw_files), (1, 1, 1))
        self.assertEqual(Stay.internal.count(), 1)
        self.assertEqual(Occupancy.objects.count(), 20)  # aggregates stay
        record = DeletionRecord.objects.get()
        self.assertEqual((record.persons, record.cutoff), (1, date(2025, 11, 28)))
        self.assertEqual(
            Entry.objects.filter(activity__code="retention", action="delete").count(), 1
        )
        self.assertFalse(NightListImport.objects.get().raw)

    def test_it_is_safe_to_run_again(self) -> None:
        purge(today=date(2026, 11, 28), months=12)
        second = purge(today=date(2026, 11, 28), months=12)
        self.assertEqual((second.persons, second.raw_files), (0, 0))
        self.assertEqual(Person.internal.count(), 1)

    def test_it_removes_nothing_in_a_dry_run(self) -> None:
        output = StringIO()
        call_command("purge", "--dry-run", "--months", "12", stdout=output)
        self.assertIn("Would remove 1 persons", output.getvalue())
        self.assertEqual(Person.internal.count(), 2)
        self.assertFalse(DeletionRecord.objects.exists())
