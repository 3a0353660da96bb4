"""Each norm rule on both sides of its boundary and of its effective dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from django.test import SimpleTestCase

from welkom.housing.rules import (
    AKF,
    AKF_REQUIRED,
    BEDROOM,
    HOTEL_PENSION,
    LIVING,
    LOGIES,
    MARK_REQUIRED,
    MAX_PERSONS_PER_BEDROOM,
    MIN_AREA_PER_PERSON,
    MUNICIPAL,
    RECREATION_SITE,
    REGULAR_DWELLING,
    RULES,
    SHORT,
    SNF,
    SNF_REQUIRED,
    WGV,
    WONEN,
    WOONUNITS,
    LocationFacts,
    MunicipalRule,
    NormParameters,
    Room,
    effective_capacity,
    findings_for,
    municipal_marks_required,
    norm_capacity,
)

ON = date(2026, 11, 28)


def facts(**changes) -> LocationFacts:
    """A well-kept pension for 8: every rule passes with room to spare, unless changed."""
    values = {
        "building_type": HOTEL_PENSION,
        "zoning": LOGIES,
        "rooms": (
            Room(BEDROOM, D(20), beds=4, walkable_m2=D(12)),
            Room(BEDROOM, D(20), beds=4, walkable_m2=D(12)),
            Room(LIVING, D(200), walkable_m2=D(150)),
        ),
        "toilets": 2,
        "showers": 2,
        "burners": 8,
        "sockets": 20,
        "washing": True,
        "drying_outside_bedrooms": True,
        "lockable_storage": True,
        "under_one_roof": True,
        "information_card": True,
        "smoke_detectors_checked": date(2026, 6, 1),
        "co_detectors_checked": date(2026, 6, 1),
        "extinguisher_inspected": date(2026, 6, 1),
        "extinguisher_reob": True,
        "rental_contract_separate": True,
        "rights_information_in_language": True,
    }
    values.update(changes)
    return LocationFacts(**values)


def outcome(rule: str, location: LocationFacts, *, persons: int = 8, on: date = ON, **kw):
    norm = rule.split("-")[0] if not rule.startswith("municipal") else MUNICIPAL
    norm = {"snf": SNF, "akf": AKF, "wgv": WGV, "uhn": "uhn-2012"}.get(norm, norm)
    found = {f.rule: f for f in findings_for(location, persons=persons, on=on, norm=norm, **kw)}
    return found.get(rule)


def area(total: str) -> tuple[Room, ...]:
    """Two bedrooms of 20 m² and a living room making up `total` m²."""
    return (
        Room(BEDROOM, D(20), beds=4, walkable_m2=D(12)),
        Room(BEDROOM, D(20), beds=4, walkable_m2=D(12)),
        Room(LIVING, D(total) - 40, walkable_m2=D(100)),
    )


class WellKeptLocationTests(SimpleTestCase):
    def test_a_well_kept_location_meets_every_verified_rule_of_every_norm(self) -> None:
        """The other side of every boundary below: each rule passes where it should."""
        bedrooms = tuple(Room(BEDROOM, D(10), beds=2, walkable_m2=D(6)) for _ in range(4))
        kept = facts(rooms=(*bedrooms, Room(LIVING, D(200), walkable_m2=D(150))))
        on_rule = {}
        for norm in (SNF, AKF, WGV, "uhn-2012"):
            for finding in findings_for(kept, persons=8, on=ON, norm=norm):
                on_rule[finding.rule] = finding.passed or finding.unverified
        expected = {
            rule.code
            for rule in RULES
            if rule.holds_on(ON)
            and rule.norm != "snf-2025"
            and rule.code
            not in {"snf-area-wonen", "akf-area-dwelling", "snf-bedroom-area-recreation-2024"}
        }
        self.assertEqual({rule for rule, passed in on_rule.items() if passed} & expected, expected)
        self.assertTrue(all(on_rule.values()))


class SnfAreaTests(SimpleTestCase):
    def test_logies_10_m2_per_person_passes_and_9_99_fails(self) -> None:
        self.assertTrue(outcome("snf-area-logies", facts(rooms=area("80.00"))).passed)
        failed = outcome("snf-area-logies", facts(rooms=area("79.92")))  # 9.99 m² each
        self.assertFalse(failed.passed)
        self.assertEqual(
            (failed.measured, failed.required, failed.capacity), ("9.99 m²", "≥ 10 m²", 7)
        )

    def test_regular_dwellings_and_woonunits_zoned_wonen_need_12(self) -> None:
        for building_type, zoning in [(REGULAR_DWELLING, LOGIES), (WOONUNITS, WONEN)]:
            with self.subTest(building_type):
                location = facts(building_type=building_type, zoning=zoning, rooms=area("96"))
                self.assertTrue(outcome("snf-area-wonen", location).passed)
                self.assertIsNone(outcome("snf-area-logies", location))
                location = replace(location, rooms=area("95.99"))
                self.assertFalse(outcome("snf-area-wonen", location).passed)
        location = facts(building_type=WOONUNITS, zoning=LOGIES, rooms=area("80"))
        self.assertTrue(outcome("snf-area-logies", location).passed)
        # Since 2021 SNF says 12 m² wherever the zoning is "wonen", also for a pension.
        pension = facts(building_type=HOTEL_PENSION, zoning=WONEN, rooms=area("95.99"))
        self.assertFalse(outcome("snf-area-wonen", pension).passed)


class SnfBedroomTests(SimpleTestCase):
    def test_3_5_m2_per_person_in_the_bedroom(self) -> None:
        rooms = (Room(BEDROOM, D("14.00"), beds=4), Room(LIVING, D(200)))
        self.assertTrue(outcome("snf-bedroom-area", facts(rooms=rooms), persons=4).passed)
        rooms = (Room(BEDROOM, D("13.99"), beds=4), Room(LIVING, D(200)))
        finding = outcome("snf-bedroom-area", facts(rooms=rooms), persons=4)
        self.assertEqual((finding.passed, finding.capacity), (False, 3))

    def test_each_bedroom_is_judged_on_its_own(self) -> None:
        # 7 m² with 4 beds beside 14 m² with 1: enough floor in all, too little in one room.
        rooms = (
            Room(BEDROOM, D(7), beds=4),
            Room(BEDROOM, D(14), beds=1),
            Room(LIVING, D(200)),
        )
        finding = outcome("snf-bedroom-area", facts(rooms=rooms), persons=5)
        self.assertEqual(
            (finding.passed, finding.capacity, finding.measured), (False, 6, "1.75 m²")
        )
        recreation = facts(
            building_type=RECREATION_SITE,
            rooms=(Room(BEDROOM, D(11), beds=4), Room(LIVING, D(100))),
        )
        exception = outcome(
            "snf-bedroom-area-recreation", recreation, persons=2, on=date(2023, 1, 1)
        )
        self.assertEqual((exception.passed, exception.capacity), (False, 2))

    def test_the_recreation_site_exception_ends_on_31_december_2023(self) -> None:
        rooms = (
            Room(BEDROOM, D("5.4"), beds=2),
            Room(BEDROOM, D("5.4"), beds=2),
            Room(LIVING, D(100)),
        )
        location = facts(building_type=RECREATION_SITE, rooms=rooms)
        before = outcome("snf-bedroom-area-recreation", location, persons=4, on=date(2023, 12, 31))
        self.assertEqual((before.passed, before.capacity), (True, 4))
        self.assertIsNone(
            outcome("snf-bedroom-area-recreation-2024", location, on=date(2023, 12, 31))
        )
        self.assertIsNone(outcome("snf-bedroom-area-recreation", location, on=date(2024, 1, 1)))
        after = outcome(
            "snf-bedroom-area-recreation-2024", location, persons=4, on=date(2024, 1, 1)
        )
        self.assertEqual((after.passed, after.capacity), (False, 2))

    def test_the_exception_allows_at_most_two_per_bedroom(self) -> None:
        rooms = (Room(BEDROOM, D("8.1"), beds=3), Room(LIVING, D(100)))
        location = facts(building_type=RECREATION_SITE, rooms=rooms)
        finding = outcome("snf-bedroom-area-recreation", location, persons=3, on=date(2023, 6, 1))
        self.assertEqual((finding.passed, finding.capacity), (False, 2))

    def test_a_bed_for_every_resident(self) -> None:
        self.assertTrue(outcome("snf-beds", facts(), persons=8).passed)
        self.assertFalse(outcome("snf-beds", facts(), persons=9).passed)


class SnfFacilityTests(SimpleTestCase):
    def test_one_toilet_and_one_shower_per_8_persons(self) -> None:
        for rule, attribute in [("snf-toilets", "toilets"), ("snf-showers", "showers")]:
            with self.subTest(rule):
                location = facts(**{attribute: 2})
                self.assertTrue(outcome(rule, location, persons=16).passed)
                self.assertEqual(outcome(rule, location).calculation, "2 × 8 = 16")
                finding = outcome(rule, location, persons=17)
                self.assertEqual(
                    (finding.passed, finding.capacity, finding.required), (False, 16, "≥ 3")
                )

    def test_sockets_washing_and_drying_from_1_june_2021(self) -> None:
        location = facts(sockets=7, washing=False, drying_outside_bedrooms=False)
        for rule in ["snf-sockets", "snf-washing", "snf-drying"]:
            with self.subTest(rule):
                self.assertIsNone(outcome(rule, location, on=date(2021, 5, 31)))
                self.assertFalse(outcome(rule, location, on=date(2021, 6, 1)).passed)
        self.assertTrue(outcome("snf-sockets", facts(sockets=8), on=date(2021, 6, 1)).passed)

    def test_the_information_card_from_1_september_2021(self) -> None:
        location = facts(information_card=False)
        self.assertIsNone(outcome("snf-information-card", location, on=date(2021, 8, 31)))
        self.assertFalse(outcome("snf-information-card", location, on=date(2021, 9, 1)).passed)

    def test_an_extinguisher_inspection_is_valid_for_a_year_and_only_by_reob(self) -> None:
        inspected = date(2025, 11, 28)
        location = facts(extinguisher_inspected=inspected)
        self.assertTrue(outcome("snf-extinguisher", location, on=date(2026, 11, 28)).passed)
        self.assertFalse(outcome("snf-extinguisher", location, on=date(2026, 11, 29)).passed)
        not_reob = facts(extinguisher_inspected=inspected, extinguisher_reob=False)
        self.assertFalse(outcome("snf-extinguisher", not_reob, on=date(2026, 1, 1)).passed)
        self.assertFalse(outcome("snf-extinguisher", facts(extinguisher_inspected=None)).passed)

    def test_detectors_checked_within_the_configured_days(self) -> None:
        location = facts(smoke_detectors_checked=date(2026, 10, 29))
        strict = NormParameters(detector_check_valid_days=30)
        self.assertTrue(outcome("snf-smoke-detectors", location, parameters=strict).passed)
        self.assertFalse(
            outcome(
                "snf-smoke-detectors", location, on=date(2026, 11, 29), parameters=strict
            ).passed
        )


class SnfPresenceTests(SimpleTestCase):
    def test_lockable_storage_and_all_under_one_roof(self) -> None:
        for rule, attribute in [
            ("snf-lockable-storage", "lockable_storage"),
            ("snf-under-one-roof", "under_one_roof"),
        ]:
            with self.subTest(rule):
                self.assertTrue(outcome(rule, facts(**{attribute: True})).passed)
                failed = outcome(rule, facts(**{attribute: False}))
                self.assertEqual((failed.passed, failed.measured), (False, "no"))


class Snf2025Tests(SimpleTestCase):
    def test_15_m2_for_hotels_from_1_july_2025_marked_unverified_and_switchable(self) -> None:
        location = facts(rooms=area("119.99"))
        found = {
            f.rule: f for f in findings_for(location, persons=8, on=date(2025, 6, 30), norm=SNF)
        }
        self.assertNotIn("snf-2025-area", found)
        found = {
            f.rule: f for f in findings_for(location, persons=8, on=date(2025, 7, 1), norm=SNF)
        }
        self.assertEqual(
            (found["snf-2025-area"].passed, found["snf-2025-area"].unverified), (False, True)
        )
        location = facts(rooms=area("120"))
        found = {
            f.rule: f for f in findings_for(location, persons=8, on=date(2025, 7, 1), norm=SNF)
        }
        self.assertTrue(found["snf-2025-area"].passed)
        switched_off = NormParameters(snf_2025=False)
        found = {
            f.rule
            for f in findings_for(location, persons=8, on=ON, norm=SNF, parameters=switched_off)
        }
        self.assertFalse(any(rule.startswith("snf-2025") for rule in found))

    def test_a_regular_dwelling_that_is_not_new_build_keeps_12(self) -> None:
        location = facts(building_type=REGULAR_DWELLING, rooms=area("96"))
        found = {f.rule for f in findings_for(location, persons=8, on=ON, norm=SNF)}
        self.assertNotIn("snf-2025-area", found)
        self.assertIn(
            "snf-2025-area",
            {
                f.rule
                for f in findings_for(replace(location, new_build=True), persons=8, on=ON, norm=SNF)
            },
        )


class AkfTests(SimpleTestCase):
    def test_13_m2_from_15_august_2024_and_15_m2_from_1_january_2026(self) -> None:
        location = facts(rooms=area("104"))  # 13 m² each
        self.assertIsNone(outcome("akf-area-2024", location, on=date(2024, 8, 14)))
        self.assertTrue(outcome("akf-area-2024", location, on=date(2024, 8, 15)).passed)
        self.assertFalse(
            outcome("akf-area-2024", facts(rooms=area("103.99")), on=date(2024, 8, 15)).passed
        )
        self.assertTrue(outcome("akf-area-2024", location, on=date(2025, 12, 31)).passed)
        self.assertIsNone(outcome("akf-area-2024", location, on=date(2026, 1, 1)))
        self.assertFalse(outcome("akf-area-2026", location, on=date(2026, 1, 1)).passed)
        self.assertTrue(
            outcome("akf-area-2026", facts(rooms=area("120")), on=date(2026, 1, 1)).passed
        )

    def test_10_and_12_m2_from_1_december_2019(self) -> None:
        self.assertIsNone(outcome("akf-area", facts(rooms=area("79")), on=date(2019, 11, 30)))
        self.assertFalse(
            outcome("akf-area", facts(rooms=area("79.99")), on=date(2019, 12, 1)).passed
        )
        self.assertTrue(outcome("akf-area", facts(rooms=area("80")), on=date(2019, 12, 1)).passed)
        dwelling = facts(building_type=REGULAR_DWELLING, rooms=area("95.99"))
        self.assertFalse(outcome("akf-area-dwelling", dwelling, on=date(2020, 1, 1)).passed)

    def test_two_per_bedroom_and_3_m2_walkable_for_year_round_housing(self) -> None:
        self.assertFalse(outcome("akf-two-per-bedroom", facts()).passed)  # 4 beds a room
        rooms = tuple(Room(BEDROOM, D(10), beds=2, walkable_m2=D(6)) for _ in range(4))
        location = facts(rooms=(*rooms, Room(LIVING, D(100), walkable_m2=D(0))))
        self.assertTrue(outcome("akf-two-per-bedroom", location).passed)
        self.assertEqual(outcome("akf-two-per-bedroom", location, persons=9).capacity, 8)
        walkable = outcome("akf-walkable", location)  # 24 m² walkable for 8: exactly 3
        self.assertEqual((walkable.passed, walkable.capacity), (True, 8))
        self.assertFalse(outcome("akf-walkable", location, persons=9).passed)
        self.assertIsNone(outcome("akf-two-per-bedroom", replace(location, stay_type=SHORT)))

    def test_sanitary_under_one_roof_from_15_august_2024(self) -> None:
        location = facts(under_one_roof=False)
        self.assertIsNone(outcome("akf-sanitary-under-one-roof", location, on=date(2024, 8, 14)))
        self.assertFalse(
            outcome("akf-sanitary-under-one-roof", location, on=date(2024, 8, 15)).passed
        )


class WgvTests(SimpleTestCase):
    def test_separate_contract_and_information_from_1_july_2023(self) -> None:
        location = facts(rental_contract_separate=False, rights_information_in_language=None)
        self.assertIsNone(outcome("wgv-separate-contract", location, on=date(2023, 6, 30)))
        self.assertFalse(outcome("wgv-separate-contract", location, on=date(2023, 7, 1)).passed)
        unknown = outcome("wgv-information-in-language", location, on=date(2023, 7, 1))
        self.assertEqual(
            (unknown.passed, unknown.note), (False, "Not yet given for this location.")
        )


class UniformHousingNormTests(SimpleTestCase):
    def test_4_burners_per_8_persons_only_when_switched_on(self) -> None:
        finding = outcome("uhn-burners", facts(burners=4), persons=9)
        self.assertEqual((finding.passed, finding.capacity), (False, 8))
        self.assertTrue(outcome("uhn-burners", facts(burners=4), persons=8).passed)


class MunicipalRuleTests(SimpleTestCase):
    def test_a_municipal_rule_holds_between_its_dates(self) -> None:
        rules = [
            MunicipalRule(
                "0983", MAX_PERSONS_PER_BEDROOM, D(1), date(2026, 1, 1), date(2026, 12, 31), "Venlo"
            ),
            MunicipalRule("0983", MIN_AREA_PER_PERSON, D(20), date(2027, 1, 1), None, "Venlo"),
        ]
        on_2026 = findings_for(
            facts(), persons=8, on=date(2026, 6, 1), norm=MUNICIPAL, municipal=rules
        )
        self.assertEqual([(f.passed, f.capacity) for f in on_2026], [(False, 2)])
        self.assertEqual(on_2026[0].parameters["value"], "1")
        self.assertEqual(
            findings_for(
                facts(), persons=8, on=date(2025, 12, 31), norm=MUNICIPAL, municipal=rules
            ),
            [],
        )
        on_2027 = findings_for(
            facts(), persons=8, on=date(2027, 1, 1), norm=MUNICIPAL, municipal=rules
        )
        self.assertEqual([(f.passed, f.capacity) for f in on_2027], [(True, 12)])


class MunicipalMarkTests(SimpleTestCase):
    def test_a_required_mark_must_be_held_and_valid_on_the_date(self) -> None:
        rules = [MunicipalRule("GM0983", SNF_REQUIRED, D(1), date(2026, 1, 1), None, "Venlo")]
        location = facts(marks=(("snf", date(2026, 12, 31)),))
        [held] = findings_for(
            location, persons=8, on=date(2026, 12, 31), norm=MUNICIPAL, municipal=rules
        )
        self.assertEqual(
            (held.passed, held.measured, held.required, held.capacity), (True, "SNF", "SNF", None)
        )
        [expired] = findings_for(
            location, persons=8, on=date(2027, 1, 1), norm=MUNICIPAL, municipal=rules
        )
        self.assertFalse(expired.passed)
        akf = facts(marks=(("akf", date(2027, 6, 1)),))
        [wrong] = findings_for(akf, persons=8, on=ON, norm=MUNICIPAL, municipal=rules)
        self.assertFalse(wrong.passed)
        either = [MunicipalRule("GM0983", MARK_REQUIRED, D(1), date(2026, 1, 1))]
        [fine] = findings_for(akf, persons=8, on=ON, norm=MUNICIPAL, municipal=either)
        self.assertEqual((fine.passed, fine.required), (True, "SNF / AKF"))

    def test_a_required_mark_makes_its_norms_apply(self) -> None:
        rules = [
            MunicipalRule("GM0983", AKF_REQUIRED, D(1), date(2026, 1, 1)),
            MunicipalRule("GM0983", MARK_REQUIRED, D(1), date(2026, 1, 1)),
            MunicipalRule("GM0983", SNF_REQUIRED, D(1), date(2027, 1, 1)),
        ]
        self.assertEqual(municipal_marks_required(rules, on=ON), {AKF})
        self.assertEqual(municipal_marks_required(rules, on=date(2027, 1, 1)), {AKF, SNF})


class CapacityTests(SimpleTestCase):
    def test_the_lowest_rule_binds_and_the_next_one_explains(self) -> None:
        location = facts(
            showers=2,  # 16
            toilets=3,  # 24
            rooms=(Room(BEDROOM, D(49), beds=14), Room(LIVING, D(200))),  # 14 by bedroom area
        )
        capacity = norm_capacity(
            findings_for(
                location, persons=14, on=ON, norm=SNF, parameters=NormParameters(snf_2025=False)
            )
        )
        self.assertEqual(capacity.persons, 14)
        # Bedroom area (49 / 3.5) and beds both allow 14; ties go by the rule's code.
        self.assertEqual(capacity.binding.rule, "snf-bedroom-area")
        self.assertEqual((capacity.next.rule, capacity.next.capacity), ("snf-showers", 16))

    def test_an_unverified_rule_is_shown_but_does_not_limit(self) -> None:
        findings = findings_for(facts(), persons=8, on=ON, norm=SNF)
        self.assertIn("snf-2025-one-per-bedroom", {f.rule for f in findings if not f.passed})
        self.assertEqual(norm_capacity(findings).persons, 8)

    def test_effective_capacity_is_the_lowest_of_permit_norms_and_beds(self) -> None:
        self.assertEqual(effective_capacity(12, [14, 10]), 10)
        self.assertEqual(effective_capacity(12, [14], beds=9), 9)
        self.assertEqual(effective_capacity(None, [None, 16]), 16)
        self.assertIsNone(effective_capacity(None, [None]))
