from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from welkom.housing import norms
from welkom.housing.location_files import location_file_read
from welkom.housing.selectors import norm_parameters
from welkom.organisations import rules
from welkom.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Judge location descriptions in the location template (CSV or XLSX) against the "
        "housing norms, without storing anything."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--on",
            type=date.fromisoformat,
            help="The date to judge on (yyyy-mm-dd); default today.",
        )
        parser.add_argument(
            "--provider",
            help="A housing provider's KvK number, to check codes against its locations.",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(
        self, *args, file: Path, on: date | None, provider: str | None, json: bool, **options
    ):
        on = on or timezone.localdate()
        organisation = None
        if provider:
            organisation = Organisation.objects.filter(
                kvk_number=provider, kind=rules.HOUSING_PROVIDER
            ).first()
            if organisation is None:
                raise CommandError(f"No housing provider with KvK number {provider}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        descriptions, problems = location_file_read(data, provider=organisation)
        if problems:
            for problem in problems:
                where = f"row {problem.row}" if problem.row else "file"
                column = f", {problem.column}" if problem.column else ""
                self.stderr.write(f"  {where}{column}: {problem.message}")
            raise CommandError("The file has problems; nothing was judged.")
        parameters = norm_parameters()
        result = []
        for item in descriptions:
            facts = item.facts()
            persons = facts.beds
            by_norm = {}
            for norm in norms.norms_applicable(parameters):
                if norm in {norms.SNF_2025, norms.MUNICIPAL}:
                    continue  # SNF includes its 2025 rules; municipal rules need the database
                findings = norms.findings_for(
                    facts, persons=persons, on=on, norm=norm, parameters=parameters
                )
                capacity = norms.norm_capacity(findings)
                by_norm[norm] = {
                    "capacity": capacity.persons,
                    "binding_rule": capacity.binding.rule if capacity.binding else None,
                    "failed": [
                        {
                            "rule": f.rule,
                            "measured": f.measured,
                            "required": f.required,
                            "explanation": _(f.explanation) % f.parameters
                            if "%(" in f.explanation
                            else _(f.explanation),
                        }
                        for f in findings
                        if not f.passed
                    ],
                }
            result.append(
                {
                    "code": item.code,
                    "municipality": item.municipality.name,
                    "beds": persons,
                    "permitted_capacity": item.location.get("permitted_capacity"),
                    "norms": by_norm,
                }
            )
        if json:
            self.stdout.write(_json_dumps({"on": on.isoformat(), "locations": result}))
            return
        for entry in result:
            self.stdout.write(
                f"{entry['code']} ({entry['municipality']}), {entry['beds']} beds, permit {entry['permitted_capacity'] if entry['permitted_capacity'] is not None else '-'}:"
            )
            for norm, outcome in entry["norms"].items():
                limit = (
                    f"capacity {outcome['capacity']} ({outcome['binding_rule']})"
                    if outcome["capacity"] is not None
                    else "no capacity limit"
                )
                self.stdout.write(
                    f"  {_(norms.NORM_LABELS[norm])}: {limit}; {len(outcome['failed'])} rules not met"
                )
                for failed in outcome["failed"]:
                    self.stdout.write(
                        f"    {failed['rule']}: {failed['measured']} (required {failed['required'] or '-'})"
                    )


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
