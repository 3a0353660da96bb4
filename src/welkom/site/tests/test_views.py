from __future__ import annotations

from django.test import TestCase

from welkom.testing import PersonaTestCase


class PublicHomeTests(TestCase):
    def test_it_serves_every_language_with_alternates(self) -> None:
        for prefix, lang in [
            ("", "nl"),
            ("/en", "en"),
            ("/pl", "pl"),
            ("/ro", "ro"),
            ("/bg", "bg"),
        ]:
            with self.subTest(lang=lang):
                response = self.client.get(f"{prefix}/")
                self.assertContains(response, f'<html lang="{lang}"')
                for other in ["nl", "en", "pl", "ro", "bg", "x-default"]:
                    self.assertContains(response, f'hreflang="{other}"')

    def test_it_is_translated(self) -> None:
        self.assertContains(self.client.get("/"), "Inloggen")
        self.assertContains(self.client.get("/en/"), "Sign in")
        for prefix in ["/pl/", "/ro/", "/bg/"]:
            with self.subTest(prefix=prefix):
                self.assertNotContains(self.client.get(prefix), "Who works with Welkom")

    def test_it_sends_security_headers(self) -> None:
        response = self.client.get("/")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_it_has_a_skip_link(self) -> None:
        self.assertContains(self.client.get("/en/"), 'href="#main"')


class RoleHomeTests(PersonaTestCase):
    def _tasks(self, user) -> str:
        self.client.force_login(user)
        return self.client.get("/en/").content.decode()

    def test_it_offers_a_manager_the_team_and_tokens(self) -> None:
        page = self._tasks(self.provider_manager)
        self.assertIn("Manage your team", page)
        self.assertIn("Connect your own system", page)
        self.assertIn("your own locations and your own residents only", page)

    def test_it_offers_a_member_neither(self) -> None:
        page = self._tasks(self.provider_member)
        self.assertNotIn("Manage your team", page)
        self.assertNotIn("Search the processing log", page)

    def test_it_offers_the_privacy_officer_the_log(self) -> None:
        self.assertIn("Search the processing log", self._tasks(self.province_privacy))

    def test_it_tells_each_kind_what_it_sees(self) -> None:
        self.assertIn("your own territory only", self._tasks(self.venlo_member))
        self.assertIn("aggregates only, never a person", self._tasks(self.province_member))
        self.assertIn("only the cases you are a member of", self._tasks(self.partner_member))
        self.assertIn("your own workers only", self._tasks(self.employer_manager))

    def test_it_tells_an_outsider_to_ask_for_an_invitation(self) -> None:
        self.assertIn("does not belong to an organisation yet", self._tasks(self.outsider))


class TaskTableTests(TestCase):
    def test_every_task_names_a_page_and_permissions_the_role_table_grants(self) -> None:
        """A misspelt permission would hide a task from everyone, silently."""
        from django.urls import reverse

        from welkom.organisations.rules import PLATFORM_ADMINISTRATION, ROLE_PERMISSIONS
        from welkom.site.selectors import TASKS

        granted = set().union(*ROLE_PERMISSIONS.values(), PLATFORM_ADMINISTRATION)
        for offer in TASKS:
            with self.subTest(task=str(offer.title)):
                reverse(offer.url_name)
                self.assertLessEqual(set(offer.permissions), granted)


class ErrorPageTests(TestCase):
    def test_an_unknown_address_gets_the_layout_and_the_way_home_in_its_language(self) -> None:
        response = self.client.get("/pl/nie-ma-takiej-strony/")
        self.assertContains(response, "Nie znaleziono strony", status_code=404)
        self.assertContains(response, 'class="utrecht-skip-link', status_code=404)
        response = self.client.get("/geen-pagina/")
        self.assertContains(response, "Pagina niet gevonden", status_code=404)

    def test_a_page_not_for_the_role_says_whom_to_ask(self) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("nobody", password="x-long-password-1")
        self.client.force_login(user)
        response = self.client.get("/processing-log/")
        self.assertContains(response, "Niet voor uw rol", status_code=403)

    def test_the_server_error_page_renders_without_a_request_context(self) -> None:
        from django.test import RequestFactory
        from django.utils import translation
        from django.views.defaults import server_error

        with translation.override("nl"):
            response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("Er ging bij ons iets mis", response.content.decode())
