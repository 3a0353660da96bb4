from __future__ import annotations

from welkom.organisations.services import api_token_create, api_token_revoke
from welkom.testing import PersonaTestCase


class OrganisationApiTests(PersonaTestCase):
    def test_it_answers_for_the_token_organisation(self) -> None:
        _token, key = api_token_create(
            organisation=self.provider, name="x", created_by=self.provider_manager
        )
        response = self.client.get("/api/v1/organisation", HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["kvk_number"], "11111111")

    def test_it_refuses_a_revoked_or_unknown_token(self) -> None:
        token, key = api_token_create(
            organisation=self.provider, name="x", created_by=self.provider_manager
        )
        api_token_revoke(token=token)
        for header in [f"Token {key}", "Token wk_nonsense", "Token"]:
            with self.subTest(header=header):
                response = self.client.get("/api/v1/organisation", HTTP_AUTHORIZATION=header)
                self.assertEqual(response.status_code, 401)

    def test_it_refuses_anonymous_and_outsider_callers(self) -> None:
        self.assertEqual(self.client.get("/api/v1/organisation").status_code, 401)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/api/v1/organisation").status_code, 403)

    def test_it_publishes_an_openapi_document(self) -> None:
        response = self.client.get("/api/v1/schema")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"/api/v1/organisation", response.content)
