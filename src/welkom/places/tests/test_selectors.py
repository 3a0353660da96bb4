from __future__ import annotations

import csv

from django.test import TestCase
from django.utils import translation

from welkom.places.reference import DATA_DIR
from welkom.places.selectors import (
    InvalidPostcode,
    PostcodeOutsideLimburg,
    UnknownPostcode,
    municipality_for_postcode,
)


class MunicipalityForPostcodeTests(TestCase):
    def setUp(self) -> None:
        # The messages are checked in English, whatever language an earlier test left on.
        self.enterContext(translation.override("en"))

    def test_it_finds_the_municipality_of_all_279_limburg_postcodes(self) -> None:
        with (DATA_DIR / "limburg-postcodes.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual(len(rows), 279)
        for row in rows:
            for spelling in (row["pc4"], f"{row['pc4']} AB", f"{row['pc4']}xz"):
                with self.subTest(postcode=spelling):
                    self.assertEqual(
                        municipality_for_postcode(spelling).code, row["municipality_code"]
                    )

    def test_it_names_known_places(self) -> None:
        self.assertEqual(municipality_for_postcode("5912 AB").name, "Venlo")
        self.assertEqual(municipality_for_postcode("6211AB").name, "Maastricht")
        self.assertEqual(municipality_for_postcode("5961").name, "Horst aan de Maas")

    def test_it_says_when_a_postcode_is_outside_limburg(self) -> None:
        for postcode in ["1012 AB", "5611 AB", "6511 AB", "9999"]:
            with (
                self.subTest(postcode=postcode),
                self.assertRaises(PostcodeOutsideLimburg) as raised,
            ):
                municipality_for_postcode(postcode)
            self.assertIn("outside the province of Limburg", str(raised.exception.message))

    def test_it_says_when_a_limburg_postcode_is_unknown(self) -> None:
        # 5800 lies in Limburg's range but has no addresses in the CBS file.
        with self.assertRaises(UnknownPostcode) as raised:
            municipality_for_postcode("5800 AA")
        self.assertIn("no known addresses", str(raised.exception.message))

    def test_it_says_when_the_text_is_not_a_postcode(self) -> None:
        with self.assertRaises(InvalidPostcode) as raised:
            municipality_for_postcode("Venlo")
        self.assertIn("not a Dutch postcode", str(raised.exception.message))
