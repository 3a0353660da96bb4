from __future__ import annotations

import json
from collections import Counter
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.rules import registration_findings
from welkom.register.selectors import person_facts
from welkom.register.services import signals_refresh

ACTIVITY = "brp-registration-signalling"


class Command(BaseCommand):
    help = (
        "Evaluate the registration rules (BRP, RNI, address change, departure) and overcrowding "
        "on a date, bring the signals up to date, and print the findings by internal person "
        "number. Safe to run repeatedly; --dry-run only prints."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD; default today."
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print findings; store no signals."
        )

    def handle(self, *args, on: date | None, json: bool, dry_run: bool, **options) -> None:
        on = on or timezone.localdate()
        findings = []
        for person_id, facts in person_facts(on=on).items():
            for finding in registration_findings(facts, on=on):
                findings.append(
                    {
                        "person": person_id,
                        "rule": finding.rule,
                        "source": finding.source,
                        "since": finding.since,
                        "deadline": finding.deadline,
                        "overdue": finding.overdue,
                        "municipality": finding.municipality_code,
                        "measured": finding.measured,
                        "required": finding.required,
                    }
                )
        refresh = None
        if dry_run:
            processing_log_write(
                processing=Processing.system(activity=ACTIVITY),
                subject_type="person",
                subject_ids=sorted({f["person"] for f in findings}),
                object_type="person",
            )
        else:
            refresh = signals_refresh(on=on)
        if json:
            result = {"on": on, "findings": findings}
            if refresh:
                result["signals"] = vars(refresh)
            self.stdout.write(_dumps(result))
            return
        by_rule = Counter((f["rule"], f["overdue"]) for f in findings)
        self.stdout.write(f"Registration findings on {on}: {len(findings)}")
        for (rule, overdue), count in sorted(by_rule.items()):
            self.stdout.write(f"  {rule}{' (overdue)' if overdue else ''}: {count}")
        if refresh:
            self.stdout.write(
                f"Signals: {refresh.opened} opened, {refresh.updated} updated, "
                f"{refresh.resolved} closed as no longer applying."
            )


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
