from __future__ import annotations

from django.conf import settings
from django.test import TestCase

COOKIE = settings.LANGUAGE_COOKIE_NAME


class LanguageMemoryTests(TestCase):
    def test_reading_in_polish_is_remembered(self):
        response = self.client.get("/pl/loket/")
        self.assertEqual(response.cookies[COOKIE].value, "pl")

    def test_coming_back_from_outside_to_a_dutch_public_page_leads_to_the_remembered_language(self):
        self.client.cookies[COOKIE] = "ro"
        self.assertRedirects(self.client.get("/loket/check/"), "/ro/loket/check/")
        self.assertRedirects(self.client.get("/"), "/ro/")

    def test_choosing_dutch_in_the_switcher_is_honoured_and_then_remembered(self):
        self.client.cookies[COOKIE] = "ro"
        page = self.client.get("/ro/loket/directory/?kind=sports")
        self.assertContains(page, 'href="/loket/directory/?kind=sports&amp;lang=nl"')
        chosen = self.client.get("/loket/directory/?kind=sports&lang=nl")
        self.assertRedirects(chosen, "/loket/directory/?kind=sports")
        self.assertEqual(chosen.cookies[COOKIE].value, "nl")
        self.assertEqual(self.client.get("/loket/").status_code, 200)

    def test_a_redirect_or_an_error_does_not_change_the_remembered_language(self):
        self.client.cookies[COOKIE] = "pl"
        slashless = self.client.get("/pl/loket/check")
        self.assertEqual(slashless.status_code, 301)
        self.assertNotIn(COOKIE, slashless.cookies)
        self.client.cookies[COOKIE] = "pl"
        self.assertNotIn(COOKIE, self.client.get("/loket/nothing-here/").cookies)

    def test_an_address_starting_with_two_slashes_is_not_sent_to_another_host(self):
        self.client.cookies[COOKIE] = "pl"
        response = self.client.get("//loket/")
        if response.status_code == 302:
            self.assertFalse(response["Location"].startswith("//"), response["Location"])

    def test_back_office_pages_and_posts_are_never_redirected(self):
        self.client.cookies[COOKIE] = "bg"
        manage = self.client.get("/loket/manage/")
        self.assertTrue(manage["Location"].startswith("/account/login/"))
        posted = self.client.post("/loket/check/", {})
        self.assertEqual(posted.status_code, 400)

    def test_an_unknown_language_in_the_cookie_is_ignored(self):
        self.client.cookies[COOKIE] = "xx"
        self.assertEqual(self.client.get("/loket/").status_code, 200)
