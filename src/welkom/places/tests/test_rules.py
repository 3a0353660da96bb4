from __future__ import annotations

from django.test import SimpleTestCase

from welkom.places.rules import PostcodeFormatError, pc4_in_limburg_range, postcode_parse


class PostcodeParseTests(SimpleTestCase):
    def test_it_reads_common_spellings(self) -> None:
        for text in ["5912 AB", "5912AB", "5912ab", " 5912-ab ", "5912 ab", "5912.AB"]:
            with self.subTest(text=text):
                parsed = postcode_parse(text)
                self.assertEqual((parsed.pc4, parsed.letters), ("5912", "AB"))

    def test_it_accepts_four_digits_alone(self) -> None:
        self.assertEqual(postcode_parse("6211").pc4, "6211")
        self.assertEqual(str(postcode_parse("6211")), "6211")

    def test_it_refuses_what_is_not_a_postcode(self) -> None:
        for text in ["", "591", "0912 AB", "59123", "5912 A", "5912 ABC", "ABCD", "5912 1B", None]:
            with self.subTest(text=text), self.assertRaises(PostcodeFormatError):
                postcode_parse(text)

    def test_it_knows_the_limburg_range(self) -> None:
        self.assertTrue(pc4_in_limburg_range("5800"))
        self.assertTrue(pc4_in_limburg_range("6499"))
        self.assertFalse(pc4_in_limburg_range("5799"))
        self.assertFalse(pc4_in_limburg_range("6500"))
