from __future__ import annotations

from datetime import date, timedelta

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from welkom.register.rules import (
    ADDRESS_CHANGE,
    BRP_REQUIRED,
    DEPARTURE,
    REGISTRATION_UNKNOWN,
    RNI_ADVISED,
    PersonFacts,
    Registration,
    brp_registration_required,
    bsn_is_valid,
    bsn_masked,
    registration_findings,
)
from welkom.register.stays import StayFacts

START = date(2026, 1, 1)


def stay(first: int, nights: int, location: int = 1, municipality: str = "GM0983") -> StayFacts:
    return StayFacts(
        1,
        location,
        START + timedelta(days=first),
        START + timedelta(days=first + nights),
        municipality_code=municipality,
    )


def person(
    *stays: StayFacts, registration: Registration = Registration.NONE, expected=None
) -> PersonFacts:
    return PersonFacts(registration=registration, stays=stays, expected_departure=expected)


def rules_of(facts: PersonFacts, on: date) -> set[str]:
    return {finding.rule for finding in registration_findings(facts, on=on)}


class BrpRegistrationTests(SimpleTestCase):
    def test_it_needs_more_than_122_nights(self) -> None:
        on = START + timedelta(days=200)
        self.assertIsNone(brp_registration_required(person(stay(0, 122)), on=on))
        finding = brp_registration_required(person(stay(0, 123)), on=on)
        self.assertEqual(finding.rule, BRP_REQUIRED)
        self.assertEqual((finding.measured, finding.required), (123, 122))

    def test_it_counts_only_nights_within_183_days(self) -> None:
        on = START + timedelta(days=400)
        # 62 + 61 = 123 nights, but the first and last lie 184 days apart: no window holds 123.
        self.assertIsNone(brp_registration_required(person(stay(0, 62), stay(123, 61)), on=on))
        # One day closer together and the 123 nights fit in 183 days.
        self.assertIsNotNone(brp_registration_required(person(stay(0, 62), stay(122, 61)), on=on))

    def test_it_counts_stays_at_different_providers_together(self) -> None:
        facts = person(stay(0, 70, 1, "GM0983"), stay(70, 60, 2, "GM1507"))
        finding = brp_registration_required(facts, on=START + timedelta(days=150))
        self.assertEqual(finding.municipality_code, "GM1507")
        self.assertEqual(len(finding.stays), 2)

    def test_it_sets_the_deadline_five_days_after_arrival(self) -> None:
        facts = person(stay(10, 130))
        finding = brp_registration_required(facts, on=START + timedelta(days=140))
        self.assertEqual(finding.since, START + timedelta(days=10))
        self.assertEqual(finding.deadline, START + timedelta(days=15))
        self.assertTrue(finding.overdue)

    def test_it_uses_the_expected_stay_before_the_nights_are_there(self) -> None:
        facts = person(stay(0, 3), expected=START + timedelta(days=200))
        finding = brp_registration_required(facts, on=START + timedelta(days=2))
        self.assertEqual(finding.deadline, START + timedelta(days=5))
        self.assertFalse(finding.overdue)
        short = person(stay(0, 3), expected=START + timedelta(days=100))
        self.assertIsNone(brp_registration_required(short, on=START + timedelta(days=2)))

    def test_it_ignores_nights_after_the_reference_date(self) -> None:
        self.assertIsNone(
            brp_registration_required(person(stay(0, 200)), on=START + timedelta(days=100))
        )

    def test_it_finds_nothing_for_a_brp_registered_person(self) -> None:
        facts = person(stay(0, 200), registration=Registration.BRP)
        self.assertIsNone(brp_registration_required(facts, on=START + timedelta(days=300)))


class OtherRegistrationRuleTests(SimpleTestCase):
    def test_it_advises_rni_when_neither_register_is_used(self) -> None:
        on = START + timedelta(days=10)
        self.assertEqual(rules_of(person(stay(0, 20)), on), {RNI_ADVISED})
        self.assertEqual(rules_of(person(stay(0, 20), registration=Registration.RNI), on), set())

    def test_an_unknown_registration_is_a_finding_of_its_own_and_gets_the_rni_advice(self):
        on = START + timedelta(days=10)
        unknown = person(stay(0, 20), registration=Registration.UNKNOWN)
        self.assertEqual(rules_of(unknown, on), {RNI_ADVISED, REGISTRATION_UNKNOWN})
        # Past the BRP threshold the duty replaces the advice; the unknown status stays.
        long = person(stay(0, 130), registration=Registration.UNKNOWN)
        self.assertEqual(
            rules_of(long, START + timedelta(days=123)), {BRP_REQUIRED, REGISTRATION_UNKNOWN}
        )
        self.assertEqual(
            rules_of(long, START + timedelta(days=121)), {RNI_ADVISED, REGISTRATION_UNKNOWN}
        )
        # Not yet arrived: nothing to ask yet; arrived that very night: asked.
        later = person(stay(11, 5), registration=Registration.UNKNOWN)
        self.assertEqual(rules_of(later, on), set())
        self.assertEqual(
            rules_of(later, START + timedelta(days=11)), {RNI_ADVISED, REGISTRATION_UNKNOWN}
        )
        # Known statuses are never "unknown".
        for status in (Registration.NONE, Registration.RNI, Registration.BRP):
            with self.subTest(status):
                self.assertNotIn(
                    REGISTRATION_UNKNOWN, rules_of(person(stay(0, 20), registration=status), on)
                )

    def test_it_replaces_rni_advice_by_the_brp_duty(self) -> None:
        self.assertEqual(
            rules_of(person(stay(0, 150)), START + timedelta(days=150)), {BRP_REQUIRED}
        )

    def test_it_reports_a_move_of_a_brp_registered_person_to_the_new_municipality(self) -> None:
        facts = person(
            stay(0, 30, 1, "GM0983"), stay(30, 30, 2, "GM1507"), registration=Registration.BRP
        )
        findings = registration_findings(facts, on=START + timedelta(days=36))
        move = next(f for f in findings if f.rule == ADDRESS_CHANGE)
        self.assertEqual(
            (move.municipality_code, move.deadline), ("GM1507", START + timedelta(days=35))
        )
        self.assertTrue(move.overdue)
        same = person(stay(0, 30, 1), stay(30, 30, 1), registration=Registration.BRP)
        self.assertNotIn(ADDRESS_CHANGE, rules_of(same, START + timedelta(days=40)))

    def test_it_reminds_of_departure_after_14_days_without_a_stay(self) -> None:
        facts = person(stay(0, 30), registration=Registration.BRP)
        self.assertNotIn(DEPARTURE, rules_of(facts, START + timedelta(days=43)))
        self.assertIn(DEPARTURE, rules_of(facts, START + timedelta(days=44)))
        still = person(
            StayFacts(1, 1, START, municipality_code="GM0983"), registration=Registration.BRP
        )
        self.assertNotIn(DEPARTURE, rules_of(still, START + timedelta(days=400)))


