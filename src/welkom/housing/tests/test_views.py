"""The housing pages as their users meet them: provider, municipality, province."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError
from django.test import override_settings
from django.utils import timezone

from welkom.housing.models import Inspection, Location, MunicipalRule, Room
from welkom.housing.selectors import location_compliance
from welkom.housing.services import location_register
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.testing import PersonaTestCase


def location_post(**changes) -> dict:
    """A pension in Venlo: two bedrooms of 20 m² with 5 beds each, 112 m² in all, one toilet
    and one shower (so 8 persons under SNF)."""
    data = {
        "code": "V9",
        "street": "Parade",
        "number": "7",
        "addition": "",
        "postcode": "5911 CB",
        "place": "Venlo",
        "building_type": "hotel_pension",
        "zoning": "logies",
        "stay_type": "mid",
        "permitted_capacity": "10",
        "toilets": "1",
        "showers": "1",
        "burners": "4",
        "sockets": "12",
        "washing": "on",
        "drying_outside_bedrooms": "on",
        "lockable_storage": "on",
        "under_one_roof": "on",
        "information_card": "on",
        "smoke_detectors_checked": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "co_detectors_checked": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "extinguisher_inspected": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "extinguisher_reob": "on",
        "rental_contract_separate": "true",
        "rights_information_in_language": "true",
        "rooms-TOTAL_FORMS": "4",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name": "Bedroom 1",
        "rooms-0-use": "bedroom",
        "rooms-0-area_m2": "20",
        "rooms-0-beds": "5",
        "rooms-1-name": "Bedroom 2",
        "rooms-1-use": "bedroom",
        "rooms-1-area_m2": "20",
        "rooms-1-beds": "5",
        "rooms-2-name": "Living room",
        "rooms-2-use": "living",
        "rooms-2-area_m2": "60",
        "rooms-3-name": "Kitchen",
        "rooms-3-use": "kitchen",
        "rooms-3-area_m2": "12",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-scheme": "snf",
        "certificates-0-register_id": "SNF-123",
        "certificates-0-valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }
    data.update(changes)
    return data


@override_settings(NORMS_SNF_2025=False)  # the reported 2025 norm has its own test below
class LocationPagesTests(PersonaTestCase):
    def _add(self, **changes):
        self.client.force_login(self.provider_manager)
        return self.client.post("/en/housing/new/", location_post(**changes))

    def test_a_provider_enters_a_location_with_rooms_and_sees_its_capacity(self) -> None:
        response = self._add()
        location = Location.objects.get(code="V9")
        self.assertRedirects(response, f"/en/housing/{location.pk}/")
        self.assertEqual((location.municipality.name, location.rooms.count()), ("Venlo", 4))
        page = self.client.get(f"/en/housing/{location.pk}/")
        # 112 m²: 11 under SNF logies; bedrooms and beds: 10; one toilet and one shower: 8.
        self.assertContains(page, "Capacity under this norm: <strong>8</strong>", html=False)
        self.assertContains(page, "The binding rule: At least 1 shower per 8 persons. (1 × 8 = 8)")
        self.assertContains(
            page,
            "The next limit is 10: At least 3.5 m² of bedroom floor per person. "
            "(20 m² / 3.5 m² + 20 m² / 3.5 m² = 10)",
        )
        # AKF (year-round): at most 2 a bedroom gives 4; shown for information only.
        self.assertContains(page, "Shown for information: the location does not hold this mark.")
        self.assertContains(page, "Capacity under this norm: <strong>4</strong>", html=False)
        self.assertContains(page, "The binding rule: At most 2 persons per bedroom.")
        self.assertContains(page, "At least 1 shower per 8 persons.")
        self.assertEqual(page.context["compliance"].effective_capacity, 8)

    def test_the_municipality_sees_it_and_the_other_municipality_does_not(self) -> None:
        self._add()
        location = Location.objects.get(code="V9")
        self.client.force_login(self.venlo_member)
        listing = self.client.get("/en/housing/")
        self.assertContains(listing, "Parade 7")
        self.assertContains(listing, "ends")  # the certificate ends within 30 days
        self.assertContains(listing, '<svg class="welkom-map"')
        self.assertContains(listing, "Venlo: 1 location, effective capacity 8")
        self.client.force_login(self.horst_member)
        self.assertNotContains(self.client.get("/en/housing/"), "Parade 7")
        self.assertEqual(self.client.get(f"/en/housing/{location.pk}/").status_code, 404)
        self.client.force_login(self.other_provider_manager)
        self.assertEqual(self.client.get(f"/en/housing/{location.pk}/edit/").status_code, 404)

    def test_a_privacy_role_elsewhere_does_not_widen_what_a_provider_member_sees(self) -> None:
        horst = location_register(
            provider=self.other_provider,
            code="H1",
            street="Kerkstraat",
            number="2",
            postcode="5961 AA",
        )
        Membership.access_control.create(
            user=self.provider_member, organisation=self.horst, role=rules.PRIVACY_OFFICER
        )
        self.client.force_login(self.provider_member)
        self.assertEqual(self.client.get(f"/en/housing/{horst.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/en/housing/"), "Kerkstraat")
        self.assertEqual(
            self.client.post(f"/en/housing/{horst.pk}/inspections/", {}).status_code, 403
        )

    def test_exported_text_never_becomes_a_formula(self) -> None:
        self._add(code="=HYPERLINK(1)", street="+31 straat")
        self.client.force_login(self.venlo_member)
        text = self.client.get("/en/housing/locations.csv").content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK(1)", text)
        self.assertIn("'+31 straat", text)
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.client.get("/en/housing/locations.xlsx").content)
        )
        values = [cell.value for row in workbook.active.iter_rows() for cell in row]
        self.assertIn("'=HYPERLINK(1)", values)

    def test_filters_and_exports(self) -> None:
        self._add()
        self.client.force_login(self.venlo_member)
        self.assertNotContains(self.client.get("/en/housing/?stay_type=short"), "Parade 7")
        self.assertContains(self.client.get("/en/housing/?mark=snf&expiring=on"), "Parade 7")
        self.assertNotContains(self.client.get("/en/housing/?mark=none"), "Parade 7")
        # AKF (two per bedroom) is not met; the law is.
        self.assertContains(self.client.get("/en/housing/?failing=akf"), "Parade 7")
        self.assertNotContains(self.client.get("/en/housing/?failing=wgv"), "Parade 7")
        csv = self.client.get("/en/housing/locations.csv?mark=snf")
        self.assertEqual(csv["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Parade 7", csv.content.decode("utf-8"))
        xlsx = self.client.get("/en/housing/locations.xlsx")
        self.assertTrue(xlsx.content.startswith(b"PK"))

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self) -> None:
        location_register(
            provider=self.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        cases = {
            "zero area": ({"rooms-2-area_m2": "0"}, "The floor area must be more than 0 m²."),
            "negative area": ({"rooms-2-area_m2": "-5"}, "The floor area must be more than 0 m²."),
            "beds in a kitchen": ({"rooms-3-beds": "2"}, "Only a bedroom has beds."),
            "bedroom without area": ({"rooms-0-area_m2": ""}, "This field is required."),
            "outside Limburg": ({"postcode": "1012 AB"}, "is outside the province of Limburg"),
            "code used twice": ({"code": "V1"}, "You already use this location code"),
            "dates in the wrong order": (
                {"opened_on": "2026-05-01", "closed_on": "2026-04-01"},
                "The closing date lies before the opening date.",
            ),
            "same room twice": ({"rooms-1-name": "Bedroom 1"}, "Give every room its own name."),
        }
        for name, (changes, message) in cases.items():
            with self.subTest(name):
                response = self._add(**changes)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "Nothing was saved.", status_code=400)
                self.assertFalse(Location.objects.filter(code="V9").exists())
        self.assertEqual(Room.objects.count(), 0)

    def test_more_beds_than_the_area_holds_is_a_finding_not_a_refusal(self) -> None:
        self._add(**{"rooms-0-area_m2": "3", "rooms-0-beds": "6"})
        location = Location.objects.get(code="V9")
        page = self.client.get(f"/en/housing/{location.pk}/")
        self.assertContains(page, "At least 3.5 m² of bedroom floor per person.")
        self.assertContains(page, "not met")

    def test_the_municipality_records_an_inspection_as_history(self) -> None:
        self._add()
        location = Location.objects.get(code="V9")
        self.client.force_login(self.venlo_member)
        today = timezone.localdate()
        response = self.client.post(
            f"/en/housing/{location.pk}/inspections/",
            {
                "inspected_on": today.isoformat(),
                "inspector": "J. de Vries",
                "result": "findings",
                "failed_rules": ["snf-showers"],
                "notes": "One shower for eight.",
            },
        )
        self.assertRedirects(response, f"/en/housing/{location.pk}/")
        inspection = Inspection.objects.get()
        self.assertEqual(inspection.follow_up_deadline, today + timedelta(days=28))
        self.assertEqual(inspection.failed_rules, ["snf-showers"])
        with self.assertRaises(ValueError):
            inspection.save()
        # The database refuses too, for a queryset update or delete.
        for change in (
            lambda: Inspection.objects.filter(pk=inspection.pk).update(result="compliant"),
            lambda: Inspection.objects.filter(pk=inspection.pk).delete(),
        ):
            with (
                self.subTest(change=change),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
            ):
                change()
        # Nor may deleting its recorder change it: the user is kept (deactivate instead).
        with self.assertRaises(ProtectedError) as refused:
            self.venlo_member.delete()
        self.assertIn(inspection, refused.exception.protected_objects)
        self.client.post(
            f"/en/housing/{location.pk}/inspections/",
            {
                "inspected_on": today.isoformat(),
                "inspector": "K. Jansen",
                "result": "not_compliant",
            },
        )
        self.assertEqual(
            Inspection.objects.get(inspector="K. Jansen").follow_up_deadline,
            today + timedelta(days=28),
        )
        future = self.client.post(
            f"/en/housing/{location.pk}/inspections/",
            {
                "inspected_on": (today + timedelta(days=1)).isoformat(),
                "inspector": "X",
                "result": "compliant",
            },
        )
        self.assertContains(future, "An inspection cannot lie in the future.", status_code=400)
        self.client.force_login(self.horst_member)
        self.assertEqual(
            self.client.post(f"/en/housing/{location.pk}/inspections/", {}).status_code, 404
        )
        self.client.force_login(self.provider_manager)
        self.assertEqual(
            self.client.post(f"/en/housing/{location.pk}/inspections/", {}).status_code, 403
        )


class Snf2025SwitchTests(PersonaTestCase):
    def test_the_reported_2025_norm_is_shown_as_unverified_and_does_not_limit(self) -> None:
        self.client.force_login(self.provider_manager)
        self.client.post("/en/housing/new/", location_post(toilets="2", showers="2"))
        location = Location.objects.get(code="V9")
        with self.settings(NORMS_SNF_2025=True):
            page = self.client.get(f"/en/housing/{location.pk}/")
        snf = page.context["compliance"].outcomes[0]
        one_per_bedroom = next(f for f in snf.findings if f.rule == "snf-2025-one-per-bedroom")
        self.assertEqual((one_per_bedroom.passed, one_per_bedroom.unverified), (False, True))
        self.assertContains(page, "unverified")
        # Shown, failed, yet neither the capacity nor "all rules met" rests on it.
        self.assertEqual((snf.capacity.persons, snf.passed), (10, True))
        self.assertEqual(page.context["compliance"].effective_capacity, 10)
        with self.settings(NORMS_SNF_2025=False):
            page = self.client.get(f"/en/housing/{location.pk}/")
        self.assertNotContains(page, "unverified")
        self.assertEqual(page.context["compliance"].effective_capacity, 10)


@override_settings(NORMS_SNF_2025=False)
class MunicipalRuleTests(PersonaTestCase):
    def test_a_municipal_rule_lowers_the_capacity_in_its_territory(self) -> None:
        self.client.force_login(self.provider_manager)
        self.client.post("/en/housing/new/", location_post())
        location = Location.objects.get(code="V9")
        self.client.force_login(self.venlo_member)
        response = self.client.post(
            "/en/housing/rules/",
            {"kind": "max_persons_per_bedroom", "value": "2", "effective_from": "2020-01-01"},
        )
        self.assertRedirects(response, "/en/housing/rules/")
        page = self.client.get(f"/en/housing/{location.pk}/")
        self.assertContains(page, "At most 2 persons per bedroom (municipal rule).")
        self.assertEqual(page.context["compliance"].effective_capacity, 4)

    def test_a_municipality_that_requires_akf_makes_akf_count(self) -> None:
        self.client.force_login(self.provider_manager)
        self.client.post("/en/housing/new/", location_post())  # holds SNF, not AKF
        location = Location.objects.get(code="V9")
        self.client.force_login(self.venlo_member)
        response = self.client.post(
            "/en/housing/rules/", {"kind": "akf_required", "effective_from": "2020-01-01"}
        )
        self.assertRedirects(response, "/en/housing/rules/")
        page = self.client.get(f"/en/housing/{location.pk}/")
        self.assertContains(page, "The municipality requires this quality mark.")
        self.assertContains(page, "A valid AKF certificate (municipal rule).")
        # AKF's two persons a bedroom now counts: 2 bedrooms → 4.
        self.assertEqual(page.context["compliance"].effective_capacity, 4)
        missing = self.client.post(
            "/en/housing/rules/", {"kind": "min_area_per_person", "effective_from": "2030-01-01"}
        )
        self.assertContains(
            missing, "Give the number of persons or m² for this rule.", status_code=400
        )

    def test_a_location_not_yet_described_keeps_its_permit_as_capacity(self) -> None:
        location = location_register(
            provider=self.provider,
            code="V1",
            street="Markt",
            number="1",
            postcode="5911 CB",
            permitted_capacity=12,
        )
        MunicipalRule.objects.create(
            municipality=self.venlo.municipality,
            kind="min_area_per_person",
            value=Decimal(12),
            effective_from=date(2020, 1, 1),
        )
        compliance = location_compliance(location, on=timezone.localdate())
        self.assertFalse(compliance.described)
        self.assertEqual(compliance.effective_capacity, 12)

    def test_wrong_rules_are_refused_with_a_reason(self) -> None:
        self.client.force_login(self.venlo_member)
        MunicipalRule.objects.create(
            municipality=self.venlo.municipality,
            kind="min_area_per_person",
            value=Decimal(15),
            effective_from=timezone.localdate().replace(month=1, day=1),
        )
        cases = {
            "negative": (
                {
                    "kind": "min_area_per_person",
                    "value": "-1",
                    "effective_from": "2020-01-01",
                    "effective_until": "2020-12-31",
                },
                "The value must be more than 0.",
            ),
            "dates": (
                {
                    "kind": "max_persons_per_bedroom",
                    "value": "2",
                    "effective_from": "2026-01-01",
                    "effective_until": "2025-01-01",
                },
                "The end date lies before the start date.",
            ),
            "overlap": (
                {"kind": "min_area_per_person", "value": "12", "effective_from": "2020-01-01"},
                "This rule overlaps the same rule",
            ),
            "half a person": (
                {"kind": "max_persons_per_bedroom", "value": "1.5", "effective_from": "2020-01-01"},
                "A number of persons is a whole number.",
            ),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name):
                self.assertContains(
                    self.client.post("/en/housing/rules/", data), message, status_code=400
                )
        self.assertEqual(MunicipalRule.objects.count(), 1)

    def test_a_rule_is_ended_not_erased_and_only_by_its_municipality(self) -> None:
        rule = MunicipalRule.objects.create(
            municipality=self.venlo.municipality,
            kind="max_persons_per_bedroom",
            value=Decimal(2),
            effective_from=timezone.localdate() - timedelta(days=100),
        )
        self.client.force_login(self.horst_member)
        self.assertEqual(self.client.post(f"/en/housing/rules/{rule.pk}/end/").status_code, 404)
        self.client.force_login(self.venlo_member)
        self.client.post(f"/en/housing/rules/{rule.pk}/end/")
        rule.refresh_from_db()
        self.assertEqual(rule.effective_until, timezone.localdate())

    def test_a_rule_not_yet_in_force_is_removed_when_ended(self) -> None:
        rule = MunicipalRule.objects.create(
            municipality=self.venlo.municipality,
            kind="max_persons_per_bedroom",
            value=Decimal(2),
            effective_from=timezone.localdate() + timedelta(days=100),
        )
        self.client.force_login(self.venlo_member)
        self.client.post(f"/en/housing/rules/{rule.pk}/end/")
        self.assertFalse(MunicipalRule.objects.exists())

    def test_providers_cannot_set_municipal_rules(self) -> None:
        self.client.force_login(self.provider_manager)
        self.assertEqual(self.client.get("/en/housing/rules/").status_code, 403)


class ProvinceCountsTests(PersonaTestCase):
    def test_the_province_sees_counts_and_no_location(self) -> None:
        location_register(
            provider=self.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912 AB",
            permitted_capacity=12,
        )
        self.client.force_login(self.province_member)
        page = self.client.get("/en/housing/counts/")
        self.assertContains(page, "Venlo")
        self.assertNotContains(page, "Industrieweg")
        self.assertEqual(page.context["rows"][0].permitted_capacity, 12)
        self.assertEqual(page.context["rows"][0].compliant, 0)  # not yet described
        self.assertEqual(page.context["rows"][0].effective_capacity, 12)  # the permit
        self.assertEqual(self.client.get("/en/housing/").status_code, 403)
        location = Location.objects.get()
        self.assertEqual(self.client.get(f"/en/housing/{location.pk}/").status_code, 403)
