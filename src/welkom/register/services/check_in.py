"""The check-in form for small providers: one night at one location, as a night list.

A form submission becomes the night list for that (location, night) — the persons ticked
plus a newly arriving one — and goes through `night_list_import` like any file, so the
form, the upload, the API and the command line share one write path and one set of checks.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from welkom.register.list_reader import NIGHT_LIST_COLUMNS
from welkom.register.models import NightListImport, Person
from welkom.register.services.night_lists import ImportSummary, night_list_import


def night_list_from_form(
    *, location_code: str, night: date, persons: list[Person], new_person: dict | None
) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=NIGHT_LIST_COLUMNS)
    writer.writeheader()
    rows = [
        {
            "family_name": p.family_name,
            "given_names": p.given_names,
            "date_of_birth": p.date_of_birth.isoformat(),
            "nationality": p.nationality,
            "home_place": p.home_place,
            "home_country": p.home_country,
            "document_type": p.document_type,
            "document_number": p.document_number,
            "bsn": p.bsn,
        }
        for p in persons
    ]
    if new_person:
        rows.append({**new_person, "date_of_birth": new_person["date_of_birth"].isoformat()})
    for row in rows:
        writer.writerow({"night": night.isoformat(), "location_code": location_code, **row})
    return buffer.getvalue().encode("utf-8")


def night_check_in(
    *, location, night: date, persons: list[Person], new_person: dict | None, user
) -> tuple[NightListImport, ImportSummary]:
    data = night_list_from_form(
        location_code=location.code, night=night, persons=persons, new_person=new_person
    )
    return night_list_import(
        provider=location.provider,
        data=data,
        filename=f"form-{location.code}-{night.isoformat()}.csv",
        source=NightListImport.Source.FORM,
        submitted_by=user,
    )