@st.composite
def stays_strategy(draw) -> list[StayFacts]:
    """Non-overlapping stays within a year, at random addresses."""
    stays, day = [], 0
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        day += draw(st.integers(min_value=0, max_value=60))
        length = draw(st.integers(min_value=1, max_value=90))
        stays.append(stay(day, length, draw(st.sampled_from([1, 2, 3]))))
        day += length
    return stays


ON = START + timedelta(days=500)


def duty(stays) -> bool:
    return brp_registration_required(person(*stays), on=ON) is not None


class BrpRulePropertyTests(SimpleTestCase):
    @settings(max_examples=200, deadline=None)
    @given(stays_strategy(), st.randoms(use_true_random=False))
    def test_it_does_not_depend_on_the_order_of_stays(self, stays, random) -> None:
        shuffled = list(stays)
        random.shuffle(shuffled)
        self.assertEqual(duty(stays), duty(shuffled))
        self.assertEqual(
            brp_registration_required(person(*stays), on=ON),
            brp_registration_required(person(*shuffled), on=ON),
        )

    @settings(max_examples=200, deadline=None)
    @given(stays_strategy(), st.data())
    def test_it_does_not_change_when_a_stay_is_split(self, stays, data) -> None:
        index = data.draw(st.integers(min_value=0, max_value=len(stays) - 1))
        original = stays[index]
        nights = (original.check_out - original.check_in).days
        if nights < 2:
            return
        cut = original.check_in + timedelta(
            days=data.draw(st.integers(min_value=1, max_value=nights - 1))
        )
        split = [
            *stays[:index],
            original._replace(check_out=cut),
            original._replace(check_in=cut),
            *stays[index + 1 :],
        ]
        before = brp_registration_required(person(*stays), on=ON)
        after = brp_registration_required(person(*split), on=ON)
        self.assertEqual(before is None, after is None)
        if before is not None:
            self.assertEqual(
                (before.since, before.deadline, before.measured),
                (after.since, after.deadline, after.measured),
            )

    @settings(max_examples=200, deadline=None)
    @given(stays_strategy(), st.integers(min_value=0, max_value=450))
    def test_it_never_loses_a_duty_when_a_night_is_added(self, stays, night) -> None:
        self.assertLessEqual(duty(stays), duty([*stays, stay(night, 1, 3)]))


def with_check_digit(first_eight: str) -> str | None:
    """The BSN that completes eight digits, or None when the check digit would be 10."""
    total = sum(int(d) * w for d, w in zip(first_eight, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
    check = total % 11
    return None if check == 10 else first_eight + str(check)


class BsnTests(SimpleTestCase):
    def test_it_accepts_known_valid_numbers(self) -> None:
        for bsn in ("111222333", "123456782", "012345672"):
            with self.subTest(bsn):
                self.assertTrue(bsn_is_valid(bsn))

    def test_it_refuses_a_wrong_check_digit_zeros_and_other_shapes(self) -> None:
        for text in (
            "123456789",
            "111222334",
            "000000000",
            "12345678",
            "1234567820",
            "12345678a",
            "",
            " 123456782",
            "１２３４５６７８２",
        ):
            with self.subTest(text):
                self.assertFalse(bsn_is_valid(text))

    @given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.integers(0, 8), st.integers(1, 9))
    def test_it_notices_any_single_changed_digit(self, first_eight, position, shift) -> None:
        bsn = with_check_digit(first_eight)
        if bsn is None or bsn == "000000000":
            return
        self.assertTrue(bsn_is_valid(bsn))
        changed = bsn[:position] + str((int(bsn[position]) + shift) % 10) + bsn[position + 1 :]
        self.assertFalse(bsn_is_valid(changed))

    def test_a_shown_bsn_keeps_only_its_last_three_characters(self) -> None:
        self.assertEqual(bsn_masked("123456782"), "******782")
        self.assertEqual(bsn_masked("12345678"), "*****678")  # a wrong length stays visible
        self.assertEqual(bsn_masked("12"), "**")
        self.assertEqual(bsn_masked(""), "")
