from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from welkom.housing.location_files import location_file_read
from welkom.housing.services import locations_import
from welkom.lib.commands import file_read, found
from welkom.organisations.selectors import housing_provider


class Command(BaseCommand):
    help = "Store a housing provider's location descriptions from the location template (CSV or XLSX); all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--provider", required=True, help="The housing provider's KvK number.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file: Path, provider: str, json: bool, **options) -> None:
        organisation = found(
            housing_provider(provider), f"housing provider with KvK number {provider}"
        )
        data = file_read(file)
        descriptions, problems = location_file_read(data, provider=organisation)
        summary = {"status": "rejected" if problems else "applied", "locations": len(descriptions)}
        if not problems:
            summary.update(locations_import(provider=organisation, descriptions=descriptions))
        summary["problems"] = [
            {"row": p.row, "column": p.column, "message": p.text} for p in problems
        ]
        if json:
            self.stdout.write(_json_dumps(summary))
        else:
            self.stdout.write(
                f"{summary['status']}: {summary['locations']} locations"
                + (
                    f" ({summary['locations_created']} new, {summary['locations_updated']} changed)"
                    if not problems
                    else ""
                )
                + f"; {len(problems)} problems."
            )
            for problem in problems:
                where = f"row {problem.row}" if problem.row else "file"
                column = f", {problem.column}" if problem.column else ""
                self.stdout.write(f"  {where}{column}: {problem.text}")
        if problems:
            raise CommandError("The location file was refused; nothing changed.")


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
