"""The public monitor in headless Chromium: axe-core in every language, on a phone, with a
screenshot of each (`monitor-public-<lang>.png`); and the province's dashboard."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from welkom.monitor.tests.test_views import MonitorFigures
from welkom.site.tests import browser
from welkom.site.tests.test_accessibility import PLAIN_STATIC_FILES

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@pytest.mark.browser
@override_settings(STORAGES=PLAIN_STATIC_FILES)
class MonitorInChromiumTests(StaticLiveServerTestCase):
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        cls.chromium_path = browser.require_browser()
        super().setUpClass()

    def setUp(self):
        MonitorFigures.make()

    def test_the_public_monitor_has_no_wcag_violations_in_any_language(self):
        addresses = {}
        for language in LANGUAGES:
            with translation.override(language):
                addresses[language] = self.live_server_url + reverse("monitor:public")
        failures = []
        with browser.launch_chromium(self.chromium_path) as chromium:
            for language, address in addresses.items():
                with browser.open_page(chromium, viewport=browser.PHONE_VIEWPORT) as page:
                    response = page.goto(address)
                    self.assertEqual(response.status, 200, address)
                    self.assertIn("<5", page.locator("main").inner_text())
                    browser.save_screenshot(page, "monitor-public", language)
                    violations = browser.axe_violations(page)
                    if violations:
                        failures.append(browser.format_violations(violations, address))
                    width = page.evaluate("() => document.documentElement.scrollWidth")
                    if width > browser.PHONE_VIEWPORT["width"]:
                        failures.append(f"{address}: {width}px wide on a 375px phone")
        if failures:
            self.fail("\n\n".join(failures))
