from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase
from django.utils import translation

from welkom.lib.dates import long_date

DAY = date(2027, 3, 9)


class LongDateTests(SimpleTestCase):
    def test_a_date_reads_as_it_is_written_in_a_sentence_in_each_language(self):
        expected = {
            "nl": "9 maart 2027",
            "en": "March 9, 2027",
            "pl": "9 marca 2027",
            "ro": "9 martie 2027",
            "bg": "9 март 2027 г.",
        }
        for language, text in expected.items():
            with translation.override(language):
                self.assertEqual(long_date(DAY), text, language)

    def test_no_date_is_an_empty_text(self):
        self.assertEqual(long_date(None), "")

    def test_a_moment_is_dated_as_the_day_it_is_in_the_netherlands(self):
        from datetime import UTC, datetime

        late_evening_utc = datetime(2027, 3, 13, 23, 30, tzinfo=UTC)  # 00:30 on the 14th here
        with translation.override("nl"):
            self.assertEqual(long_date(late_evening_utc), "14 maart 2027")
