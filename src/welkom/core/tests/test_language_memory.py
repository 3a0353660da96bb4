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

    def test_choosing_dutch_within_the_site_is_honoured_and_then_remembered(self):
        self.client.cookies[COOKIE] = "ro"
        response = self.client.get("/loket/", HTTP_REFERER="http://testserver/ro/loket/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.cookies[COOKIE].value, "nl")
        self.assertEqual(self.client.get("/loket/").status_code, 200)

    def test_back_office_pages_and_posts_are_never_redirected(self):
        self.client.cookies[COOKIE] = "bg"
        manage = self.client.get("/loket/manage/")
        self.assertTrue(manage["Location"].startswith("/account/login/"))
        posted = self.client.post("/loket/check/", {})
        self.assertEqual(posted.status_code, 400)

    def test_an_unknown_language_in_the_cookie_is_ignored(self):
        self.client.cookies[COOKIE] = "xx"
        self.assertEqual(self.client.get("/loket/").status_code, 200)
