from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welkom.core.commands import file_read, housing_provider
from welkom.register.models import NightListImport
from welkom.register.services import night_list_import


class Command(BaseCommand):
    help = "Import a housing provider's night list (CSV or XLSX) and print what it changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--provider", required=True, help="The housing provider's KvK number.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file: Path, provider: str, json: bool, **options) -> None:
        organisation = housing_provider(provider)
        data = file_read(file)
        record, _summary = night_list_import(
            provider=organisation, data=data, filename=file.name, source=NightListImport.Source.CLI
        )
        problems = [
            {**p, "message": _(p["message"]) % p["params"] if p["params"] else _(p["message"])}
            for p in record.problems
        ]
        if json:
            self.stdout.write(
                _json_dumps({"status": record.status, **record.counts, "problems": problems})
            )
        else:
            counts = record.counts
            self.stdout.write(
                f"{record.get_status_display()}: {counts['rows']} rows, {counts['nights']} nights, "
                f"{counts['persons']} persons ({counts['persons_created']} new); stays opened "
                f"{counts['stays_opened']}, closed {counts['stays_closed']}, changed "
                f"{counts['stays_changed']}; {len(problems)} problems."
            )
            for problem in problems:
                where = f"row {problem['row']}" if problem["row"] else "file"
                column = f", {problem['column']}" if problem["column"] else ""
                self.stdout.write(f"  {where}{column}: {problem['message']}")
        if record.status == NightListImport.Status.REJECTED:
            raise CommandError("The night list was refused; nothing changed.")


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
