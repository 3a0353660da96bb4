"""The check's steps come from the register's own rules; dates on both sides of each limit."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import SimpleTestCase

from welkom.loket import rules
from welkom.loket.rules import months_after, steps_for
from welkom.register import rules as registration
from welkom.register.rules import PersonFacts, Registration
from welkom.register.stays import StayFacts

HORST = "GM1507"
TODAY = date(2027, 3, 1)


def kinds(steps) -> list[str]:
    return [step.kind for step in steps]


def step(steps, kind):
    return next(s for s in steps if s.kind == kind)


def check(arrival: date, departure: date, status: Registration = Registration.NONE):
    return steps_for(
        arrival=arrival,
        departure=departure,
        registration_status=status,
        municipality_code=HORST,
        today=TODAY,
    )


class CheckStepsTests(SimpleTestCase):
    def test_a_six_month_stay_must_register_in_the_brp_within_five_days(self):
        # The issue's own example: arriving in Horst on 9 March 2027 for six months.
        steps = check(date(2027, 3, 9), date(2027, 9, 9), Registration.NONE)
        self.assertEqual(kinds(steps), [rules.BRP, rules.HEALTH_INSURANCE, rules.DEPARTURE])
        self.assertEqual(step(steps, rules.BRP).due, date(2027, 3, 14))
        self.assertFalse(step(steps, rules.BRP).overdue)
        self.assertEqual(step(steps, rules.HEALTH_INSURANCE).due, date(2027, 7, 9))
        self.assertEqual(step(steps, rules.DEPARTURE).earliest, date(2027, 9, 4))

    def test_the_brp_deadline_is_the_registers_own(self):
        arrival, departure = date(2027, 1, 10), date(2027, 8, 1)
        steps = check(arrival, departure, Registration.RNI)
        finding = registration.brp_registration_required(
            PersonFacts(
                Registration.RNI, (StayFacts(0, 1, arrival, departure, municipality_code=HORST),)
            ),
            on=departure - timedelta(days=1),
        )
        self.assertEqual(step(steps, rules.BRP).due, finding.deadline)
        self.assertTrue(step(steps, rules.BRP).overdue)  # 15 January lies before 1 March

    def test_122_nights_is_a_short_stay_and_123_is_not(self):
        arrival = date(2027, 4, 1)
        short = check(arrival, arrival + timedelta(days=122), Registration.NONE)
        self.assertEqual(kinds(short), [rules.RNI, rules.BRP_IF_LONGER, rules.HEALTH_INSURANCE])
        self.assertEqual(step(short, rules.BRP_IF_LONGER).earliest, arrival + timedelta(days=122))
        long = check(arrival, arrival + timedelta(days=123), Registration.NONE)
        self.assertIn(rules.BRP, kinds(long))
        self.assertNotIn(rules.RNI, kinds(long))

    def test_someone_in_the_rni_for_a_short_stay_only_hears_about_staying_longer(self):
        steps = check(date(2027, 4, 1), date(2027, 5, 1), Registration.RNI)
        self.assertEqual(kinds(steps), [rules.BRP_IF_LONGER, rules.HEALTH_INSURANCE])

    def test_not_knowing_the_registration_counts_as_not_registered(self):
        unknown = check(date(2027, 4, 1), date(2027, 5, 1), Registration.UNKNOWN)
        self.assertEqual(kinds(unknown)[0], rules.RNI)

    def test_someone_in_the_brp_reports_the_move_within_five_days(self):
        steps = check(date(2027, 2, 20), date(2027, 6, 1), Registration.BRP)
        self.assertEqual(
            kinds(steps), [rules.ADDRESS_CHANGE, rules.HEALTH_INSURANCE, rules.DEPARTURE]
        )
        moved = step(steps, rules.ADDRESS_CHANGE)
        self.assertEqual(moved.due, date(2027, 2, 25))
        self.assertFalse(moved.overdue)  # "if you moved": the check cannot know that you did

    def test_months_end_on_the_last_day_of_a_shorter_month(self):
        self.assertEqual(months_after(date(2026, 10, 31), 4), date(2027, 2, 28))
        self.assertEqual(months_after(date(2027, 10, 31), 4), date(2028, 2, 29))
        self.assertEqual(months_after(date(2026, 11, 15), 2), date(2027, 1, 15))
