"""Pure rules about the registers of lenders of workers: what a status means on a date.

Welkom mirrors two registers and never certifies anyone itself:

- **SNA** (Stichting Normering Arbeid): the private quality mark after NEN 4400-1 (Dutch
  firms) and NEN 4400-2 (foreign firms), inspected about twice a year. Source:
  normeringarbeid.nl, "Het schema" and "Werkwijze" (`../shared/domain/FACTS.md` §5).
- **Wtta** (Wet toelating terbeschikkingstelling van arbeidskrachten): admission of every
  lender of workers by the minister of SZW, mandatory from 1 January 2027 and enforced by
  the Nederlandse Arbeidsinspectie from 1 January 2028; hirers may then hire only from
  admitted lenders, and both risk a fine. The Nederlandse Autoriteit Uitleenmarkt keeps the
  public register. Sources: ABU, "Toelatingsstelsel Wtta"; Normec VRO, "Wtta treedt in
  werking vanaf 2027"; Eerste Kamer vote of 11 November 2025 (FACTS.md §5).

A status is a dated fact as the register published it on its export's date (`as_of`);
Welkom shows how old that date is rather than guess what changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

SNA = "sna"
WTTA = "wtta"
REGISTERS = (SNA, WTTA)
REGISTER_LABELS = {
    SNA: gettext_noop("SNA quality mark (NEN 4400)"),
    WTTA: gettext_noop("Wtta admission"),
}

# Statuses as the registers publish them, in Welkom's words. A lender a register does not
# list is NOT_LISTED (after it was listed) or has no status at all (never listed).
ADMITTED = "admitted"  # Wtta: toegelaten; SNA: gecertificeerd
SUSPENDED = "suspended"  # geschorst
WITHDRAWN = "withdrawn"  # ingetrokken
NOT_LISTED = "not_listed"  # no longer in the register's export
STATUSES = (ADMITTED, SUSPENDED, WITHDRAWN, NOT_LISTED)
STATUS_LABELS = {
    ADMITTED: gettext_noop("admitted or certified"),
    SUSPENDED: gettext_noop("suspended"),
    WITHDRAWN: gettext_noop("withdrawn"),
    NOT_LISTED: gettext_noop("no longer listed"),
}

WTTA_ADMISSION_REQUIRED = date(2027, 1, 1)
WTTA_ENFORCED = date(2028, 1, 1)

# What hiring through a lender means on a date, from its Wtta status.
FINE = "fine"  # the Arbeidsinspectie enforces: an unadmitted lender and its hirer risk a fine
NOT_ALLOWED = "not_allowed"  # admission is required; enforcement has not yet begun
ALLOWED = "allowed"  # admitted, or before admission is required
DUTIES = (ALLOWED, NOT_ALLOWED, FINE)


@dataclass(frozen=True)
class Status:
    register: str
    status: str
    since: date | None  # as the register gives it
    until: date | None
    as_of: date  # the date of the register's export that said so


def status_on(statuses: list[Status], register: str, on: date) -> Status | None:
    """The status a register gave the lender in its latest export on or before `on`, taking
    the status's own end date into account: an admission `until` yesterday is over."""
    known = [s for s in statuses if s.register == register and s.as_of <= on]
    if not known:
        return None
    latest = max(known, key=lambda s: s.as_of)
    if latest.status == ADMITTED and latest.until is not None and latest.until < on:
        return Status(register, WITHDRAWN, latest.until, None, latest.as_of)
    return latest


def admitted_on(statuses: list[Status], on: date) -> bool:
    status = status_on(statuses, WTTA, on)
    return (
        status is not None
        and status.status == ADMITTED
        and (status.since is None or status.since <= on)
    )


def lending_duty(statuses: list[Status], on: date) -> str:
    """Whether a hirer may hire workers through this lender on `on`, by its Wtta status."""
    if on < WTTA_ADMISSION_REQUIRED or admitted_on(statuses, on):
        return ALLOWED
    if on < WTTA_ENFORCED:
        return NOT_ALLOWED
    return FINE


