from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest import TestCase

from welkom.work import rules
from welkom.work.rules import Status

DAY_BEFORE_ADMISSION = date(2026, 12, 31)
DAY_BEFORE_ENFORCEMENT = date(2027, 12, 31)


def wtta(status: str, *, since=None, until=None, as_of=date(2026, 12, 1)) -> Status:
    return Status(rules.WTTA, status, since, until, as_of)


class LendingDutyTests(TestCase):
    """The Wtta's two dates (FACTS.md §5): admission required from 1 January 2027, fines by
    the Arbeidsinspectie from 1 January 2028."""

    def test_before_admission_is_required_any_lender_may_lend(self) -> None:
        for statuses in ([], [wtta(rules.WITHDRAWN)], [wtta(rules.SUSPENDED)]):
            self.assertEqual(rules.lending_duty(statuses, DAY_BEFORE_ADMISSION), rules.ALLOWED)

    def test_from_the_first_of_january_2027_an_unadmitted_lender_may_not(self) -> None:
        for statuses in ([], [wtta(rules.WITHDRAWN)], [wtta(rules.NOT_LISTED)]):
            self.assertEqual(
                rules.lending_duty(statuses, rules.WTTA_ADMISSION_REQUIRED), rules.NOT_ALLOWED
            )
            self.assertEqual(
                rules.lending_duty(statuses, DAY_BEFORE_ENFORCEMENT), rules.NOT_ALLOWED
            )
            self.assertEqual(rules.lending_duty(statuses, rules.WTTA_ENFORCED), rules.FINE)

    def test_an_admitted_lender_may_lend_on_every_date(self) -> None:
        statuses = [wtta(rules.ADMITTED, since=date(2026, 11, 1))]
        for on in (DAY_BEFORE_ADMISSION, rules.WTTA_ADMISSION_REQUIRED, rules.WTTA_ENFORCED):
            self.assertEqual(rules.lending_duty(statuses, on), rules.ALLOWED)

    def test_a_suspended_lender_may_not_lend(self) -> None:
        statuses = [wtta(rules.ADMITTED), wtta(rules.SUSPENDED, as_of=date(2027, 3, 1))]
        self.assertEqual(rules.lending_duty(statuses, date(2027, 2, 28)), rules.ALLOWED)
        self.assertEqual(rules.lending_duty(statuses, date(2027, 3, 1)), rules.NOT_ALLOWED)

    def test_an_admission_that_ended_is_over_the_day_after_its_end(self) -> None:
        statuses = [wtta(rules.ADMITTED, until=date(2028, 6, 30))]
        self.assertEqual(rules.lending_duty(statuses, date(2028, 6, 30)), rules.ALLOWED)
        self.assertEqual(rules.lending_duty(statuses, date(2028, 7, 1)), rules.FINE)

    def test_an_admission_from_a_later_date_counts_from_that_date(self) -> None:
        statuses = [wtta(rules.ADMITTED, since=date(2027, 2, 1))]
        self.assertEqual(rules.lending_duty(statuses, date(2027, 1, 31)), rules.NOT_ALLOWED)
        self.assertEqual(rules.lending_duty(statuses, date(2027, 2, 1)), rules.ALLOWED)

    def test_an_export_dated_after_the_night_does_not_decide_it(self) -> None:
        statuses = [wtta(rules.ADMITTED, as_of=date(2027, 5, 1))]
        self.assertIsNone(rules.status_on(statuses, rules.WTTA, date(2027, 4, 30)))
        self.assertEqual(rules.lending_duty(statuses, date(2027, 4, 30)), rules.NOT_ALLOWED)

    def test_the_sna_mark_is_no_admission(self) -> None:
        statuses = [Status(rules.SNA, rules.ADMITTED, None, None, date(2026, 12, 1))]
        self.assertEqual(rules.lending_duty(statuses, rules.WTTA_ENFORCED), rules.FINE)
        self.assertEqual(rules.status_on(statuses, rules.SNA, rules.WTTA_ENFORCED), statuses[0])


