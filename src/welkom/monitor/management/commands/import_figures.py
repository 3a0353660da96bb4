from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from welkom.monitor.models import FiguresImport
from welkom.monitor.services import figures_import


class Command(BaseCommand):
    help = (
        "Import external figures (Decisio, CBS) from a CSV or XLSX file in the template's "
        "columns. All or nothing; a file sent twice changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument(
            "--once",
            action="store_true",
            help="do nothing when a file of this name was imported before (for make run)",
        )

    def handle(self, *args, file: Path, json: bool, once: bool, **options) -> None:
        if once and FiguresImport.objects.filter(filename=file.name).exists():
            self.stdout.write(f"{file.name} was imported before: nothing done.")
            return
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        summary = figures_import(data=data, filename=file.name)
        result = {
            "rows": summary.rows,
            "added": summary.added,
            "unchanged": summary.unchanged,
            "problems": [
                {"row": p.row, "column": p.column, "message": p.text} for p in summary.problems
            ],
        }
        if json:
            self.stdout.write(_json(result))
        else:
            for problem in result["problems"]:
                self.stderr.write(
                    f"row {problem['row']}, {problem['column']}: {problem['message']}"
                )
            self.stdout.write(
                f"{file.name}: {summary.rows} rows, {summary.added} figures added, "
                f"{summary.unchanged} already there."
            )
        if summary.problems:
            raise CommandError("The file was refused; nothing was imported.")


def _json(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
