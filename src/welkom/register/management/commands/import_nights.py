from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from welkom.lib.commands import file_read, found
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
            return found(
                housing_provider(kvk_number), f"housing provider with KvK number {kvk_number}"
            )

        lists = [(provider_of(path), file_read(path), path.name) for path in files]
        results = night_lists_import(lists, source=NightListImport.Source.CLI)
        outputs = [_output(record) for record, _summary in results]
        if json:
            self.stdout.write(_json_dumps(outputs[0] if len(outputs) == 1 else {"files": outputs}))
        else:
            for path, (record, _summary), output in zip(files, results, outputs, strict=True):
                counts = record.counts
                prefix = f"{path.name}: " if len(files) > 1 else ""
                self.stdout.write(
                    f"{prefix}{record.get_status_display()}: {counts['rows']} rows, "
                    f"{counts['nights']} nights, {counts['persons']} persons "
                    f"({counts['persons_created']} new); stays opened {counts['stays_opened']}, "
                    f"closed {counts['stays_closed']}, changed {counts['stays_changed']}; signals "
                    f"opened {counts.get('signals_opened', 0)}, "
                    f"closed {counts.get('signals_closed', 0)}; "
                    f"{len(output['problems'])} problems."
                )
                for problem in output["problems"]:
                    where = f"row {problem['row']}" if problem["row"] else "file"
                    column = f", {problem['column']}" if problem["column"] else ""
                    self.stdout.write(f"  {where}{column}: {problem['message']}")
        refused = [r for r, _s in results if r.status == NightListImport.Status.REJECTED]
        if refused:
            raise CommandError(
                f"{len(refused)} of {len(results)} night lists were refused; they changed nothing."
                if len(results) > 1
                else "The night list was refused; nothing changed."
            )


def _output(record: NightListImport) -> dict:
    problems = [{**p, "message": Problem.from_json(p).text} for p in record.problems]
    return {"file": record.filename, "status": record.status, **record.counts, "problems": problems}


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
