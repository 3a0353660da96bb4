"""Location descriptions as a file: one row per room, the location's columns repeated.

The same checks as the location page (its forms), so a file and the page refuse the same
things with the same messages. `location_file_read` reads and checks without storing;
`welkom norms_check` judges the result, `welkom import_locations` stores it.

Layout (CSV with comma or semicolon, UTF-8 or Windows-1252, or an XLSX workbook):
  location columns  code, street, number, addition, postcode, place, permitted_capacity,
                    opened_on, closed_on, building_type, zoning, stay_type, new_build,
                    toilets, showers, burners, sockets, washing, drying_outside_bedrooms,
                    lockable_storage, under_one_roof, information_card,
                    smoke_detectors_checked, co_detectors_checked, extinguisher_inspected,
                    extinguisher_reob, rental_contract_separate,
                    rights_information_in_language, rent_per_bed_week, rent_deducted,
                    certificate_scheme, certificate_register_id, certificate_valid_until,
                    certificate_last_inspection
  room columns      room_name, room_use, room_area_m2, room_walkable_m2, room_beds
Yes/no columns take yes/no, ja/nee, true/false or 1/0; dates yyyy-mm-dd or dd-mm-yyyy;
the rent in euro with a point or a comma (`85,50`). Rent columns may be left out.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from welkom.housing import rules as norms
from welkom.housing.forms import CertificateForm, LocationForm, RoomForm
from welkom.housing.models import (
    ADDRESS_FIELDS,
    DESCRIPTION_FIELDS,
    PERMIT_FIELDS,
    RENT_FIELDS,
    Location,
)
from welkom.lib.files import date_parse, spreadsheet_records
from welkom.lib.problems import Problem
from welkom.lib.text import DIRECTION_CHARACTERS, direction_marked

LOCATION_COLUMNS = [*ADDRESS_FIELDS, *PERMIT_FIELDS, *DESCRIPTION_FIELDS, *RENT_FIELDS]
CERTIFICATE_COLUMNS = [
    "certificate_scheme",
    "certificate_register_id",
    "certificate_valid_until",
    "certificate_last_inspection",
]
ROOM_COLUMNS = ["room_name", "room_use", "room_area_m2", "room_walkable_m2", "room_beds"]
COLUMNS = LOCATION_COLUMNS + CERTIFICATE_COLUMNS + ROOM_COLUMNS
# The columns a file must have. The facilities are counted for the norms (a toilet and a
# shower per 8 persons, burners, a socket per resident), so the location page asks for them
# too: a file without them is refused at once, not with four problems per row.
REQUIRED = [
    "code",
    "street",
    "number",
    "postcode",
    "building_type",
    "zoning",
    "stay_type",
    "toilets",
    "showers",
    "burners",
    "sockets",
]
DATES = {
    "opened_on",
    "closed_on",
    "smoke_detectors_checked",
    "co_detectors_checked",
    "extinguisher_inspected",
    "certificate_valid_until",
    "certificate_last_inspection",
}
YES = {"yes", "ja", "true", "1", "y", "j", "waar"}
NO = {"no", "nee", "false", "0", "n", "onwaar"}
YES_NO = {
    "new_build",
    "washing",
    "drying_outside_bedrooms",
    "lockable_storage",
    "under_one_roof",
    "information_card",
    "extinguisher_reob",
}
MAYBE_YES_NO = {"rental_contract_separate", "rights_information_in_language", "rent_deducted"}
DECIMALS = {"rent_per_bed_week"}

_EXAMPLE_LOCATION = {
    "code": "P01",
    "street": "Parade",
    "number": "7",
    "postcode": "5911 CB",
    "place": "Venlo",
    "permitted_capacity": "10",
    "opened_on": "2024-01-01",
    "building_type": "hotel_pension",
    "zoning": "logies",
    "stay_type": "mid",
    "new_build": "no",
    "toilets": "2",
    "showers": "2",
    "burners": "8",
    "sockets": "12",
    **dict.fromkeys(
        [
            "washing",
            "drying_outside_bedrooms",
            "lockable_storage",
            "under_one_roof",
            "information_card",
            "extinguisher_reob",
            "rental_contract_separate",
            "rights_information_in_language",
        ],
        "yes",
    ),
    **dict.fromkeys(
        ["smoke_detectors_checked", "co_detectors_checked", "extinguisher_inspected"],
        "2026-06-01",
    ),
    "rent_per_bed_week": "85.50",
    "rent_deducted": "yes",
    "certificate_scheme": "snf",
    "certificate_register_id": "SNF-12345",
    "certificate_valid_until": "2027-06-30",
    "certificate_last_inspection": "2026-05-15",
}
_EXAMPLE_ROOMS = [
    {"room_name": "Slaapkamer 1", "room_use": "bedroom", "room_area_m2": "14",
     "room_walkable_m2": "8", "room_beds": "2"},
    {"room_name": "Woonkamer", "room_use": "living", "room_area_m2": "40",
     "room_walkable_m2": "30", "room_beds": "0"},
]  # fmt: skip
_EXAMPLE = [
    [{**_EXAMPLE_LOCATION, **room}.get(column, "") for column in COLUMNS] for room in _EXAMPLE_ROOMS
]


def location_template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_EXAMPLE)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


@dataclass
class LocationDescription:
    """One location of a file, checked: the form data, ready to judge or to store."""

    code: str
    first_row: int
    location: dict
    rooms: list[dict] = field(default_factory=list)
    certificate: dict | None = None
    municipality: object = None

    def facts(self) -> norms.LocationFacts:
        data = self.location
        return norms.LocationFacts(
            building_type=data["building_type"],
            zoning=data["zoning"],
            stay_type=data["stay_type"],
            new_build=data["new_build"],
            rooms=tuple(
                norms.Room(r["use"], r["area_m2"], r["beds"], r["walkable_m2"]) for r in self.rooms
            ),
            marks=((self.certificate["scheme"], self.certificate["valid_until"]),)
            if self.certificate
            else (),
            **{
                name: data[name]
                for name in LOCATION_COLUMNS
                if name in norms.LocationFacts.__dataclass_fields__
                and name not in {"building_type", "zoning", "stay_type", "new_build"}
            },
        )


def location_file_read(data: bytes, *, provider) -> tuple[list[LocationDescription], list[Problem]]:
    records, problems = spreadsheet_records(data)
    if problems:
        return [], problems
    if not records:
        return [], [Problem(None, None, gettext_noop("The file contains no rows."))]
    header = [_normalise(cell) for cell in records[0][1]]
    missing = [c for c in REQUIRED + ROOM_COLUMNS[:3] if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        problems.append(
            Problem(
                None,
                None,
                gettext_noop("Required columns are missing: %(columns)s."),
                {"columns": ", ".join(missing)},
            )
        )
    if unknown:
        problems.append(
            Problem(
                None,
                None,
                gettext_noop("Unknown columns: %(columns)s. The known columns are: %(accepted)s."),
                {"columns": ", ".join(unknown), "accepted": ", ".join(COLUMNS)},
            )
        )
    if problems:
        return [], problems
    by_code: dict[str, LocationDescription] = {}
    raw_of: dict[str, dict] = {}
    for number, cells in records[1:]:
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        if not any(row.values()):
            continue
        marked = [name for name, value in row.items() if direction_marked(value)]
        if marked:
            problems.extend(Problem(number, name, DIRECTION_CHARACTERS) for name in marked)
            continue
        code = row.get("code", "")
        location_values = {c: row.get(c, "") for c in LOCATION_COLUMNS + CERTIFICATE_COLUMNS}
        if code in raw_of:
            if location_values != raw_of[code]:
                problems.append(
                    Problem(
                        number,
                        None,
                        gettext_noop(
                            "The location columns differ from the first row of location %(code)s; "
                            "repeat them unchanged on every room row."
                        ),
                        {"code": code},
                    )
                )
        else:
            raw_of[code] = location_values
            description = _location_check(number, location_values, provider, problems)
            if description is not None:
                for name in RENT_FIELDS:
                    if name not in header:
                        description.location.pop(name, None)
                by_code[code] = description
        room = _room_check(number, row, problems)
        if room is not None and code in by_code:
            by_code[code].rooms.append(room)
    for description in by_code.values():
        names = [r["name"].casefold() for r in description.rooms]
        if len(names) != len(set(names)):
            problems.append(
                Problem(
                    description.first_row,
                    "room_name",
                    gettext_noop(
                        "Location %(code)s names a room twice; give every room its own name."
                    ),
                    {"code": description.code},
                )
            )
    return (list(by_code.values()) if not problems else []), problems


def _normalise(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").casefold().replace(" ", "_").replace("-", "_")


def _location_check(number, values, provider, problems) -> LocationDescription | None:
    form_data = {}
    for name in LOCATION_COLUMNS:
        value = values.get(name, "")
        converted = _convert(name, value, number, problems)
        if converted is not None:
            form_data[name] = converted
    instance = (
        Location.objects.filter(provider=provider, code=values.get("code", "")).first()
        if provider is not None
        else None
    )
    form = LocationForm(
        form_data, instance=instance or Location(provider=provider), provider=provider
    )
    ok = form.is_valid()
    _form_problems(number, form, problems, prefix="")
    certificate = None
    if values.get("certificate_scheme"):
        cert_data = {
            "scheme": values["certificate_scheme"].casefold(),
            "register_id": values.get("certificate_register_id", ""),
            "valid_until": _convert(
                "certificate_valid_until",
                values.get("certificate_valid_until", ""),
                number,
                problems,
            )
            or "",
            "last_inspection": _convert(
                "certificate_last_inspection",
                values.get("certificate_last_inspection", ""),
                number,
                problems,
            )
            or "",
        }
        cert_form = CertificateForm(cert_data)
        if cert_form.is_valid():
            certificate = {
                k: cert_form.cleaned_data[k]
                for k in ("scheme", "register_id", "valid_until", "last_inspection")
            }
        else:
            ok = False
            _form_problems(number, cert_form, problems, prefix="certificate_")
    if not ok:
        return None
    return LocationDescription(
        code=form.cleaned_data["code"],
        first_row=number,
        location=form.cleaned_data,
        certificate=certificate,
        municipality=form.municipality,
    )


def _room_check(number, row, problems) -> dict | None:
    data = {
        "name": row.get("room_name", ""),
        "use": row.get("room_use", "").casefold(),
        "area_m2": row.get("room_area_m2", "").replace(",", "."),
        "walkable_m2": row.get("room_walkable_m2", "").replace(",", "."),
        "beds": row.get("room_beds", ""),
    }
    form = RoomForm(data)
    if not form.is_valid():
        _form_problems(number, form, problems, prefix="room_")
        return None
    return {k: form.cleaned_data[k] for k in ("name", "use", "area_m2", "walkable_m2", "beds")}


def _convert(name: str, value: str, number: int, problems) -> object:
    """File text → what the form takes (booleans and ISO dates)."""
    if name in YES_NO or name in MAYBE_YES_NO:
        word = value.casefold()
        if not word:
            return None if name in MAYBE_YES_NO else False
        if word in YES:
            return "true" if name in MAYBE_YES_NO else True
        if word in NO:
            return "false" if name in MAYBE_YES_NO else False
        problems.append(Problem(number, name, gettext_noop("Write yes or no.")))
        return None
    if name in DATES and value:
        parsed = date_parse(value)
        if parsed is None:
            problems.append(
                Problem(
                    number,
                    name,
                    gettext_noop("Not a date. Write dates as yyyy-mm-dd or dd-mm-yyyy."),
                )
            )
            return None
        return parsed.isoformat()
    if name in DECIMALS:
        return value.replace("€", "").strip().replace(",", ".")
    return value


def _form_problems(number, form, problems, *, prefix: str) -> None:
    for name, errors in form.errors.items():
        column = None if name == "__all__" else f"{prefix}{name}" if prefix else name
        for error in errors:
            # A form's message is translated already: it becomes the one parameter.
            problems.append(Problem(number, column, "%(error)s", {"error": str(error)}))
