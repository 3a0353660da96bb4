"""Reference data of the loket that changes rarely: the RNI desks in Limburg, each
municipality's general contact (data/municipal-general-contacts.csv, see data/README.md), and
the languages a course or contact can offer."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"

# The RNI desks (Registratie Niet-Ingezetenen) in Limburg: Heerlen and Venlo, two of the 19
# in the Netherlands (shared domain facts §4). Both receive by appointment.
RNI_DESK_MUNICIPALITIES = ("GM0917", "GM0983")  # Heerlen, Venlo

# Languages of instruction and of contact persons: the loket's five, and the ones Welkom is
# ready for next (German, Lithuanian, Hungarian, Ukrainian, Portuguese), and a few more that
# courses in Limburg are given in. Names come from Django's language info, in their own name.
OFFERED_LANGUAGES = (
    "nl", "en", "pl", "ro", "bg", "de", "lt", "lv", "hu", "uk", "pt", "sk", "cs", "es", "fr",
)  # fmt: skip


class GeneralContact(NamedTuple):
    website: str
    email: str


@cache
def general_contacts() -> dict[str, GeneralContact]:
    """Municipality CBS code → its general website and e-mail address."""
    path = DATA_DIR / "municipal-general-contacts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: GeneralContact(website=row["website"], email=row["email"])
            for row in csv.DictReader(handle)
        }
