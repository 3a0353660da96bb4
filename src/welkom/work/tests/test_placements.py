from __future__ import annotations

from datetime import date, timedelta
from unittest import skipUnless

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone, translation

from welkom.housing.services import location_register
from welkom.organisations import rules as organisation_rules
from welkom.organisations.models import Organisation
from welkom.processing_log.models import Entry, SubjectSpan
from welkom.register.services import night_list_import
from welkom.testing import LogFlushAllowed, PersonaTestCase, at_once
from welkom.work import rules
from welkom.work.models import Placement
from welkom.work.placement_files import placement_file_read
from welkom.work.services import placements_import, register_import

NIGHT_HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status,employer_kvk\n"
)
HEADER = "Achternaam;Voornamen;Geboortedatum;Nationaliteit;KvK inlener;KvK uitzendbureau;Begindatum;Einddatum\n"
NIGHT = timezone.localdate() - timedelta(days=1)


def placements(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def _housed(provider) -> None:
    """Nowak's night list names the agency (44444444); Ivanov's names nobody."""
    location_register(
        provider=provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
    )
    rows = "".join(
        f"{NIGHT.isoformat()},V1,{family},Jan,1990-01-01,POL,Opole,PL,passport,none,{kvk}\n"
        for family, kvk in (("Nowak", "44444444"), ("Ivanov", ""))
    )
    night_list_import(
        provider=provider, data=(NIGHT_HEADER + rows).encode(), filename="n.csv", source="cli"
    )


class PlacementFileTests(PersonaTestCase):
    def test_every_problem_in_one_pass_with_the_file_s_column_names(self) -> None:
        with translation.override("en"):
            _placements, problems, _names = placement_file_read(
                placements(
                    ";Jan;01-01-1990;POL;33333333;;01-01-2027;",
                    "Nowak;Jan;31-02-1990;XX;3333;33333333;;",
                    "Nowak;Jan;01-01-1990;PL;33333333;;01-03-2027;01-02-2027",
                ),
                today=date(2027, 1, 1),
            )
        self.assertEqual(
            [(p.row, p.column) for p in problems],
            [
                (2, "Achternaam"),
                (3, "Nationaliteit"),
                (3, "Geboortedatum"),
                (3, "Begindatum"),
                (3, "KvK inlener"),
                (4, "Einddatum"),
            ],
        )


class PlacementImportTests(PersonaTestCase):
    """The employer (33333333) hires Nowak through the agency (44444444); Nowak's night
    list names the agency. Ivanov's names nobody here."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _housed(cls.provider)

    def send(self, data: bytes, sender=None):
        return placements_import(
            sender=sender or self.employer, data=data, filename="p.csv", source="cli"
        )

    def test_a_list_is_kept_and_the_same_list_again_changes_nothing(self) -> None:
        data = placements("Nowak;Jan;01-01-1990;PL;33333333;44444444;01-11-2026;")
        first, problems = self.send(data)
        again, _ = self.send(data)
        self.assertEqual((problems, first.status, again.status), ([], "applied", "unchanged"))
        placement = Placement.internal.get()
        self.assertEqual(
            (placement.person.family_name, placement.agency_kvk, placement.ends_on),
            ("Nowak", "44444444", None),
        )
        ended, _ = self.send(
            placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;31-12-2026")
        )
        self.assertEqual((ended.status, ended.counts["changed"]), ("applied", 1))
        self.assertEqual(Placement.internal.get().ends_on, date(2026, 12, 31))

    def test_a_person_no_list_names_with_these_kvk_numbers_is_refused(self) -> None:
        """The list cannot be used to learn whether someone is housed in Limburg."""
        for row in (
            "Ivanov;Jan;01-01-1990;POL;33333333;;01-11-2026;",  # housed, but not with them
            "Nobody;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;",  # not housed
        ):
            with self.subTest(row=row), translation.override("en"):
                record, problems = self.send(placements(row))
                self.assertEqual(record.status, "rejected")
                self.assertIn("No night list names this person", problems[0].text)
        self.assertFalse(Placement.internal.exists())

    def test_a_sender_reports_only_placements_it_is_part_of(self) -> None:
        record, problems = self.send(
            placements("Nowak;Jan;01-01-1990;POL;55555555;44444444;01-11-2026;"),
            sender=self.employer,
        )
        self.assertEqual((record.status, problems[0].column), ("rejected", "KvK inlener"))
        by_agency, problems = self.send(
            placements("Nowak;Jan;01-01-1990;POL;55555555;44444444;01-11-2026;"),
            sender=self.agency,
        )
        self.assertEqual((by_agency.status, problems), ("applied", []))

    def test_every_person_written_is_logged(self) -> None:
        self.send(placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;"))
        entry = Entry.objects.filter(activity__code="work-placements").get()
        self.assertEqual(entry.action, "create")
        self.assertEqual(SubjectSpan.objects.filter(entry=entry).count(), 1)


class HiredThroughTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _housed(cls.provider)

    def test_the_employer_sees_its_agencies_with_their_admission_and_what_it_means(self) -> None:
        register_import(
            register=rules.WTTA, data=b"kvk;naam;status\n44444444;Agency;geschorst\n",
            filename="wtta.csv", source="cli", as_of=NIGHT,
        )  # fmt: skip
        placements_import(
            sender=self.employer,
            data=placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;"),
            filename="p.csv",
            source="cli",
        )
        self.client.force_login(self.employer_manager)
        page = self.client.get(f"/en/work/workers/?night={NIGHT.isoformat()}")
        (employer,) = page.context["employers"]
        (hired,) = employer.agencies
        self.assertEqual((hired.lender.kvk_number, hired.workers), ("44444444", 1))
        self.assertEqual(hired.duty, rules.lending_duty(hired.lender.statuses, NIGHT))
        self.assertContains(page, "suspended")

    def test_the_upload_page_applies_a_list_and_refuses_a_bad_one_with_each_problem(self) -> None:
        self.client.force_login(self.employer_manager)
        good = self.client.post(
            "/en/work/placements/upload/",
            {
                "organisation": str(self.employer.pk),
                "file": SimpleUploadedFile(
                    "p.csv", placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;")
                ),
            },
        )
        self.assertRedirects(good, "/en/work/workers/", fetch_redirect_response=False)
        bad = self.client.post(
            "/en/work/placements/upload/",
            {
                "organisation": str(self.employer.pk),
                "file": SimpleUploadedFile("p.csv", placements("Nowak;Jan;x;POL;1;;;")),
            },
        )
        self.assertContains(bad, "Row 2", status_code=400)
        self.client.force_login(self.provider_manager)
        self.assertEqual(self.client.get("/en/work/placements/upload/").status_code, 403)


@skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class PlacementsAtOnceTests(LogFlushAllowed, TransactionTestCase):
    serialized_rollback = True

    def test_the_same_list_twice_at_once_is_kept_once(self) -> None:
        provider = Organisation.objects.create(
            name="Provider A", kind=organisation_rules.HOUSING_PROVIDER, kvk_number="11111111"
        )
        employer = Organisation.objects.create(
            name="Employer", kind=organisation_rules.EMPLOYER, kvk_number="33333333"
        )
        _housed(provider)
        data = placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;")
        results = at_once(
            [
                lambda: (
                    placements_import(sender=employer, data=data, filename="p.csv", source="api")[
                        0
                    ].status
                )
                for _ in range(3)
            ]
        )
        self.assertEqual(sorted(map(str, results)), ["applied", "unchanged", "unchanged"])
        self.assertEqual(Placement.internal.count(), 1)


class PlacementRetentionTests(PersonaTestCase):
    def test_a_placement_goes_with_its_person_when_retention_removes_them(self) -> None:
        from welkom.register.services.retention import purge

        _housed(self.provider)
        placements_import(
            sender=self.employer,
            data=placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;"),
            filename="p.csv",
            source="cli",
        )
        self.assertEqual(Placement.internal.count(), 1)
        purge(today=NIGHT + timedelta(days=800), months=12, dry_run=False)
        self.assertFalse(Placement.internal.exists())


class PlacementsApiTests(PersonaTestCase):
    """The API takes the same list as the page, for the token's organisation."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _housed(cls.provider)

    def post(self, organisation, data: bytes, language: str = "en"):
        from welkom.organisations.services import api_token_create

        _token, key = api_token_create(
            organisation=organisation, name="HR", created_by=self.employer_manager
        )
        return self.client.post(
            "/api/v1/placements",
            data,
            content_type="text/csv",
            HTTP_AUTHORIZATION=f"Token {key}",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    def test_a_list_applies_once_and_is_logged_for_the_organisation(self) -> None:
        data = placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;")
        first = self.post(self.employer, data)
        again = self.post(self.employer, data)
        self.assertEqual((first.status_code, first.json()["new"]), (201, 1))
        self.assertEqual((again.status_code, again.json()["status"]), (200, "unchanged"))
        entry = Entry.objects.filter(activity__code="work-placements").first()
        self.assertEqual((entry.actor_id, entry.organisation_id), (None, self.employer.pk))

    def test_problems_come_row_by_row_in_the_caller_s_language(self) -> None:
        answer = self.post(self.employer, placements("Nowak;Jan;x;POL;1;;;"), language="pl")
        self.assertEqual(answer.status_code, 422)
        problems = answer.json()["problems"]
        self.assertEqual({p["row"] for p in problems}, {2})
        self.assertEqual(answer["Content-Language"], "pl")
        self.assertFalse(Placement.internal.exists())

    def test_an_empty_body_and_a_provider_s_token_are_refused(self) -> None:
        self.assertEqual(self.post(self.employer, b"").status_code, 400)
        self.assertEqual(
            self.post(
                self.provider, placements("Nowak;Jan;01-01-1990;POL;33333333;;01-11-2026;")
            ).status_code,
            403,
        )


class TerritoryPlacementsTests(PersonaTestCase):
    """Nowak (named with the agency 44444444) is placed with the employer through the
    agency; Ivanov has no placement. Both sleep in Venlo."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _housed(cls.provider)

    def test_counts_by_agency_status_and_housing_by_the_employer(self) -> None:
        from welkom.work.selectors import placed_counts

        register_import(
            register=rules.WTTA, data=b"kvk;naam;status\n44444444;Agency;toegelaten\n",
            filename="wtta.csv", source="cli", as_of=NIGHT,
        )  # fmt: skip
        placements_import(
            sender=self.agency,
            data=placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;"),
            filename="p.csv",
            source="cli",
        )
        (venlo,) = placed_counts(night=NIGHT).values()
        self.assertEqual(
            (venlo.placed, venlo.placed_agency, venlo.placed_admitted, venlo.placed_unadmitted),
            (1, 1, 1, 0),
        )
        self.assertEqual((venlo.agencies, venlo.housed_by_employer), ({"44444444": 1}, 0))
        # Housed by the employer when the location's provider (11111111) is the hirer.
        placements_import(
            sender=self.agency,
            data=placements("Nowak;Jan;01-01-1990;POL;11111111;44444444;01-11-2026;"),
            filename="p.csv",
            source="cli",
        )
        (venlo,) = placed_counts(night=NIGHT).values()
        self.assertEqual((venlo.placed, venlo.housed_by_employer), (1, 1))
        # The night before the job started, nobody is placed.
        self.assertEqual(placed_counts(night=date(2026, 10, 31)), {})

    def test_the_municipality_sees_its_territory_only_and_others_nothing(self) -> None:
        placements_import(
            sender=self.agency,
            data=placements("Nowak;Jan;01-01-1990;POL;33333333;44444444;01-11-2026;"),
            filename="p.csv",
            source="cli",
        )
        url = f"/en/work/placements/?night={NIGHT.isoformat()}"
        self.client.force_login(self.venlo_member)
        page = self.client.get(url)
        (venlo,) = page.context["territories"]
        self.assertEqual((venlo.municipality.code, venlo.counts.placed_agency), ("GM0983", 1))
        self.assertContains(page, "44444444")
        self.client.force_login(self.horst_member)
        (horst,) = self.client.get(url).context["territories"]
        self.assertEqual((horst.counts.placed, horst.agencies), (0, []))
        for user in (self.employer_manager, self.provider_manager, self.venlo_privacy):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user.username)
