"""The work rules as signals: what `register.services.signals_refresh` opens, keeps and
closes beside the register's own (added in `WorkConfig.ready`).

- **Housing ends with the job**: a stay in housing of the hirer or the agency (the
  location's provider has the hirer's or the agency's KvK number) whose last night fell
  within the transition period after the placement's job ended. For the municipality, the
  hirer, and the provider. `rules.housing_ends_with_job`.
- **Rent deducted from wages**: a location whose provider says the rent is withheld from
  the residents' wages, and more than the share of the minimum wage allowed, or for housing
  without a valid SNF or AKF certificate. For the provider and the municipality; one signal
  per location and finding. `rules.rent_deduction_findings`.
- **Unadmitted lender**: a placement that runs through an agency without a Wtta admission.
  From 1 January 2027 a warning to the hirer and to the agency; from 1 January 2028 the
  municipality where the worker stays sees it too (the Arbeidsinspectie fines both). Each
  phase is a signal of its own. `rules.lending_duty`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_noop

from welkom.housing.models import Location
from welkom.register.models import Stay
from welkom.register.services.signals import SignalFound
from welkom.work import rules
from welkom.work.models import Placement, StatusRecord
from welkom.work.selectors import rent_basis

HOUSING_ENDS_WITH_JOB = "housing-ends-with-job"
UNADMITTED_LENDER = "unadmitted-lender"
RENT_DEDUCTED = "rent-deducted"

HOUSING_ENDS_EXPLANATION = gettext_noop(
    "The stay in housing of the hirer or the agency ended on %(left)s, after the job ended "
    "on %(job_end)s: within the transition period, which runs until %(until)s."
)
HOUSING_ENDS_SOURCE = "Aanjaagteam Bescherming Arbeidsmigranten 2020: one month's notice"
LENDER_EXPLANATIONS = {
    rules.NOT_ALLOWED: gettext_noop(
        "The placement runs through agency %(agency)s, which has no Wtta admission in "
        "Welkom's copy of the register (of %(as_of)s). From %(enforced)s the "
        "Arbeidsinspectie fines the agency and the hirer."
    ),
    rules.FINE: gettext_noop(
        "The placement runs through agency %(agency)s, which has no Wtta admission in "
        "Welkom's copy of the register (of %(as_of)s). The Arbeidsinspectie fines the agency "
        "and the hirer."
    ),
}
LENDER_SOURCE = "Wtta: admission required from 2027-01-01, enforced from 2028-01-01"
RENT_EXPLANATIONS = {
    rules.RENT_ABOVE_MAXIMUM: gettext_noop(
        "The rent deducted from wages, %(rent)s euro per bed per week, is more than 25 %% of "
        "the weekly minimum wage (%(limit)s euro for a full-time worker, from the amount "
        "in force since %(wage_from)s)."
    ),
    rules.RENT_WITHOUT_CERTIFICATE: gettext_noop(
        "Rent (%(rent)s euro per bed per week) is deducted from wages, but the location has "
        "no valid SNF or AKF certificate: a deduction is allowed only for certified housing."
    ),
}
RENT_SOURCE = "Wml art. 13 (Wet aanpak schijnconstructies, 2017): at most 25 %, certified only"


def housing_ends_with_job_found(
    on: date, person_ids: list[int] | None, _location_ids: list[int] | None = None
) -> list[SignalFound]:
    placements = Placement.internal.filter(ends_on__isnull=False, ends_on__lt=on)
    if person_ids is not None:
        placements = placements.filter(person_id__in=person_ids)
    ended = list(placements.values_list("pk", "person_id", "hirer_kvk", "agency_kvk", "ends_on"))
    if not ended:
        return []
    stays_of: dict[int, list[tuple]] = defaultdict(list)
    for row in Stay.internal.filter(
        person_id__in={row[1] for row in ended}, check_out__isnull=False
    ).values_list(
        "pk", "person_id", "location_id", "check_out",
        "location__provider__kvk_number", "location__municipality_id",
    ):  # fmt: skip
        stays_of[row[1]].append(row)
    found = []
    for placement_id, person_id, hirer, agency, job_end in ended:
        for stay_id, _person, location_id, check_out, provider_kvk, municipality_id in stays_of[
            person_id
        ]:
            last_night = check_out - timedelta(days=1)
            if provider_kvk not in {hirer, agency} - {""}:
                continue
            if not rules.housing_ends_with_job(job_end=job_end, last_night=last_night):
                continue
            found.append(
                SignalFound(
                    key=f"{HOUSING_ENDS_WITH_JOB}:P{placement_id}:S{stay_id}",
                    rule=HOUSING_ENDS_WITH_JOB,
                    source=HOUSING_ENDS_SOURCE,
                    since=check_out,
                    explanation=HOUSING_ENDS_EXPLANATION,
                    parameters={
                        "left": check_out.isoformat(),
                        "job_end": job_end.isoformat(),
                        "until": rules.transition_last_night(job_end).isoformat(),
                    },
                    first_seen=on,
                    last_seen=on,
                    municipality_id=municipality_id,
                    person_id=person_id,
                    location_id=location_id,
                    employer_kvk=hirer,
                )
            )
    return found


def unadmitted_lender_found(
    on: date, person_ids: list[int] | None, _location_ids: list[int] | None = None
) -> list[SignalFound]:
    if on < rules.WTTA_ADMISSION_REQUIRED:
        return []
    running = (
        Placement.internal.exclude(agency_kvk="")
        .filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    )
    if person_ids is not None:
        running = running.filter(person_id__in=person_ids)
    placements = list(
        running.values_list("pk", "person_id", "hirer_kvk", "agency_kvk", "starts_on")
    )
    if not placements:
        return []
    statuses: dict[str, list[rules.Status]] = defaultdict(list)
    for record in StatusRecord.objects.filter(
        register=rules.WTTA, kvk_number__in={p[3] for p in placements}
    ):
        statuses[record.kvk_number].append(record.as_rule())
    night = on - timedelta(days=1)
    municipality_of = dict(
        Stay.internal.on_night(night)
        .filter(person_id__in={p[1] for p in placements})
        .values_list("person_id", "location__municipality_id")
    )
    found = []
    for placement_id, person_id, hirer, agency, starts_on in placements:
        duty = rules.lending_duty(statuses[agency], on)
        if duty == rules.ALLOWED:
            continue
        phase_start = rules.WTTA_ENFORCED if duty == rules.FINE else rules.WTTA_ADMISSION_REQUIRED
        latest = rules.status_on(statuses[agency], rules.WTTA, on)
        for side, kvk in (("hirer", hirer), ("agency", agency)):
            found.append(
                SignalFound(
                    key=f"{UNADMITTED_LENDER}:{duty}:P{placement_id}:{side}",
                    rule=UNADMITTED_LENDER,
                    source=LENDER_SOURCE,
                    since=max(phase_start, starts_on),
                    explanation=LENDER_EXPLANATIONS[duty],
                    parameters={
                        "agency": agency,
                        "as_of": latest.as_of.isoformat() if latest else "—",
                        "enforced": rules.WTTA_ENFORCED.isoformat(),
                    },
                    first_seen=on,
                    last_seen=on,
                    municipality_id=municipality_of.get(person_id) if duty == rules.FINE else None,
                    person_id=person_id,
                    employer_kvk=kvk,
                )
            )
    return found


def rent_deducted_found(
    on: date, person_ids: list[int] | None, location_ids: list[int] | None = None
) -> list[SignalFound]:
    locations = Location.objects.filter(rent_deducted=True, rent_per_bed_week__gt=0).exclude(
        closed_on__lte=on
    )
    if person_ids is not None:
        locations = locations.filter(pk__in=location_ids or [])
    declared = list(locations.values_list("pk", "rent_per_bed_week", "municipality_id"))
    if not declared:
        return []
    basis = rent_basis([row[0] for row in declared], on=on)
    found = []
    for location_id, rent, municipality_id in declared:
        for finding in basis.findings(location_id, rent, on):
            found.append(
                SignalFound(
                    key=f"{RENT_DEDUCTED}:{finding}:L{location_id}",
                    rule=RENT_DEDUCTED,
                    source=RENT_SOURCE,
                    since=on,
                    explanation=RENT_EXPLANATIONS[finding],
                    parameters={
                        "rent": f"{rent:.2f}",
                        "limit": f"{basis.limit:.2f}" if basis.limit is not None else "—",
                        "wage_from": basis.wage.valid_from.isoformat() if basis.wage else "—",
                    },
                    first_seen=on,
                    last_seen=on,
                    municipality_id=municipality_id,
                    location_id=location_id,
                )
            )
    return found
