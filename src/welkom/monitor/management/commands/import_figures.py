from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welkom.lib.commands import file_read, problem_lines
from welkom.lib.locks import BUSY, Busy
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
        done = (FiguresImport.Status.APPLIED, FiguresImport.Status.UNCHANGED)
        if once and FiguresImport.objects.filter(filename=file.name, status__in=done).exists():
            self.stdout.write(f"{file.name} was imported before: nothing done.")
            return
        data = file_read(file)
        try:
            summary = figures_import(data=data, filename=file.name, source=FiguresImport.Source.CLI)
        except Busy as busy:
            raise CommandError(_(BUSY)) from busy
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
            lines = problem_lines((p["row"], p["column"], p["message"]) for p in result["problems"])
            for line in lines:
                self.stderr.write(line)
            self.stdout.write(
                _("%(file)s: %(rows)d rows, %(added)d figures added, %(unchanged)d already there.")
                % {
                    "file": file.name,
                    "rows": summary.rows,
                    "added": summary.added,
                    "unchanged": summary.unchanged,
                }
            )
        if summary.problems:
            raise CommandError(_("The file was refused; nothing was imported."))


def _json(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
