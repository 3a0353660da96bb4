from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone, translation

from welkom.testing import PersonaTestCase
from welkom.work import rules
from welkom.work.models import StatusRecord
from welkom.work.services import register_import

TODAY = timezone.localdate()
WTTA = (
    "KvK-nummer;Naam;Status;Datum toelating\n"
    "44444444;Agency;toegelaten;01-12-2026\n"
    "90000012;Flexwerk Zuid B.V.;geschorst;\n"
)


class AgencyCheckTests(PersonaTestCase):
    def setUp(self) -> None:
        register_import(
            register=rules.WTTA,
            data=WTTA.encode(),
            filename="wtta.csv",
            source="cli",
            as_of=TODAY - timedelta(days=2),
        )

    def test_a_visitor_finds_an_agency_by_kvk_number_or_name_in_every_language(self) -> None:
        for language in ("nl", "en", "pl", "ro", "bg"):
            prefix = "" if language == "nl" else f"/{language}"  # Dutch has no prefix
            with self.subTest(language=language):
                by_number = self.client.get(f"{prefix}/work/agency-check/?q=9000 0012")
                by_name = self.client.get(f"{prefix}/work/agency-check/?q=flexwerk")
                for response in (by_number, by_name):
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Flexwerk Zuid B.V.")
                    self.assertContains(response, "90000012")
                    self.assertEqual(response["Content-Language"], language)

    def test_it_says_the_copy_s_date_and_when_it_is_stale(self) -> None:
        with translation.override("en"):
            page = self.client.get("/en/work/agency-check/?q=Agency")
            self.assertContains(page, "admitted or certified")
            self.assertNotContains(page, "may be out of date")
            with override_settings(AGENCY_REGISTER_STALE_DAYS=1):
                stale = self.client.get("/en/work/agency-check/?q=Agency&stale=1")
            self.assertContains(stale, "may be out of date")

    def test_a_kept_page_shows_a_new_export_at_once(self) -> None:
        first = self.client.get("/en/work/agency-check/?q=90000012")
        self.assertContains(first, "suspended")
        with self.captureOnCommitCallbacks(execute=True):
            register_import(
                register=rules.WTTA,
                data=WTTA.replace("geschorst", "ingetrokken").encode(),
                filename="wtta.csv",
                source="cli",
                as_of=TODAY,
            )
        again = self.client.get("/en/work/agency-check/?q=90000012")
        self.assertContains(again, "withdrawn")

    def test_an_unknown_agency_is_said_to_be_not_listed(self) -> None:
        page = self.client.get("/en/work/agency-check/?q=Nobody+Uitzend")
        self.assertContains(page, "does not list this agency")

    def test_a_question_too_short_is_a_clear_error_not_a_search(self) -> None:
        page = self.client.get("/pl/work/agency-check/?q=ab")
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "utrecht-form-field-error-message", status_code=400)

    def test_what_a_status_means_follows_the_date(self) -> None:
        with translation.override("en"):
            page = self.client.get("/en/work/agency-check/?q=90000012")
        if TODAY < rules.WTTA_ADMISSION_REQUIRED:
            self.assertContains(page, "needs no admission")
        elif TODAY < rules.WTTA_ENFORCED:
            self.assertContains(page, "may not lend workers. From")
        else:
            self.assertContains(page, "fines agencies without admission")


