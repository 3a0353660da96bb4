"""The policy's actions (data/policy-actions.csv) and what Welkom knows of their progress per
municipality by itself: whether the municipality named a contact in the loket (A4), and
whether it keeps a housing rule requiring SNF or AKF (W1)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "policy-actions.csv"

CONTACT_PERSON = "A4"  # a contact person in every municipality, by the end of 2021
MARKS_IN_PERMITS = "W1"  # SNF/AKF as a condition of the permit


def actions_load(action_model) -> int:
    """Create or update the actions from the data file; takes the model so that a data
    migration can pass its historical one. Returns the number of actions."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        action_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "theme": row["theme"],
                "action_nl": row["action_nl"],
                "action_en": row["action_en"],
                "responsible": row["responsible"],
                "deadline": row["deadline"],
                "per_municipality": row["per_municipality"] == "yes",
                "source": row["source_page"],
            },
        )
    return len(rows)
