"""Writes of work: a register export in, its statuses kept as dated facts; a placement
list in, its placements kept."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from welkom.lib.bulk import ids_table, in_table, temporary_table
from welkom.lib.locks import serialised
from welkom.lib.problems import Problem
from welkom.lib.public_pages import public_pages_changed
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.models import Stay
from welkom.work import rules
from welkom.work.models import (
    Placement,
    PlacementCount,
    PlacementImport,
    RegisterImport,
    StatusRecord,
)
from welkom.work.placement_files import placement_file_read
from welkom.work.register_files import register_file_read

OLDER_THAN_KEPT = gettext_noop(
    "Welkom already holds this register's export of %(latest)s; an export of %(as_of)s is "
    "older and would rewrite its history. Send the newest export."
)
DATE_AHEAD = gettext_noop("The register's date %(as_of)s lies in the future.")


@transaction.atomic
def register_import(
    *,
    register: str,
    data: bytes,
    filename: str,
    source: str,
    as_of: date | None = None,
    submitted_by=None,
) -> tuple[RegisterImport, list[Problem]]:
    """Read and keep a register's export: all or nothing, in one transaction with its
    tracked record (kept whatever the outcome). Exports of one register are applied one at a
    time (`lib.locks.Busy` after `IMPORT_WAIT_SECONDS`), so two at once give the history one
    order.

    Per lender, a record is added only when the status, its dates or its name differ from
    the lender's latest; otherwise the latest is confirmed as of this export. A lender the
    register listed before and this export no longer names gets NOT_LISTED. The same export
    twice changes nothing ("unchanged")."""
    if register not in rules.REGISTERS:
        raise ValueError(register)
    today = timezone.localdate()
    as_of = as_of or today
    serialised(f"work.register.{register}", wait=settings.IMPORT_WAIT_SECONDS)
    lenders, problems = register_file_read(data, filename=filename)
    latest_export = (
        RegisterImport.objects.filter(register=register)
        .exclude(status=RegisterImport.Status.REJECTED)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if as_of > today:
        problems.insert(0, Problem(None, None, DATE_AHEAD, {"as_of": as_of.isoformat()}))
    elif latest_export and as_of < latest_export:
        problems.insert(
            0,
            Problem(
                None,
                None,
                OLDER_THAN_KEPT,
                {"latest": latest_export.isoformat(), "as_of": as_of.isoformat()},
            ),
        )
    record = RegisterImport(
        register=register,
        as_of=as_of,
        source=source,
        submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
        status=RegisterImport.Status.REJECTED,
        counts={"lenders": len(lenders)},
    )
    record.file_keep(data, filename)
    if problems:
        record.problems = [problem.as_json() for problem in problems]
        record.save()
        return record, problems
    record.save()
    record.counts.update(_statuses_keep(record, lenders))
    changed = record.counts["new"] + record.counts["changed"] + record.counts["no_longer_listed"]
    record.status = RegisterImport.Status.APPLIED if changed else RegisterImport.Status.UNCHANGED
    record.save(update_fields=["status", "counts"])
    public_pages_changed()  # the loket's agency check shows the register's date, even unchanged
    return record, []


def _statuses_keep(record: RegisterImport, lenders) -> dict[str, int]:
    latest: dict[str, StatusRecord] = {}
    for status in StatusRecord.objects.filter(register=record.register).order_by("as_of", "pk"):
        latest[status.kvk_number] = status
    counts = {"new": 0, "changed": 0, "unchanged": 0, "no_longer_listed": 0}
    added: list[StatusRecord] = []
    confirmed: list[StatusRecord] = []

    def add(kvk: str, name: str, status: str, since, until) -> None:
        added.append(
            StatusRecord(
                register=record.register,
                kvk_number=kvk,
                name=name,
                status=status,
                since=since,
                until=until,
                as_of=record.as_of,
                confirmed_as_of=record.as_of,
                source=record,
            )
        )

    listed = set()
    for lender in lenders:
        listed.add(lender.kvk_number)
        before = latest.get(lender.kvk_number)
        same = before is not None and (
            before.status,
            before.since,
            before.until,
            before.name,
        ) == (lender.status, lender.since, lender.until, lender.name)
        if same:
            counts["unchanged"] += 1
            if before.confirmed_as_of < record.as_of:
                before.confirmed_as_of = record.as_of
                confirmed.append(before)
            continue
        counts["changed" if before else "new"] += 1
        if before is not None and before.as_of == record.as_of:
            before.delete()  # a corrected export of the same date replaces what it said
        add(lender.kvk_number, lender.name, lender.status, lender.since, lender.until)
    for kvk, before in latest.items():
        if kvk not in listed and before.status != rules.NOT_LISTED:
            counts["no_longer_listed"] += 1
            if before.as_of == record.as_of:
                before.delete()
            add(kvk, before.name, rules.NOT_LISTED, None, None)
    StatusRecord.objects.bulk_update(confirmed, ["confirmed_as_of"])
    StatusRecord.objects.bulk_create(added)
    return counts


NOT_YOURS = gettext_noop(
    "Neither the hirer's nor the agency's KvK number is %(kvk)s, yours: a list reports only "
    "placements its sender hires or lends in."
)
NOT_IN_REGISTER = gettext_noop(
    "No night list names this person with the hirer's or the agency's KvK number. A "
    "placement points at a person the register holds: check the name, date of birth and "
    "nationality against the housing provider's list."
)
SEVERAL_IN_REGISTER = gettext_noop(
    "The register holds more than one person with this name, date of birth and nationality; "
    "the municipality can merge them if they are one."
)
PLACEMENTS = "work-placements"


@transaction.atomic
def placements_import(
    *,
    sender,
    data: bytes,
    filename: str,
    source: str,
    submitted_by=None,
    today: date | None = None,
) -> tuple[PlacementImport, list[Problem]]:
    """Read and keep an employer's or agency's placement list: all or nothing, with its
    tracked record (kept whatever the outcome). A placement is known by its person, hirer,
    agency and start; sent again it changes nothing, sent with another end date it is
    updated; placements a list does not name stay as they were. One list per sender at a
    time (`lib.locks.Busy` after `IMPORT_WAIT_SECONDS`).

    A row's person must be one the register holds under a stay whose night list named the
    row's hirer or agency: the list cannot be used to ask whether someone else is housed in
    Limburg. Every person written is logged (activity "work-placements")."""
    today = today or timezone.localdate()
    serialised(f"work.placements.{sender.pk}", wait=settings.IMPORT_WAIT_SECONDS)
    listed, problems, written = placement_file_read(data, filename=filename, today=today)
    person_of: dict[int, int] = {}
    if not problems:
        problems = [
            replace(p, column=written.get(p.column, p.column))
            for p in _persons_found(listed, sender, person_of)
        ]
    record = PlacementImport(
        sender=sender,
        source=source,
        submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
        status=PlacementImport.Status.REJECTED,
        counts={"placements": len(listed)},
    )
    record.file_keep(data, filename)
    if problems:
        record.problems = [problem.as_json() for problem in problems]
        record.save()
        return record, problems
    record.save()
    counts = _placements_keep(listed, person_of, record)
    record.counts.update(counts)
    record.status = (
        PlacementImport.Status.APPLIED
        if counts["new"] or counts["changed"]
        else PlacementImport.Status.UNCHANGED
    )
    record.save(update_fields=["status", "counts"])
    # A user acts for the sender; an API token is the sender itself, with no person.
    processing = Processing(
        activity=PLACEMENTS,
        action=Entry.Action.CREATE,
        actor=submitted_by if getattr(submitted_by, "pk", None) else None,
        organisation=sender,
    )
    processing_log_write(
        processing=processing,
        subject_type="person",
        subject_ids=sorted(set(person_of.values())),
        object_type="placement",
    )
    return record, []


def _persons_found(listed, sender, person_of: dict[int, int]) -> list[Problem]:
    """Each row's register person into `person_of` (row → person id), or its problem."""
    problems = []
    for placement in listed:
        if sender.kvk_number not in (placement.hirer_kvk, placement.agency_kvk):
            problems.append(
                Problem(placement.row, "hirer_kvk", NOT_YOURS, {"kvk": sender.kvk_number})
            )
    if problems:
        return problems
    named: dict[tuple[str, str], set[int]] = defaultdict(set)
    # The keys in a table, not a parameter each: an agency's list can name tens of thousands.
    with temporary_table([("key", "text")], ((k,) for k in {p.match_key for p in listed})) as keys:
        for key, person_id, kvk in (
            Stay.internal.filter(
                person__match_key__in=in_table(keys, "key"),
                employer_kvk__in={k for p in listed for k in (p.hirer_kvk, p.agency_kvk) if k},
            )
            .values_list("person__match_key", "person_id", "employer_kvk")
            .distinct()
        ):
            named[(key, kvk)].add(person_id)
    for placement in listed:
        found = named[(placement.match_key, placement.hirer_kvk)] | (
            named[(placement.match_key, placement.agency_kvk)] if placement.agency_kvk else set()
        )
        if not found:
            problems.append(Problem(placement.row, "family_name", NOT_IN_REGISTER))
        elif len(found) > 1:
            problems.append(Problem(placement.row, "family_name", SEVERAL_IN_REGISTER))
        else:
            person_of[placement.row] = next(iter(found))
    return problems