class LenderPagesTests(PersonaTestCase):
    def setUp(self) -> None:
        register_import(
            register=rules.WTTA, data=WTTA.encode(), filename="wtta.csv", source="cli",
            as_of=TODAY,
        )  # fmt: skip

    def test_who_hires_lends_houses_or_enforces_sees_the_lenders(self) -> None:
        for user in (
            self.employer_manager,
            self.agency_manager,
            self.venlo_member,
            self.province_member,
            self.partner_member,
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get("/en/work/lenders/")
                self.assertContains(page, "Flexwerk Zuid B.V.")
                detail = self.client.get("/en/work/lenders/90000012/")
                self.assertContains(detail, '<h1 class="utrecht-heading-1">Flexwerk Zuid B.V.</h1>')

    def test_thousands_of_lenders_come_fifty_to_a_page(self) -> None:
        rows = "".join(f"{80000000 + n};Lender {n:03d} B.V.;gecertificeerd\n" for n in range(60))
        register_import(
            register=rules.SNA, data=f"kvk;naam;status\n{rows}".encode(), filename="sna.csv",
            source="cli", as_of=TODAY,
        )  # fmt: skip
        self.client.force_login(self.employer_manager)
        first = self.client.get("/en/work/lenders/")
        last = self.client.get("/en/work/lenders/?page=2")
        self.assertEqual(first.context["page"].paginator.count, 62)  # and the Wtta export's two
        self.assertEqual(len(first.context["page"]), 50)
        self.assertEqual(len(last.context["page"]), 12)
        self.assertContains(first, "Page 1 of 2")

    def test_others_do_not(self) -> None:
        for user in (self.provider_member, self.venlo_privacy, self.outsider):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/work/lenders/").status_code, 403)

    def test_a_lender_nobody_knows_is_not_found(self) -> None:
        self.client.force_login(self.employer_manager)
        for kvk in ("12121212", "not-a-number"):
            self.assertEqual(self.client.get(f"/en/work/lenders/{kvk}/").status_code, 404)

    def test_an_agency_of_welkom_no_register_lists_shows_as_not_listed(self) -> None:
        StatusRecord.objects.filter(kvk_number="44444444").delete()
        self.client.force_login(self.employer_manager)
        page = self.client.get("/en/work/lenders/44444444/")
        self.assertContains(page, "No register lists this agency.")

    def test_only_the_province_imports_an_export(self) -> None:
        self.client.force_login(self.employer_manager)
        self.assertEqual(self.client.get("/en/work/lenders/import/").status_code, 403)
        self.client.force_login(self.province_member)
        data = WTTA.replace("geschorst", "ingetrokken").encode()
        response = self.client.post(
            "/en/work/lenders/import/",
            {
                "register": rules.WTTA,
                "as_of": TODAY.strftime("%d-%m-%Y"),
                "file": SimpleUploadedFile("wtta.csv", data),
            },
        )
        self.assertRedirects(response, "/en/work/lenders/", fetch_redirect_response=False)
        latest = StatusRecord.objects.filter(kvk_number="90000012").latest("pk")
        self.assertEqual(latest.status, rules.WITHDRAWN)

    def test_an_export_with_problems_is_refused_on_the_page_with_each_problem(self) -> None:
        self.client.force_login(self.province_member)
        response = self.client.post(
            "/en/work/lenders/import/",
            {
                "register": rules.SNA,
                "as_of": TODAY.strftime("%d-%m-%Y"),
                "file": SimpleUploadedFile("sna.csv", b"kvk;naam;status\n123;X;misschien\n"),
            },
        )
        self.assertContains(response, "Row 2", status_code=400)
        self.assertContains(response, "8 digits", status_code=400)
        self.assertFalse(StatusRecord.objects.filter(register=rules.SNA).exists())


class ImportCommandTests(PersonaTestCase):
    def test_it_imports_and_says_so_in_json(self) -> None:
        import json
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "wtta.csv"
            path.write_text(WTTA, encoding="utf-8")
            out = StringIO()
            call_command(
                "import_agency_register", str(path), register="wtta", json=True, stdout=out
            )
            summary = json.loads(out.getvalue())
            self.assertEqual((summary["status"], summary["new"]), ("applied", 2))
            path.write_text("kvk;naam;status\n1;X;toegelaten\n", encoding="utf-8")
            with translation.override("nl"), self.assertRaises(CommandError):
                call_command(
                    "import_agency_register", str(path), register="wtta", stdout=StringIO()
                )
            with self.assertRaises(CommandError):
                call_command(
                    "import_agency_register", str(path), register="wtta", as_of="31-02-2027",
                    stdout=StringIO(),
                )  # fmt: skip
