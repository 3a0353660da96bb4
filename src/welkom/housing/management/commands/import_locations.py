from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welkom.housing.models import LocationImport
from welkom.housing.services import location_file_import
from welkom.lib.commands import file_read, found, problem_lines, provider_missing
from welkom.lib.locks import BUSY, Busy
from welkom.organisations.selectors import housing_provider


class Command(BaseCommand):
    help = "Store a housing provider's location descriptions from the location template (CSV or XLSX); all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--provider", required=True, help="The housing provider's KvK number.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file: Path, provider: str, json: bool, **options) -> None:
        organisation = found(housing_provider(provider), provider_missing(provider))
        try:
            record, problems = location_file_import(
                provider=organisation,
                data=file_read(file),
                filename=file.name,
                source=LocationImport.Source.CLI,
            )
        except Busy as busy:
            raise CommandError(_(BUSY)) from busy
        summary = {"id": record.pk, "status": record.status, **record.counts}
        summary["problems"] = [
            {"row": p.row, "column": p.column, "message": p.text} for p in problems
        ]
        if json:
            self.stdout.write(_json_dumps(summary))
        else:
            if problems:
                self.stdout.write(
                    _("Refused: %(locations)d locations; %(problems)d problems.")
                    % {"locations": summary["locations"], "problems": len(problems)}
                )
            else:
                self.stdout.write(
                    _("Applied: %(locations)d locations (%(created)d new, %(updated)d changed).")
                    % {
                        "locations": summary["locations"],
                        "created": summary["locations_created"],
                        "updated": summary["locations_updated"],
                    }
                )
            for line in problem_lines((p.row, p.column, p.text) for p in problems):
                self.stdout.write(line)
        if problems:
            raise CommandError(_("The location file was refused; nothing changed."))


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
