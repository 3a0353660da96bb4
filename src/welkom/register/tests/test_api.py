from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from welkom.housing.services import location_register
from welkom.organisations.services import api_token_create, api_token_revoke
from welkom.register.api import TooLarge, _bounded
from welkom.register.models import NightListImport, Stay
from welkom.testing import PersonaTestCase

URL = "/api/v1/night-lists"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NIGHT = timezone.localdate() - timedelta(days=1)
COLUMNS = [
    "night",
    "location_code",
    "family_name",
    "given_names",
    "date_of_birth",
    "nationality",
    "home_place",
    "home_country",
    "document_type",
]


def row(family: str = "Nowak", code: str = "V1", night: date = NIGHT) -> dict[str, str]:
    values = [night.isoformat(), code, family, "Jan", "1990-01-01", "POL", "Opole", "PL"]
    return dict(zip(COLUMNS, [*values, "passport"], strict=True))


def as_csv(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def as_xlsx(rows: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for r in rows:
        sheet.append([r[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class NightListApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        location_register(
            provider=cls.other_provider, code="O1", street="Maasweg", number="3", postcode="5912 AB"
        )
        _token, cls.key = api_token_create(
            organisation=cls.provider, name="PMS", created_by=cls.provider_manager
        )
        _token, cls.other_key = api_token_create(
            organisation=cls.other_provider, name="PMS", created_by=cls.other_provider_manager
        )

    def _post(self, data, content_type: str = "text/csv", key: str | None = None, **extra):
        return self.client.post(
            URL,
            data=data,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Token {key or self.key}",
            **extra,
        )

    def test_it_applies_a_csv_body_and_answers_201(self) -> None:
        response = self._post(as_csv([row("Nowak"), row("Popescu")]), QUERY_STRING="filename=a.csv")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["status"], "applied")
        self.assertEqual(body["counts"]["rows"], 2)
        self.assertEqual(body["counts"]["stays_opened"], 2)
        self.assertEqual(body["problems"], [])
        self.assertEqual(response["Location"], f"{URL}/{body['id']}")
        record = NightListImport.objects.get(pk=body["id"])
        self.assertEqual(
            (record.source, record.filename, record.provider, record.submitted_by),
            ("api", "a.csv", self.provider, None),
        )
        self.assertEqual(Stay.internal.filter(location__provider=self.provider).count(), 2)

    def test_it_applies_an_xlsx_body(self) -> None:
        response = self._post(as_xlsx([row()]), content_type=XLSX)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(NightListImport.objects.get().filename, "night-list.xlsx")
        self.assertEqual(Stay.internal.count(), 1)

    def test_it_applies_a_multipart_upload_of_a_token_or_a_session_user(self) -> None:
        upload = SimpleUploadedFile("nights.csv", as_csv([row("Nowak")]), content_type="text/csv")
        response = self.client.post(URL, {"file": upload}, HTTP_AUTHORIZATION=f"Token {self.key}")
        self.assertEqual(response.status_code, 201, response.content)
        self.client.force_login(self.provider_member)
        upload = SimpleUploadedFile(
            "more.csv", as_csv([row(night=NIGHT - timedelta(days=1))]), "text/csv"
        )
        response = self.client.post(URL, {"file": upload})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            set(NightListImport.objects.values_list("filename", "submitted_by")),
            {("nights.csv", None), ("more.csv", self.provider_member.pk)},
        )
        stay = Stay.internal.with_end().get()  # the two lists' nights join into one stay
        self.assertEqual(
            (stay.check_in, stay.end), (NIGHT - timedelta(days=1), timezone.localdate())
        )

    def test_it_applies_json_rows_through_the_same_reader(self) -> None:
        rows = [row("Nowak"), {**row("Kowalski, Jr."), "room": 12, "bsn": None}]
        response = self._post({"rows": rows}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["counts"]["persons"], 2)
        self.assertEqual(
            set(Stay.internal.values_list("person__family_name", "room")),
            {("Nowak", ""), ("Kowalski, Jr.", "12")},
        )

    def test_it_reports_json_rows_with_an_unknown_or_missing_column_as_problems(self) -> None:
        bad = {k: v for k, v in row().items() if k != "night"} | {"colour": "red"}
        response = self._post({"rows": [bad]}, content_type="application/json")
        self.assertEqual(response.status_code, 422, response.content)
        messages = " ".join(p["message"] for p in response.json()["problems"])
        self.assertIn("night", messages)
        self.assertIn("colour", messages)

    def test_it_refuses_json_that_is_not_rows(self) -> None:
        for body in [{"rows": []}, {"rows": [{"night": ["2026-01-01"]}]}, {"lines": []}]:
            with self.subTest(body=body):
                response = self._post(body, content_type="application/json")
                self.assertEqual(response.status_code, 400, response.content)
        response = self._post(b"{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(NightListImport.objects.count(), 0)

    def test_it_answers_200_when_the_same_list_comes_again(self) -> None:
        data = as_csv([row()])
        self.assertEqual(self._post(data).status_code, 201)
        response = self._post(data)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "unchanged")
        self.assertEqual(Stay.internal.count(), 1)

    def test_it_rejects_a_wrong_file_with_422_and_changes_nothing(self) -> None:
        self.assertEqual(self._post(as_csv([row("Nowak")])).status_code, 201)
        wrong = as_csv([row("Popescu"), {**row("Ionescu"), "date_of_birth": "31-31-1990"}])
        response = self._post(wrong, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 422, response.content)
        body = response.json()
        self.assertEqual(body["status"], "rejected")
        self.assertEqual(
            body["problems"],
            [
                {
                    "row": 3,
                    "column": "date_of_birth",
                    "value": "31-31-1990",
                    "message": "There is no month 31. Write dates day first, as dd-mm-yyyy "
                    "(or as yyyy-mm-dd).",
                }
            ],
        )
        response = self._post(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", QUERY_STRING="filename=list.pdf")
        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(
            [(p["row"], p["column"]) for p in response.json()["problems"]], [(None, None)]
        )
        self.assertIn("list.pdf", response.json()["problems"][0]["message"])
        self.assertEqual(Stay.internal.count(), 1)
        self.assertEqual(NightListImport.objects.filter(status="rejected").count(), 2)

    def test_it_translates_problems_into_the_request_language(self) -> None:
        wrong = as_csv([{**row(), "date_of_birth": "x"}])
        response = self._post(wrong, HTTP_ACCEPT_LANGUAGE="nl")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Language"], "nl")
        english = self._post(wrong, HTTP_ACCEPT_LANGUAGE="en").json()["problems"][0]["message"]
        self.assertNotEqual(response.json()["problems"][0]["message"], english)

    def test_it_rejects_another_organisations_location_code(self) -> None:
        response = self._post(as_csv([row(code="O1")]), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 422, response.content)
        problem = response.json()["problems"][0]
        self.assertEqual(
            (problem["row"], problem["column"], problem["value"]), (2, "location_code", "O1")
        )
        self.assertEqual(problem["message"], "Location code O1 is not one of your locations.")
        self.assertEqual(Stay.internal.count(), 0)

    def test_it_refuses_an_empty_body_and_an_unknown_content_type(self) -> None:
        self.assertEqual(self._post(b"").status_code, 400)
        self.assertEqual(self._post(b"a,b", content_type="text/html").status_code, 415)
        self.assertEqual(NightListImport.objects.count(), 0)

    @override_settings(UPLOAD_MAX_MB=0)
    def test_it_refuses_a_body_over_the_limit_with_413(self) -> None:
        for content_type, data in [
            ("text/csv", as_csv([row()])),
            ("application/json", {"rows": [row()]}),
        ]:
            with self.subTest(content_type=content_type):
                response = self._post(data, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")
                self.assertEqual(response.status_code, 413)
                self.assertIn("0 MB", response.json()["detail"])
        self.assertEqual(NightListImport.objects.count(), 0)

    def test_it_stops_reading_a_body_without_a_length_at_the_limit(self) -> None:
        self.assertEqual(_bounded(iter([b"ab", b"cd"]), 4), b"abcd")
        with self.assertRaises(TooLarge):
            _bounded(iter([b"ab", b"cd", b"e"]), 4)

    def test_it_refuses_callers_without_a_valid_token(self) -> None:
        token, key = api_token_create(
            organisation=self.provider, name="old", created_by=self.provider_manager
        )
        api_token_revoke(token=token)
        data = as_csv([row()])
        self.assertEqual(self.client.post(URL, data=data, content_type="text/csv").status_code, 401)
        self.assertEqual(self._post(data, key=key).status_code, 401)
        self.assertEqual(NightListImport.objects.count(), 0)

    def test_it_refuses_an_organisation_without_the_permission(self) -> None:
        _token, key = api_token_create(
            organisation=self.employer, name="HR", created_by=self.employer_manager
        )
        self.assertEqual(self._post(as_csv([row()]), key=key).status_code, 403)
        self.assertEqual(
            self.client.get(f"{URL}/1", HTTP_AUTHORIZATION=f"Token {key}").status_code, 403
        )
        self.client.force_login(self.venlo_member)
        self.assertEqual(self.client.post(URL, data=b"x", content_type="text/csv").status_code, 403)
        self.assertEqual(NightListImport.objects.count(), 0)

    def test_it_shows_an_earlier_submission_to_its_own_provider_only(self) -> None:
        submitted = self._post(as_csv([{**row(), "date_of_birth": "x"}])).json()
        response = self.client.get(
            f"{URL}/{submitted['id']}",
            HTTP_AUTHORIZATION=f"Token {self.key}",
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), submitted)
        other = self.client.get(
            f"{URL}/{submitted['id']}", HTTP_AUTHORIZATION=f"Token {self.other_key}"
        )
        self.assertEqual(other.status_code, 404)

    def test_it_is_in_the_openapi_document(self) -> None:
        response = self.client.get("/api/v1/schema")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"/api/v1/night-lists:", response.content)
        self.assertIn(b"/api/v1/night-lists/{import_id}:", response.content)
