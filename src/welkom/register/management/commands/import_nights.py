from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from welkom.lib.commands import file_read, found, problem_lines, provider_missing
from welkom.lib.locks import BUSY, Busy
from welkom.lib.problems import Problem
from welkom.organisations.models import Organisation
from welkom.organisations.selectors import housing_provider
from welkom.register.models import NightListImport
from welkom.register.services import night_lists_import


class Command(BaseCommand):
    help = (
        "Import housing providers' night lists (CSV or XLSX) and print what each changed. "
        "Each file is its own submission; the signals are refreshed once, after the last."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--provider", help="The housing provider's KvK number, for every file.")
        who.add_argument(
            "--provider-from-filename",
            action="store_true",
            help="Each file is named after its provider's KvK number (12345678.csv).",
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, files: list[Path], provider: str | None, json: bool, **options) -> None:
        def provider_of(path: Path) -> Organisation:
            kvk_number = provider or path.stem
            return found(housing_provider(kvk_number), provider_missing(kvk_number))

        lists = [(provider_of(path), file_read(path), path.name) for path in files]
        try:
            results = night_lists_import(lists, source=NightListImport.Source.CLI)
        except Busy as busy:
            raise CommandError(_(BUSY)) from busy
        outputs = [_output(record) for record, _summary in results]
        if json:
            self.stdout.write(_json_dumps(outputs[0] if len(outputs) == 1 else {"files": outputs}))
        else:
            for path, (record, _summary), output in zip(files, results, outputs, strict=True):
                counts = record.counts
                prefix = f"{path.name}: " if len(files) > 1 else ""
                self.stdout.write(
                    prefix
                    + _(
                        "%(status)s: %(rows)d rows, %(nights)d nights, %(persons)d persons "
                        "(%(created)d new); stays opened %(opened)d, closed %(closed)d, "
                        "changed %(changed)d; signals opened %(signals_opened)d, closed "
                        "%(signals_closed)d; %(problems)d problems."
                    )
                    % {
                        "status": record.get_status_display(),
                        "rows": counts["rows"],
                        "nights": counts["nights"],
                        "persons": counts["persons"],
                        "created": counts["persons_created"],
                        "opened": counts["stays_opened"],
                        "closed": counts["stays_closed"],
                        "changed": counts["stays_changed"],
                        "signals_opened": counts.get("signals_opened", 0),
                        "signals_closed": counts.get("signals_closed", 0),
                        "problems": len(output["problems"]),
                    }
                )
                lines = problem_lines(
                    (p["row"], p["column"], p["message"]) for p in output["problems"]
                )
                for line in lines:
                    self.stdout.write(line)
        refused = [r for r, _s in results if r.status == NightListImport.Status.REJECTED]
        if refused:
            raise CommandError(
                ngettext(
                    "%(refused)d of %(total)d night lists was refused; it changed nothing.",
                    "%(refused)d of %(total)d night lists were refused; they changed nothing.",
                    len(refused),
                )
                % {"refused": len(refused), "total": len(results)}
                if len(results) > 1
                else _("The night list was refused; nothing changed.")
            )


def _output(record: NightListImport) -> dict:
    problems = [{**p, "message": Problem.from_json(p).text} for p in record.problems]
    return {"file": record.filename, "status": record.status, **record.counts, "problems": problems}


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
