"""The API against its own OpenAPI document (issue 18): schemathesis generates requests from
the document, valid and invalid, and every answer must be no server error, a documented
status code and content type, and match its documented schema. Bounded: a few dozen
examples per operation, so that CI stays well within its time."""

from __future__ import annotations

from unittest import mock

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from welkom.housing.services import location_register
from welkom.lib.locks import Busy
from welkom.organisations.services import api_token_create
from welkom.testing import PersonaTestCase

EXAMPLES = 30


class ApiSchemaTests(PersonaTestCase):
    def test_every_answer_is_as_documented(self) -> None:
        location_register(
            provider=self.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        _token, key = api_token_create(
            organisation=self.provider, name="PMS", created_by=self.provider_manager
        )
        # As Django's test client does: the app called through WSGI must not close the test's
        # connection at the end of each request (PostgreSQL would lose the test's
        # transaction, and with it the token).
        for signal in (signals.request_started, signals.request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        schema = schemathesis.openapi.from_wsgi(
            "/api/v1/schema?format=json", get_wsgi_application()
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        self.assertGreaterEqual(len(operations), 5)
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def answered_as_documented(case) -> None:
                # A file's rows can be schema-valid and still wrong (a night in the future, a
                # location that is not the provider's): those answers are 400/422 with the
                # problems, as documented, not a schema that is too loose.
                excluded = [positive_data_acceptance] if case.method == "POST" else []
                case.call_and_validate(
                    headers={"Authorization": f"Token {key}"}, excluded_checks=excluded
                )

            with self.subTest(operation=operation.label):
                answered_as_documented()


class BusyAnswersTests(PersonaTestCase):
    """An import behind another answers 409: each operation that can says so in its
    document (schemathesis cannot make the lock busy, so it would not see one missing)."""

    def test_every_409_is_documented(self) -> None:
        document = SchemaGenerator().get_schema(request=None, public=True)
        for path, service, organisation in [
            ("/api/v1/night-lists", "welkom.register.api.night_list_import", self.provider),
            ("/api/v1/locations", "welkom.housing.api.location_file_import", self.provider),
            ("/api/v1/placements", "welkom.work.api.placements_import", self.employer),
        ]:
            _token, key = api_token_create(
                organisation=organisation, name="PMS", created_by=self.provider_manager
            )
            with self.subTest(path=path), mock.patch(service, side_effect=Busy("test")):
                answer = self.client.post(
                    path, b"a,b\n1,2\n", content_type="text/csv", HTTP_AUTHORIZATION=f"Token {key}"
                )
                self.assertEqual((answer.status_code, answer["Retry-After"]), (409, "30"))
                self.assertIn("409", document["paths"][path]["post"]["responses"])
