from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from welkom.lib.commands import file_read, problem_lines
from welkom.lib.files import date_parse
from welkom.lib.locks import BUSY, Busy
from welkom.work import rules
from welkom.work.models import RegisterImport
from welkom.work.services import register_import


class Command(BaseCommand):
    help = (
        "Mirror an SNA or Wtta register export (CSV or XLSX: kvk_number, name, status, since, "
        "until): each lender's status is kept with the export's date; all or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--register", required=True, choices=rules.REGISTERS)
        parser.add_argument(
            "--as-of", help="The export's date (yyyy-mm-dd or dd-mm-yyyy); default today."
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, file: Path, register: str, as_of, json: bool, **options) -> None:
        day = None
        if as_of:
            day = date_parse(as_of)
            if day is None:
                raise CommandError(
                    _("Not a date: %(value)s. Write yyyy-mm-dd or dd-mm-yyyy.") % {"value": as_of}
                )
        try:
            record, problems = register_import(
                register=register,
                data=file_read(file),
                filename=file.name,
                source=RegisterImport.Source.CLI,
                as_of=day,
            )
        except Busy as busy:
            raise CommandError(_(BUSY)) from busy
        summary = {
            "id": record.pk,
            "register": register,
            "as_of": record.as_of.isoformat(),
            "status": record.status,
            **record.counts,
            "problems": [{"row": p.row, "column": p.column, "message": p.text} for p in problems],
        }
        if json:
            self.stdout.write(_json_dumps(summary))
        elif problems:
            self.stdout.write(
                _("Refused: %(problems)d problems; nothing changed.") % {"problems": len(problems)}
            )
            for line in problem_lines((p.row, p.column, p.text) for p in problems):
                self.stdout.write(line)
        elif record.status == RegisterImport.Status.UNCHANGED:
            self.stdout.write(
                _("Nothing changed: the %(count)d lenders are as Welkom held them.")
                % {"count": record.counts["lenders"]}
            )
        else:
            self.stdout.write(
                _(
                    "Applied: %(count)d lenders; %(new)d new, %(changed)d changed, %(gone)d no "
                    "longer listed."
                )
                % {
                    "count": record.counts["lenders"],
                    "new": record.counts["new"],
                    "changed": record.counts["changed"],
                    "gone": record.counts["no_longer_listed"],
                }
            )
        if problems:
            raise CommandError(_("The register export was refused; nothing changed."))


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
