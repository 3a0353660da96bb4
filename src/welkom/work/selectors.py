"""Reads of the lenders' registers: statuses by KvK number, the registers' dates, lookups.
Public data about businesses: nothing here is personal data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from welkom.organisations import rules as organisation_rules
from welkom.organisations.models import Organisation
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.work import rules
from welkom.work.models import RegisterImport, StatusRecord

LOOKUP_LIMIT = 20


@dataclass(frozen=True)
class RegisterDate:
    register: str
    as_of: date | None  # the newest export Welkom holds; None: none yet
    stale: bool


@dataclass(frozen=True)
class Lender:
    kvk_number: str
    name: str
    statuses: list[rules.Status]  # every register's history, oldest first
    sna: rules.Status | None  # today's, per register
    wtta: rules.Status | None
    duty: str  # rules.DUTIES: what hiring through it means today

    @property
    def listed(self) -> bool:
        return bool(self.statuses)


def register_dates(*, today: date | None = None) -> dict[str, RegisterDate]:
    today = today or timezone.localdate()
    newest = dict(
        RegisterImport.objects.exclude(status=RegisterImport.Status.REJECTED)
        .values_list("register")
        .annotate(newest=Max("as_of"))
    )
    return {
        register: RegisterDate(
            register,
            newest.get(register),
            rules.register_stale(
                newest.get(register), today=today, days=settings.AGENCY_REGISTER_STALE_DAYS
            ),
        )
        for register in rules.REGISTERS
    }


def lenders(
    kvk_numbers, *, names: dict[str, str] | None = None, today: date | None = None
) -> list[Lender]:
    """A `Lender` per KvK number, in the order given; `names`: the name to show for a lender
    no register lists (an agency known to Welkom)."""
    today = today or timezone.localdate()
    kvk_numbers = list(dict.fromkeys(kvk_numbers))
    history: dict[str, list[StatusRecord]] = defaultdict(list)
    for record in StatusRecord.objects.filter(kvk_number__in=kvk_numbers).order_by("as_of", "pk"):
        history[record.kvk_number].append(record)
    found = []
    for kvk in kvk_numbers:
        records = history.get(kvk, [])
        statuses = [record.as_rule() for record in records]
        found.append(
            Lender(
                kvk_number=kvk,
                name=records[-1].name if records else (names or {}).get(kvk, ""),
                statuses=statuses,
                sna=rules.status_on(statuses, rules.SNA, today),
                wtta=rules.status_on(statuses, rules.WTTA, today),
                duty=rules.lending_duty(statuses, today),
            )
        )
    return found


def lender_lookup(query: str, *, today: date | None = None) -> list[Lender]:
    """Lenders by KvK number (exactly) or by a part of the name (at least three letters), as
    the registers and Welkom's own temp agencies name them; at most `LOOKUP_LIMIT`."""
    query = query.strip()
    try:
        kvk = kvk_number_normalise(query)
    except KvkNumberError:
        kvk = None
    agencies = Organisation.objects.filter(kind=organisation_rules.TEMP_AGENCY).exclude(
        kvk_number=""
    )
    if kvk:
        numbers = [kvk]
        names = dict(agencies.filter(kvk_number=kvk).values_list("kvk_number", "name"))
        if not names and not StatusRecord.objects.filter(kvk_number=kvk).exists():
            return []
    else:
        if len(query) < 3:
            return []
        numbers = list(
            StatusRecord.objects.filter(name__icontains=query)
            .order_by("kvk_number")
            .values_list("kvk_number", flat=True)
            .distinct()[:LOOKUP_LIMIT]
        )
        names = dict(
            agencies.filter(name__icontains=query).values_list("kvk_number", "name")[:LOOKUP_LIMIT]
        )
        numbers = sorted(set(numbers) | set(names))[:LOOKUP_LIMIT]
    return sorted(lenders(numbers, names=names, today=today), key=lambda lender: lender.name)


def lender_rows(*, query: str = "", today: date | None = None) -> list[Lender]:
    """For staff: every lender a register lists or Welkom knows as a temp agency, or those
    matching `query`, by name."""
    if query:
        return lender_lookup(query, today=today)
    agencies = dict(
        Organisation.objects.filter(kind=organisation_rules.TEMP_AGENCY)
        .exclude(kvk_number="")
        .values_list("kvk_number", "name")
    )
    numbers = set(StatusRecord.objects.values_list("kvk_number", flat=True).distinct())
    return sorted(
        lenders(numbers | set(agencies), names=agencies, today=today),
        key=lambda lender: (lender.name.lower(), lender.kvk_number),
    )


def lender_of(kvk_number: str) -> Lender | None:
    found = lender_lookup(kvk_number)
    return found[0] if found else None