class StaleTests(TestCase):
    def test_an_export_older_than_the_days_allowed_is_stale(self) -> None:
        today = date(2027, 1, 15)
        self.assertFalse(rules.register_stale(today - timedelta(days=14), today=today, days=14))
        self.assertTrue(rules.register_stale(today - timedelta(days=15), today=today, days=14))
        self.assertTrue(rules.register_stale(None, today=today, days=14))


class TransitionPeriodTests(TestCase):
    """One month after the job ends (Aanjaagteam, FACTS.md §3), counted in calendar months."""

    def test_the_last_night_of_the_transition_period(self) -> None:
        self.assertEqual(rules.transition_last_night(date(2027, 3, 15)), date(2027, 4, 14))
        self.assertEqual(rules.transition_last_night(date(2027, 1, 31)), date(2027, 2, 27))
        self.assertEqual(rules.transition_last_night(date(2028, 1, 31)), date(2028, 2, 28))
        self.assertEqual(rules.transition_last_night(date(2027, 12, 10)), date(2028, 1, 9))

    def test_a_stay_that_ends_on_the_last_night_of_the_period_is_no_signal(self) -> None:
        job_end = date(2027, 3, 15)
        self.assertFalse(rules.housing_ends_with_job(job_end=job_end, last_night=date(2027, 4, 14)))
        self.assertTrue(rules.housing_ends_with_job(job_end=job_end, last_night=date(2027, 4, 13)))
        self.assertTrue(rules.housing_ends_with_job(job_end=job_end, last_night=job_end))

    def test_a_stay_that_ended_before_the_job_is_not_this_case(self) -> None:
        self.assertFalse(
            rules.housing_ends_with_job(job_end=date(2027, 3, 15), last_night=date(2027, 3, 14))
        )

    def test_the_period_is_a_parameter(self) -> None:
        self.assertTrue(
            rules.housing_ends_with_job(
                job_end=date(2027, 3, 15), last_night=date(2027, 4, 20), months=2
            )
        )


class RentDeductionTests(TestCase):
    """At most 25 % of the minimum wage, and only for certified housing (FACTS.md §3)."""

    on = date(2027, 1, 1)
    wage = Decimal("600.00")  # an example weekly minimum wage, not the real amount

    def findings(self, rent: str, *, certified: bool = True) -> list[str]:
        return rules.rent_deduction_findings(
            weekly_rent=Decimal(rent),
            weekly_minimum_wage=self.wage,
            certified=certified,
            on=self.on,
        )

    def test_exactly_a_quarter_is_allowed_and_a_cent_more_is_not(self) -> None:
        self.assertEqual(self.findings("150.00"), [])
        self.assertEqual(self.findings("150.01"), [rules.RENT_ABOVE_MAXIMUM])

    def test_any_deduction_for_housing_without_a_valid_certificate_is_a_finding(self) -> None:
        self.assertEqual(self.findings("10.00", certified=False), [rules.RENT_WITHOUT_CERTIFICATE])
        self.assertEqual(self.findings("0", certified=False), [])

    def test_the_maximum_is_dated(self) -> None:
        self.assertIsNone(rules.rent_deduction_maximum(date(2016, 12, 31)))
        self.assertEqual(rules.rent_deduction_maximum(date(2017, 1, 1)), Decimal("0.25"))
        self.assertEqual(rules.rent_deduction_maximum(date(2030, 1, 1)), Decimal("0.25"))

    def test_without_a_known_minimum_wage_only_the_certificate_is_checked(self) -> None:
        findings = rules.rent_deduction_findings(
            weekly_rent=Decimal("900"), weekly_minimum_wage=None, certified=False, on=self.on
        )
        self.assertEqual(findings, [rules.RENT_WITHOUT_CERTIFICATE])

    def test_the_limit_rounds_down_to_whole_cents(self) -> None:
        self.assertEqual(rules.rent_deduction_limit(Decimal("600.03"), self.on), Decimal("150.00"))
        self.assertIsNone(rules.rent_deduction_limit(None, self.on))
