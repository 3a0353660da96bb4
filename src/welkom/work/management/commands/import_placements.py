from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welkom.lib.commands import file_read, found, problem_lines
from welkom.lib.locks import BUSY, Busy
from welkom.organisations import rules
from welkom.organisations.models import Organisation
from welkom.work.models import PlacementImport
from welkom.work.services import placements_import


class Command(BaseCommand):
    help = (
        "Store an employer's or temp agency's placement list (CSV or XLSX: family_name, "
        "given_names, date_of_birth, nationality, hirer_kvk, agency_kvk, job_start, job_end); "
        "all or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--organisation", required=True, help="The employer's or agency's KvK number."
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file: Path, organisation: str, json: bool, **options) -> None:
        sender = found(
            Organisation.objects.filter(
                kvk_number=organisation, kind__in=[rules.EMPLOYER, rules.TEMP_AGENCY]
            ).first(),
            _("No employer or temp agency with KvK number %(kvk)s.") % {"kvk": organisation},
        )
        try:
            record, problems = placements_import(
                sender=sender,
                data=file_read(file),
                filename=file.name,
                source=PlacementImport.Source.CLI,
            )
        except Busy as busy:
            raise CommandError(_(BUSY)) from busy
        summary = {
            "id": record.pk,
            "status": record.status,
            **record.counts,
            "problems": [{"row": p.row, "column": p.column, "message": p.text} for p in problems],
        }
        if json:
            self.stdout.write(_json_dumps(summary))
        elif problems:
            for line in problem_lines((p.row, p.column, p.text) for p in problems):
                self.stdout.write(line)
        else:
            self.stdout.write(_placements_summary(record))
        if problems:
            raise CommandError(_("The placement list was refused; nothing changed."))


def _placements_summary(record: PlacementImport) -> str:
    counts = record.counts
    return _(
        "Applied: %(count)d placements; %(new)d new, %(changed)d changed, %(unchanged)d as before."
    ) % {
        "count": counts["placements"],
        "new": counts["new"],
        "changed": counts["changed"],
        "unchanged": counts["unchanged"],
    }


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
