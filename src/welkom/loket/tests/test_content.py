"""The shipped information pages: every topic in every language, each file well formed,
every link leading somewhere, and the same structure in each translation."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import SimpleTestCase, TestCase

from welkom.loket.content import CONTENT_DIR, content_files
from welkom.loket.models import Topic, TopicText
from welkom.loket.services import content_load
from welkom.loket.text import WELKOM_PAGES, text_problems

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class ShippedContentTests(SimpleTestCase):
    def setUp(self):
        self.files = content_files(CONTENT_DIR)
        self.slugs = {f.slug for f in self.files if f.language == settings.LANGUAGE_CODE}

    def test_every_topic_is_there_in_every_language(self):
        self.assertGreaterEqual(len(self.slugs), 8)
        for language in LANGUAGES:
            have = {f.slug for f in self.files if f.language == language}
            self.assertEqual(have, self.slugs, language)

    def test_every_link_leads_somewhere(self):
        def resolve(target):
            if target in WELKOM_PAGES or target.removeprefix("topic:") in self.slugs:
                return "/"
            return None

        for shipped in self.files:
            self.assertEqual(text_problems(shipped.body, resolve), [], shipped)

    def test_translations_keep_the_structure_dates_and_numbers_of_the_dutch_text(self):
        source = {f.slug: f for f in self.files if f.language == settings.LANGUAGE_CODE}
        for shipped in self.files:
            dutch = source[shipped.slug]
            where = f"{shipped.language}/{shipped.slug}"
            self.assertEqual(shipped.position, dutch.position, where)
            self.assertEqual(shipped.checked, dutch.checked, where)
            self.assertEqual(shipped.sources, dutch.sources, where)
            self.assertEqual(_headings(shipped.body), _headings(dutch.body), where)
            self.assertEqual(_targets(shipped.body), _targets(dutch.body), where)
            self.assertEqual(_phone_numbers(shipped.body), _phone_numbers(dutch.body), where)

    def test_no_placeholder_text(self):
        for shipped in self.files:
            for marker in ("TODO", "TBD", "lorem", "XXX", "<"):
                self.assertNotIn(marker, shipped.body, f"{shipped.language}/{shipped.slug}")


def _headings(body: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in body.splitlines() if line.startswith("#")]


def _targets(body: str) -> list[str]:
    """Link targets, web addresses counted but not compared: an English page may point to the
    English edition of a government site."""
    return [
        "https://…" if target.startswith("http") else target
        for target in re.findall(r"\]\(([^)\s]+)\)", body)
    ]


def _phone_numbers(body: str) -> list[str]:
    return sorted(re.findall(r"tel:[0-9+]+", body))


class ContentLoadTests(TestCase):
    def test_loading_twice_changes_nothing_and_keeps_edits(self):
        first = content_load()
        self.assertEqual(first.texts_created, TopicText.objects.count())
        text = TopicText.objects.get(topic__slug="arriving", language="nl")
        text.summary = "Door de provincie aangepast."
        text.save()
        second = content_load()
        self.assertEqual((second.topics_created, second.texts_created), (0, 0))
        self.assertEqual(second.texts_present, first.texts_created)
        text.refresh_from_db()
        self.assertEqual(text.summary, "Door de provincie aangepast.")
        self.assertEqual(Topic.objects.count(), len({t.topic_id for t in TopicText.objects.all()}))

    def test_shipped_translations_count_as_machine_made_until_reviewed(self):
        content_load()
        self.assertEqual(
            set(TopicText.objects.exclude(language="nl").values_list("origin", flat=True)),
            {TopicText.Origin.MACHINE},
        )
        self.assertEqual(
            set(TopicText.objects.filter(language="nl").values_list("origin", flat=True)),
            {TopicText.Origin.REVIEWED},
        )
