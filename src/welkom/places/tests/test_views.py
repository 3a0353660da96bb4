from __future__ import annotations

from django.test import TestCase


class PostcodeLookupViewTests(TestCase):
    def test_it_shows_the_municipality(self) -> None:
        response = self.client.get("/en/places/postcode/", {"postcode": "5912ab"})
        self.assertContains(response, "lies in the municipality of Venlo")

    def test_it_explains_a_postcode_outside_limburg(self) -> None:
        response = self.client.get("/en/places/postcode/", {"postcode": "1012 AB"})
        self.assertContains(response, "outside the province of Limburg")
        self.assertNotContains(response, "lies in the municipality")

    def test_it_escapes_what_the_visitor_typed(self) -> None:
        response = self.client.get("/en/places/postcode/", {"postcode": "<script>x</script>"})
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(response, "&lt;script&gt;")


class PostcodeApiTests(TestCase):
    def test_it_answers_with_the_municipality(self) -> None:
        response = self.client.get("/api/v1/postcodes/5912AB")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["municipality_code"], "GM0983")
        self.assertEqual(response.json()["region"], "Noord-Limburg")

    def test_it_refuses_an_invalid_postcode_with_400(self) -> None:
        response = self.client.get("/api/v1/postcodes/hello")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "InvalidPostcode")

    def test_it_answers_404_outside_limburg(self) -> None:
        response = self.client.get("/api/v1/postcodes/1012AB")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "PostcodeOutsideLimburg")
