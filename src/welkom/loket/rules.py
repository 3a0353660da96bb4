"""The "What must I do?" check as pure functions: plain answers in, dated steps out.

The registration duties come from the register's own rule functions
(`welkom.register.rules`), applied to the stay the visitor plans, so that the loket and the
register never disagree. Nothing here imports Django, and nothing is stored or logged: the
check sees the answers only while it computes the steps.

Rules of the loket's own, with their sources:
- Dutch basic health insurance for whoever works in the Netherlands, to be taken out within 4
  months; the cover goes back to the first day (Zorgverzekeringswet; rijksoverheid.nl).
- Departure abroad for 8 months or more within a year: declared to the municipality no earlier
  than 5 days before leaving (Wet BRP art. 2.43, shared domain facts §4).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from welkom.register import rules as registration
from welkom.register.rules import DEFAULT_PARAMETERS, PersonFacts, Registration
from welkom.register.stays import StayFacts

BRP = "brp"
BRP_IF_LONGER = "brp-if-longer"
RNI = "rni"
ADDRESS_CHANGE = "address-change"
HEALTH_INSURANCE = "health-insurance"
DEPARTURE = "departure"

HEALTH_INSURANCE_MONTHS = 4
DEPARTURE_DECLARE_DAYS_BEFORE = 5
# The check's stays are imagined: no person or location of the register.
PLANNED, PREVIOUS = 1, 0  # location ids of the address of the check and the one before


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Step:
    """One thing to do: `kind` names it; `due` is the last day to do it on, `overdue` says
    that day has passed; `earliest` is the first day it applies (a departure report, the BRP
    once a short stay grows longer)."""

    kind: str
    source: str
    due: date | None = None
    overdue: bool = False
    earliest: date | None = None


def steps_for(
    *,
    arrival: date,
    departure: date,
    registration_status: Registration,
    municipality_code: str,
    today: date,
) -> list[Step]:
    """The steps for someone who arrives (or arrived) on `arrival` and expects to leave on
    `departure`, to stay in the municipality with `municipality_code`."""
    status = (
        Registration.NONE if registration_status == Registration.UNKNOWN else registration_status
    )
    planned = StayFacts(0, PLANNED, arrival, departure, municipality_code=municipality_code)
    person = PersonFacts(status, (planned,), expected_departure=departure)
    last_night = max(arrival, departure - timedelta(days=1))
    findings = {f.rule: f for f in registration.registration_findings(person, on=last_night)}
    steps: list[Step] = []

    brp = findings.get(registration.BRP_REQUIRED)
    if brp is not None:
        steps.append(Step(BRP, brp.source, due=brp.deadline, overdue=brp.deadline < today))
    elif status != Registration.BRP:
        # A shorter stay: the RNI, unless done; and the BRP once the stay turns out longer.
        if registration.RNI_ADVISED in findings:
            steps.append(Step(RNI, findings[registration.RNI_ADVISED].source))
        open_ended = PersonFacts(
            status, (StayFacts(0, PLANNED, arrival, municipality_code=municipality_code),)
        )
        crossing = registration.brp_threshold_night(
            open_ended.stays, on=arrival + timedelta(days=DEFAULT_PARAMETERS.brp_window_days)
        )
        if crossing is not None:
            steps.append(Step(BRP_IF_LONGER, "Wet BRP art. 2.38", earliest=crossing[1]))

    if status == Registration.BRP:
        # Already in the BRP: coming to this address is a move, reported to its municipality.
        before = StayFacts(0, PREVIOUS, arrival - timedelta(days=1), arrival)
        moved = registration.address_change(PersonFacts(status, (before, planned)), on=arrival)
        if moved is not None:
            # Only a move makes this a duty, and the check does not ask about earlier
            # addresses: the step says "if you moved" and is never shown as overdue.
            steps.append(Step(ADDRESS_CHANGE, moved.source, due=moved.deadline))

    insured_by = months_after(arrival, HEALTH_INSURANCE_MONTHS)
    steps.append(
        Step(
            HEALTH_INSURANCE,
            "Zorgverzekeringswet",
            due=insured_by,
            overdue=insured_by < today,
        )
    )

    if brp is not None or status == Registration.BRP:
        steps.append(
            Step(
                DEPARTURE,
                "Wet BRP art. 2.43",
                earliest=departure - timedelta(days=DEPARTURE_DECLARE_DAYS_BEFORE),
            )
        )
    return steps
