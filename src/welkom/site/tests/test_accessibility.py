"""Accessibility of the public pages: axe-core (WCAG 2.1 A and AA rules) in headless Chromium.

Every page is checked in all five languages, and a full-page screenshot of each is saved as
`<page>-<lang>.png` in WELKOM_SCREENSHOT_DIR (default var/screenshots/) for people to look at.
Skipped when Chromium or Playwright is missing, unless WELKOM_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from welkom.site.tests import browser

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # nl, en, pl, ro, bg

# The live server serves static files straight from the finders. The manifest storage of the
# real settings would need `collectstatic` first, so the tests use plain static URLs.
PLAIN_STATIC_FILES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.mark.browser
@override_settings(STORAGES=PLAIN_STATIC_FILES)
class AccessibilityTests(StaticLiveServerTestCase):
    # A live-server test case empties the database after each test. This puts back what the
    # migrations loaded (the Limburg postcodes that the postcode lookup needs) before the next.
    # It works only because no browser is open while Django flushes and restores: see below.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        # Skip (or fail, with WELKOM_REQUIRE_BROWSER=1) before the live server starts.
        cls.chromium_path = browser.require_browser()
        super().setUpClass()

    def check_page(
        self,
        name: str,
        url_name: str,
        query: str = "",
        viewport: dict[str, int] | None = None,
        expect: str | None = None,
        suffix: str = "",
        status: int = 200,
    ) -> None:
        """Open the page in every language, save a screenshot, and run axe on it.

        `expect` is a CSS selector that must be visible, so that the test checks the state it
        means to check (a result, an error). All languages are checked before failing, so a
        failure lists every language's violations at once.
        """
        failures = []
        # The browser runs only inside this block, not across tests. Playwright's sync API keeps
        # an asyncio loop marked as running in this thread while it is started, and Django then
        # gives this thread other database connections, and refuses to use them. Django's own
        # flush and serialized rollback between tests must not run in that state. So the test
        # does not set DJANGO_ALLOW_ASYNC_UNSAFE: no ORM call happens in here, and one that does
        # should fail loudly. See browser.py.
        with browser.launch_chromium(self.chromium_path) as chromium:
            for lang in LANGUAGES:
                with translation.override(lang):
                    path = reverse(url_name) + suffix
                where = f"{name} [{lang}] {path}{query}"
                with browser.open_page(chromium, viewport=viewport) as page:
                    response = page.goto(f"{self.live_server_url}{path}{query}")
                    self.assertIsNotNone(response, where)
                    self.assertEqual(response.status, status, where)
                    self.assertEqual(page.get_attribute("html", "lang"), lang, where)
                    if expect:
                        visible = page.locator(expect).first.is_visible()
                        self.assertTrue(visible, f"{where}: nothing visible matches {expect}")
                    browser.save_screenshot(page, name, lang)
                    violations = browser.axe_violations(page)
                if violations:
                    failures.append(browser.format_violations(violations, where))
        if failures:
            self.fail("\n\n".join(failures))

    def test_it_finds_no_wcag_violations_on_the_home_page(self):
        self.check_page("home", "site:home", expect="h1")

    def test_it_finds_no_wcag_violations_on_the_home_page_on_a_phone(self):
        self.check_page("home-phone", "site:home", viewport=browser.PHONE_VIEWPORT, expect="h1")

    def test_it_finds_no_wcag_violations_on_the_page_for_an_unknown_address(self):
        self.check_page("not-found", "site:home", suffix="no-such-page/", status=404, expect="h1")

    def test_it_finds_no_wcag_violations_on_the_page_for_a_database_that_cannot_be_reached(self):
        with (
            mock.patch("welkom.site.views.render", side_effect=OperationalError("gone")),
            mock.patch("welkom.site.views.database_reachable", return_value=False),
        ):
            self.check_page(
                "unavailable", "site:home", viewport=browser.PHONE_VIEWPORT, status=503, expect="h1"
            )

    def test_it_finds_no_wcag_violations_on_the_login_page(self):
        self.check_page("login", "accounts:login", expect="input[name=username]")

    def test_it_finds_no_wcag_violations_on_the_empty_postcode_lookup(self):
        self.check_page("postcode", "places:postcode_lookup", expect="input[name=postcode]")

    def test_it_finds_no_wcag_violations_on_a_postcode_lookup_with_a_result(self):
        self.check_page(
            "postcode-result",
            "places:postcode_lookup",
            query="?postcode=5912AB",
            expect=".utrecht-alert--ok",
        )

    def test_it_finds_no_wcag_violations_on_a_postcode_lookup_with_an_error(self):
        self.check_page(
            "postcode-error",
            "places:postcode_lookup",
            query="?postcode=1234AB",
            expect=".utrecht-form-field-error-message",
        )

    def test_it_finds_no_wcag_violations_on_the_agency_check_with_a_result_on_a_phone(self):
        from django.utils import timezone

        from welkom.work.services import register_import

        register_import(
            register="wtta",
            data=b"kvk;naam;status\n90000012;Flexwerk Zuid B.V.;geschorst\n",
            filename="wtta.csv",
            source="cli",
            as_of=timezone.localdate(),
        )
        self.check_page(
            "agency-check-found",
            "work:agency_check",
            query="?q=flexwerk",
            viewport=browser.PHONE_VIEWPORT,
            expect=".welkom-card",
        )

    def test_it_finds_no_wcag_violations_on_the_agency_check_with_an_error(self):
        self.check_page(
            "agency-check-error",
            "work:agency_check",
            query="?q=ab",
            status=400,
            expect=".utrecht-form-field-error-message",
        )
