"""The loket in headless Chromium: axe-core on every public page in every language, and the
check and the contact finder used end to end on a phone-sized screen, in all five languages.

Each page's screenshot is written to WELKOM_SCREENSHOT_DIR (default var/screenshots/) as
`loket-<page>-<lang>.png`, for people to look at; CI keeps that folder. See
welkom/site/tests/browser.py for why the browser only runs inside a `with` block, with no
database work inside it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from welkom.lib.dates import long_date
from welkom.loket.models import MunicipalContact
from welkom.loket.services import content_load
from welkom.places.geometry import centre
from welkom.places.models import Municipality
from welkom.site.tests import browser
from welkom.site.tests.test_accessibility import PLAIN_STATIC_FILES

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
TOPICS = ("arriving", "housing", "work", "health-insurance", "learning-dutch", "taking-part",
          "reporting-abuse", "emergency")  # fmt: skip


@pytest.mark.browser
@override_settings(STORAGES=PLAIN_STATIC_FILES)
class LoketInChromiumTests(StaticLiveServerTestCase):
    serialized_rollback = True  # puts the migrations' places back after each test

    @classmethod
    def setUpClass(cls):
        cls.chromium_path = browser.require_browser()
        super().setUpClass()

    def setUp(self):
        content_load()
        MunicipalContact.objects.create(
            municipality=Municipality.objects.get(code="GM1507"),
            name="Loket Arbeidsmigratie Horst",
            email="loket@horst.example",
            languages=["nl", "pl", "ro", "bg"],
            confirmed_at=timezone.now(),
        )

    def address(self, name: str, language: str, *args) -> str:
        with translation.override(language):
            return f"{self.live_server_url}{reverse(name, args=args)}"

    def test_every_public_loket_page_has_no_wcag_violations_in_any_language(self):
        pages = [("index", "loket:index", (), "")]
        pages += [(f"topic-{slug}", "loket:topic", (slug,), "") for slug in TOPICS]
        pages += [
            ("contact", "loket:contact", (), ""),
            ("contact-result", "loket:contact", (), "?postcode=5961AA"),
            ("contact-outside", "loket:contact", (), "?postcode=1012AB"),
            ("check", "loket:check", (), ""),
            ("directory", "loket:directory", (), ""),
            ("directory-search", "loket:directory", (), "?language=pl"),
        ]
        addresses = {
            (name, language): self.address(url_name, language, *args) + query
            for name, url_name, args, query in pages
            for language in LANGUAGES
        }
        failures = []
        with browser.launch_chromium(self.chromium_path) as chromium:
            for (name, language), address in addresses.items():
                with browser.open_page(chromium, viewport=browser.PHONE_VIEWPORT) as page:
                    response = page.goto(address)
                    self.assertIn(response.status, (200, 400), address)
                    self.assertEqual(page.get_attribute("html", "lang"), language, address)
                    browser.save_screenshot(page, f"loket-{name}", language)
                    violations = browser.axe_violations(page)
                    if violations:
                        failures.append(browser.format_violations(violations, address))
                    width = page.evaluate("() => document.documentElement.scrollWidth")
                    if width > browser.PHONE_VIEWPORT["width"]:
                        failures.append(f"{address}: {width}px wide on a 375px phone")
        if failures:
            self.fail("\n\n".join(failures))

    def test_a_worker_on_a_phone_gets_dated_steps_for_horst_in_every_language(self):
        arrival = timezone.localdate() + timedelta(days=10)
        expected = {}
        for language in LANGUAGES:
            with translation.override(language):
                expected[language] = long_date(arrival + timedelta(days=5))
        failures = []
        with browser.launch_chromium(self.chromium_path) as chromium:
            for language in LANGUAGES:
                with browser.open_page(chromium, viewport=browser.PHONE_VIEWPORT) as page:
                    page.goto(self.address("loket:index", language))
                    page.click(f"main a[href$='{self.address_path('loket:check', language)}']")
                    page.fill("input[name=arrival]", arrival.isoformat())
                    page.fill("input[name=length]", "6")
                    page.check("input[name=unit][value=months]")
                    page.check("input[name=registration][value=none]")
                    page.fill("input[name=postcode]", "5961 AA")
                    page.click("main button[type=submit]")
                    steps = page.locator(".welkom-steps")
                    steps.wait_for()
                    text = steps.inner_text()
                    self.assertIn("Horst aan de Maas", text, language)
                    self.assertIn(expected[language], text, language)
                    card = page.locator(".welkom-contact-card")
                    self.assertIn("Loket Arbeidsmigratie Horst", card.inner_text(), language)
                    self.assertIn("loket@horst.example", card.inner_text(), language)
                    browser.save_screenshot(page, "loket-check-result", language)
                    violations = browser.axe_violations(page)
                    if violations:
                        failures.append(
                            browser.format_violations(violations, f"check [{language}]")
                        )
                    # A postcode outside Limburg: a clear message and the 31 municipalities.
                    page.fill("input[name=postcode]", "1012 AB")
                    page.click("main button[type=submit]")
                    error = page.locator(".utrecht-form-field-error-message").first
                    self.assertIn("1012 AB", error.inner_text(), language)
                    self.assertTrue(page.locator("details[open] li").first.is_visible(), language)
                    browser.save_screenshot(page, "loket-check-error", language)
                    violations = browser.axe_violations(page)
                    if violations:
                        failures.append(
                            browser.format_violations(violations, f"check error [{language}]")
                        )
        if failures:
            self.fail("\n\n".join(failures))

    def test_the_contact_finder_finds_horst_by_postcode_in_every_language(self):
        with browser.launch_chromium(self.chromium_path) as chromium:
            for language in LANGUAGES:
                with browser.open_page(chromium, viewport=browser.PHONE_VIEWPORT) as page:
                    page.goto(self.address("loket:contact", language))
                    page.fill("input[name=postcode]", "5961AA")
                    page.click("main form:not([data-welkom-location]) button[type=submit]")
                    card = page.locator(".welkom-contact-card")
                    card.wait_for()
                    self.assertIn("Loket Arbeidsmigratie Horst", card.inner_text(), language)
                    self.assertIn("Venlo", card.inner_text(), language)  # nearest RNI desk
                    browser.save_screenshot(page, "loket-contact-found", language)

    def test_use_my_location_finds_the_municipality_where_the_phone_is(self):
        longitude, latitude = centre(Municipality.objects.get(code="GM1507").boundary)
        with browser.launch_chromium(self.chromium_path) as chromium:
            with browser.open_page(
                chromium,
                viewport=browser.PHONE_VIEWPORT,
                geolocation={"latitude": latitude, "longitude": longitude},
                permissions=["geolocation"],
            ) as page:
                page.goto(self.address("loket:contact", "pl"))
                button = page.locator("[data-welkom-location-button]")
                self.assertTrue(button.is_visible())  # shown only with JavaScript
                button.click()
                card = page.locator(".welkom-contact-card")
                card.wait_for()
                self.assertIn("Loket Arbeidsmigratie Horst", card.inner_text())
                self.assertNotIn("latitude", page.url)  # posted: no coordinates in the address
            with browser.open_page(
                chromium, viewport=browser.PHONE_VIEWPORT, java_script_enabled=False
            ) as page:
                page.goto(self.address("loket:contact", "pl"))
                self.assertFalse(page.locator("[data-welkom-location-button]").is_visible())
                self.assertTrue(page.locator("input[name=postcode]").is_visible())

    def address_path(self, name: str, language: str) -> str:
        with translation.override(language):
            return reverse(name)
