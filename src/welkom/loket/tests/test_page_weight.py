"""Every public loket page, with what it loads, stays under 200 KB transferred.

"Transferred" is what a phone downloads: the HTML and each stylesheet, script and icon it
links, compressed with gzip as the server (WhiteNoise for static files) sends them."""

from __future__ import annotations

import gzip
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from welkom.loket.services import content_load

BUDGET = 200 * 1024
LANGUAGES = [code for code, _name in settings.LANGUAGES]
_ASSET = re.compile(
    r'(?:href|src)="'
    + re.escape(
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    + r'([^"]+)"'
)


def transferred(html: bytes) -> int:
    size = len(gzip.compress(html))
    for asset in sorted(set(_ASSET.findall(html.decode()))):
        path = finders.find(asset)
        assert path, f"{asset} is linked but not found"
        with open(path, "rb") as handle:
            size += len(gzip.compress(handle.read()))
    return size


class PageWeightTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        content_load()

    def test_every_public_page_is_under_200_kb(self):
        pages = [("loket:index", ()), ("loket:contact", ()), ("loket:check", ()),
                 ("loket:directory", ()), ("site:home", ())]  # fmt: skip
        pages += [("loket:topic", (slug,)) for slug in ("arriving", "housing", "work")]
        for language in LANGUAGES:
            for name, args in pages:
                with translation.override(language):
                    address = reverse(name, args=args)
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200, address)
                size = transferred(response.content)
                self.assertLess(size, BUDGET, f"{address}: {size} bytes")
                self.assertGreater(size, 20_000, f"{address}: the stylesheets were not counted")
