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
from datetime import date

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