def register_stale(as_of: date | None, *, today: date, days: int) -> bool:
    """A register export older than `days` (or none at all) is shown as stale: the register
    may have changed since."""
    return as_of is None or (today - as_of).days > days


# --- The transition period and rent deducted from wages --------------------------------------
#
# Pure and dated, with their sources; the register applies them once placements (who works
# for whom until when) and the rent a provider deducts are recorded (issue 15, next part).

# After a job ends, a worker housed by the employer or agency keeps the housing for a
# transition period. The Aanjaagteam Bescherming Arbeidsmigranten (second advice, 30 October
# 2020) asked for a notice period of one month, as reported by NOS, "Roemer: maak
# arbeidsmigranten minder afhankelijk van hun werkgever"; its primary text was not found
# (FACTS.md §3). One calendar month by default; `months` is the parameter.
TRANSITION_MONTHS = 1


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day (31 January +
    one month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def transition_last_night(job_end: date, *, months: int = TRANSITION_MONTHS) -> date:
    """The last night a worker whose job ended on `job_end` may still stay: the night
    before the day one transition period after it."""
    return months_after(job_end, months) - timedelta(days=1)


def housing_ends_with_job(
    *, job_end: date, last_night: date, months: int = TRANSITION_MONTHS
) -> bool:
    """Whether a stay in the employer's or agency's housing whose last night was
    `last_night` ended within the transition period after the job ended on `job_end`:
    a signal for the municipality. A stay that ended before the job did is not this case."""
    return job_end <= last_night < transition_last_night(job_end, months=months)


# Rent for housing may be deducted from the statutory minimum wage up to 25 % of it, and
# only for housing that meets the quality norms with a certified landlord (Wet minimumloon
# en minimumvakantiebijslag as amended by the Wet aanpak schijnconstructies, since
# 1 January 2017; Rijksoverheid, "Kosten voor huur en zorgverzekering inhouden op
# minimumloon werknemer"). The 2025 plan to phase it out (kst 29861-156) was withdrawn on
# 20 November 2025 (kst 29861-176): 25 % stays (FACTS.md §3). Dated, newest last.
RENT_DEDUCTION_MAXIMUM = [(date(2017, 1, 1), Decimal("0.25"))]

RENT_ABOVE_MAXIMUM = "rent-above-maximum"
RENT_WITHOUT_CERTIFICATE = "rent-without-certificate"


def rent_deduction_maximum(on: date) -> Decimal | None:
    share = None
    for since, value in RENT_DEDUCTION_MAXIMUM:
        if since <= on:
            share = value
    return share


def rent_deduction_limit(weekly_minimum_wage: Decimal | None, on: date) -> Decimal | None:
    """The most rent that may be deducted per week on `on`, in euro (cents rounded down);
    None when the minimum wage of that date is not known."""
    share = rent_deduction_maximum(on)
    if share is None or weekly_minimum_wage is None:
        return None
    return (share * weekly_minimum_wage).quantize(Decimal("0.01"), rounding="ROUND_DOWN")


def rent_deduction_findings(
    *, weekly_rent: Decimal, weekly_minimum_wage: Decimal | None, certified: bool, on: date
) -> list[str]:
    """What is wrong with deducting `weekly_rent` from wages on `on`: more than the share
    allowed of the weekly minimum wage, or any deduction for housing without a valid SNF or
    AKF certificate (`certified`: a mark valid on `on`). Exactly the maximum is allowed.
    With the minimum wage unknown (None) only the certificate is checked.

    The limit is that of a full-time worker: a part-timer's is lower (25 % of a pro-rata
    minimum wage), and Welkom knows no one's hours, so a deduction above this limit is
    too much for everyone and one below it may still be too much for a part-timer."""
    findings = []
    if weekly_rent <= 0:
        return findings
    limit = rent_deduction_limit(weekly_minimum_wage, on)
    if limit is not None and weekly_rent > limit:
        findings.append(RENT_ABOVE_MAXIMUM)
    if not certified:
        findings.append(RENT_WITHOUT_CERTIFICATE)
    return findings