def _placements_keep(listed, person_of: dict[int, int], record) -> dict[str, int]:
    with ids_table(person_of.values()) as persons:
        existing = {
            (p.person_id, p.hirer_kvk, p.agency_kvk, p.starts_on): p
            for p in Placement.internal.filter(person_id__in=in_table(persons))
        }
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    added, changed = [], []
    for placement in listed:
        key = (
            person_of[placement.row],
            placement.hirer_kvk,
            placement.agency_kvk,
            placement.starts_on,
        )
        before = existing.get(key)
        if before is None:
            counts["new"] += 1
            added.append(
                Placement(
                    person_id=key[0],
                    hirer_kvk=placement.hirer_kvk,
                    agency_kvk=placement.agency_kvk,
                    starts_on=placement.starts_on,
                    ends_on=placement.ends_on,
                    source=record,
                )
            )
        elif before.ends_on != placement.ends_on:
            counts["changed"] += 1
            before.ends_on, before.source = placement.ends_on, record
            changed.append(before)
        else:
            counts["unchanged"] += 1
    Placement.internal.bulk_create(added)
    Placement.internal.bulk_update(changed, ["ends_on", "source"])
    return counts


COUNTED = ("placed_agency", "placed_admitted", "placed_unadmitted", "housed_by_employer")


@transaction.atomic
def placement_counts_keep(*, night: date) -> int:
    """Store the night's placement counts per municipality for the monitor (replacing what
    an earlier run stored for that night); safe to run as often as wanted. The number of
    municipalities with a count."""
    from welkom.work.selectors import placed_counts

    # Two runs at once (a second scheduler) would both insert the night's counts.
    serialised("work.placement-counts")
    PlacementCount.objects.filter(night=night).delete()
    rows = [
        PlacementCount(
            municipality_id=municipality_id,
            night=night,
            **{name: getattr(counts, name) for name in COUNTED},
        )
        for municipality_id, counts in placed_counts(night=night).items()
        if any(getattr(counts, name) for name in COUNTED)
    ]
    PlacementCount.objects.bulk_create(rows)
    return len(rows)
