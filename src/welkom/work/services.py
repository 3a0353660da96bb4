"""Writes of the lenders' registers: an export in, its statuses kept as dated facts."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from welkom.lib.locks import serialised
from welkom.lib.problems import Problem
from welkom.lib.public_pages import public_pages_changed
from welkom.work import rules
from welkom.work.models import RegisterImport, StatusRecord
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
