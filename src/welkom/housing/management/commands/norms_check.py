from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from welkom.housing import rules as norms
from welkom.housing.location_files import location_file_read
from welkom.housing.selectors import facts_compliance, municipal_rules
from welkom.lib.commands import file_read, found, problem_lines, provider_missing
from welkom.organisations.selectors import housing_provider


class Command(BaseCommand):
    help = (
        "Judge location descriptions in the location template (CSV or XLSX) against the "
        "housing norms and the municipality's own rules, without storing anything."
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
    ) -> None:
        on = on or timezone.localdate()
        organisation = None
        if provider:
            organisation = found(housing_provider(provider), provider_missing(provider))
        data = file_read(file)
        descriptions, problems = location_file_read(data, provider=organisation)
        if problems:
            for line in problem_lines((p.row, p.column, p.text) for p in problems):
                self.stderr.write(line)
            raise CommandError(_("The file has problems; nothing was judged."))
        result = [_judged(item, on=on) for item in descriptions]
        if json:
            self.stdout.write(_json_dumps({"on": on.isoformat(), "locations": result}))
            return
        for entry in result:
            self._entry_write(entry)

    def _entry_write(self, entry: dict) -> None:
        """One judged location as text: its capacities, then each norm and its unmet rules."""
        permit = entry["permitted_capacity"]
        self.stdout.write(
            f"{entry['code']} ({entry['municipality']}): {entry['beds']} beds, permit "
            f"{permit if permit is not None else '-'}, effective capacity "
            f"{entry['effective_capacity'] if entry['effective_capacity'] is not None else '-'}"
        )
        for norm, outcome in entry["norms"].items():
            binding = outcome["binding_rule"]
            limit = (
                f"capacity {outcome['capacity']} ({binding['explanation']})"
                if binding
                else "no capacity limit"
            )
            counts = "counts" if outcome["applies"] else "for information"
            self.stdout.write(
                f"  {_(norms.NORM_LABELS[norm])} ({counts}): {limit}; "
                f"{len(outcome['failed'])} rules not met"
            )
            for failed in outcome["failed"]:
                self.stdout.write(
                    f"    {failed['rule']}: {failed['explanation']} Measured "
                    f"{failed['measured']}, required {failed['required'] or '-'}"
                    + (" (unverified)" if failed["unverified"] else "")
                )


def _judged(item, *, on: date) -> dict:
    """One location description judged against the norms on `on`, as the JSON output has it."""
    compliance = facts_compliance(
        item.facts(),
        on=on,
        permitted_capacity=item.location.get("permitted_capacity"),
        rules=municipal_rules(item.municipality.pk),
    )
    return {
        "code": item.code,
        "municipality": item.municipality.name,
        "beds": compliance.persons,
        "permitted_capacity": item.location.get("permitted_capacity"),
        "effective_capacity": compliance.effective_capacity,
        "norms": {
            outcome.norm: {
                "applies": outcome.applies,
                "capacity": outcome.capacity.persons,
                "binding_rule": _rule(outcome.capacity.binding),
                "failed": [
                    {
                        "rule": f.rule,
                        "measured": _(f.measured),
                        "required": f.required,
                        "explanation": _explained(f),
                        "unverified": f.unverified,
                    }
                    for f in outcome.findings
                    if not f.passed
                ],
            }
            for outcome in compliance.outcomes
        },
    }


def _explained(finding) -> str:
    text = _(finding.explanation)
    return text % finding.parameters if "%(" in text else text


def _rule(finding) -> dict | None:
    if finding is None:
        return None
    return {"rule": finding.rule, "capacity": finding.capacity, "explanation": _explained(finding)}


def _json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
