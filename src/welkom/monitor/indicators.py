"""What the monitor counts: the register's indicators (refreshed from aggregates) and the
external figures it takes from spreadsheets, each with its label and unit. No models.

Areas are named by code: a municipality by its CBS code (GM0983), a region by its NUTS-3 code
(NL421), the province as PV31 (CBS), the Netherlands as NL01.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from welkom.register.countries import NATIONALITY_GROUPS

PROVINCE = "PV31"
NETHERLANDS = "NL01"

COUNT = "count"
PERCENT = "percent"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str = COUNT
    # A count of persons can point at a person when small; outside the municipality's own
    # view it is shown as "<5" (see suppression.py). Locations and capacity are not persons.
    about_persons: bool = True


def _indicators(*items: Indicator) -> dict[str, Indicator]:
    return {item.code: item for item in items}


STAY_TYPES = ("short", "mid", "long")
REGISTRATIONS = ("brp", "rni", "none", "unknown")

# Figures from Welkom's own register, per area and night (and month: the average night).
REGISTER = _indicators(
    Indicator("persons", _("persons staying")),
    Indicator("persons_short", _("persons in short-stay housing")),
    Indicator("persons_mid", _("persons in mid-stay housing")),
    Indicator("persons_long", _("persons in long-stay housing")),
    Indicator("persons_brp", _("persons registered in the BRP")),
    Indicator("persons_rni", _("persons registered in the RNI")),
    Indicator("persons_none", _("persons not registered")),
    Indicator("persons_unknown", _("persons whose registration is unknown")),
    Indicator("persons_POL", _("persons of Polish nationality")),
    Indicator("persons_ROU", _("persons of Romanian nationality")),
    Indicator("persons_BGR", _("persons of Bulgarian nationality")),
    Indicator("persons_HUN", _("persons of Hungarian nationality")),
    Indicator("persons_LTU", _("persons of Lithuanian nationality")),
    Indicator("persons_EU", _("persons of another EU nationality")),
    Indicator("persons_OTHER", _("persons of a nationality outside the EU")),
    Indicator("locations", _("housing locations open"), about_persons=False),
    Indicator("capacity", _("capacity (persons allowed)"), about_persons=False),
    Indicator("capacity_short", _("capacity in short-stay housing"), about_persons=False),
    Indicator("capacity_mid", _("capacity in mid-stay housing"), about_persons=False),
    Indicator("capacity_long", _("capacity in long-stay housing"), about_persons=False),
    Indicator("certified_share", _("locations with an SNF or AKF mark"), PERCENT, False),
    Indicator("compliant_share", _("locations that meet every norm"), PERCENT, False),
    Indicator("occupancy_rate", _("occupancy rate"), PERCENT),
    Indicator("over_capacity", _("location-nights over capacity")),
    Indicator("signals_open", _("open registration signals")),
    Indicator("signals_overdue", _("overdue registration signals")),
    # Work (the last night only, as the signals are of today): from placement lists.
    Indicator("placed_agency", _("persons placed through an agency")),
    Indicator("placed_admitted", _("persons placed through agencies with a Wtta admission")),
    Indicator("placed_unadmitted", _("persons placed through an agency without one")),
    Indicator("admitted_share", _("share placed through admitted agencies"), PERCENT),
    Indicator("housed_by_employer", _("persons housed by their employer or agency")),
    Indicator("housed_by_employer_share", _("share housed by their employer or agency"), PERCENT),
    Indicator("signals_transition", _("open signals: housing ended with the job")),
    Indicator("signals_rent", _("open signals: rent deducted from wages")),
)
# Counted for the last night only, never averaged over a month.
LAST_NIGHT_ONLY = (
    "signals_open",
    "signals_overdue",
    "placed_agency",
    "placed_admitted",
    "placed_unadmitted",
    "housed_by_employer",
    "signals_transition",
    "signals_rent",
)

# Breakdowns of persons that add up to (nearly) all persons: hiding one part of one area
# means hiding another part too, or the others and the total would give it away.
FAMILIES = (
    tuple(f"persons_{r}" for r in REGISTRATIONS),
    tuple(f"persons_{g}" for g in NATIONALITY_GROUPS),
    tuple(f"persons_{t}" for t in STAY_TYPES),
)
# Breakdowns of another count than all persons: (whole, parts).
PART_FAMILIES = (("placed_agency", ("placed_admitted", "placed_unadmitted")),)
# Shares of persons: (share, part, whole); hidden with either count.
PERSON_SHARES = (
    ("admitted_share", "placed_admitted", "placed_agency"),
    ("housed_by_employer_share", "housed_by_employer", "persons"),
)

# Figures from elsewhere (Decisio, CBS), imported with their source; never mixed with the
# register's own.
EXTERNAL = _indicators(
    Indicator("workers", _("international workers working in the area")),
    Indicator("workers_growth", _("growth of the number of international workers"), PERCENT),
    Indicator("residents", _("labour migrants living in the area, registered or not")),
    Indicator("residents_unregistered", _("labour migrants living in the area, not registered")),
    Indicator("housing_need", _("housing need (units)"), about_persons=False),
    Indicator("housing_need_short", _("housing need, short stay (units)"), about_persons=False),
    Indicator("housing_need_mid", _("housing need, mid stay (units)"), about_persons=False),
    Indicator("housing_need_long", _("housing need, long stay (units)"), about_persons=False),
)
