from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from welkom.register.matching import name_normalise, person_match_key


class NameNormaliseTests(SimpleTestCase):
    def test_it_ignores_case_diacritics_spacing_and_hyphens(self) -> None:
        self.assertEqual(
            name_normalise("  Wiśniewska-Kowalska "), name_normalise("WISNIEWSKA kowalska")
        )
        self.assertEqual(name_normalise("Ştefan  Popescu"), name_normalise("stefan popescu"))

    def test_it_reads_letters_without_a_decomposition_as_their_plain_spelling(self) -> None:
        self.assertEqual(name_normalise("Łukasz"), name_normalise("Lukasz"))
        self.assertEqual(name_normalise("Søren Weiß"), name_normalise("Soren Weiss"))

    def test_it_keeps_different_names_apart(self) -> None:
        self.assertNotEqual(name_normalise("Nowak"), name_normalise("Novak"))

    def test_it_includes_birth_date_and_nationality_in_the_key(self) -> None:
        a = person_match_key(
            family_name="Nowak",
            given_names="Jan",
            date_of_birth=date(1990, 1, 1),
            nationality="pol",
        )
        b = person_match_key(
            family_name="Nowak",
            given_names="Jan",
            date_of_birth=date(1990, 1, 2),
            nationality="POL",
        )
        self.assertNotEqual(a, b)
        self.assertTrue(a.endswith("|1990-01-01|POL"))
