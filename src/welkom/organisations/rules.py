"""Pure rules about organisations: KvK numbers, and what each role may do in each kind.

Code checks permissions (``user.has_perm("organisations.manage_members")``), never role
names; this table is the one place that turns a membership into permissions.
"""

from __future__ import annotations

import re

HOUSING_PROVIDER = "housing_provider"
EMPLOYER = "employer"
TEMP_AGENCY = "temp_agency"
MUNICIPALITY = "municipality"
PROVINCE = "province"
ENFORCEMENT_PARTNER = "enforcement_partner"

# Kinds of organisation that are businesses: each has its KvK number, which their lists and
# the registers of certified agencies name them by.
KVK_REQUIRED = frozenset({HOUSING_PROVIDER, EMPLOYER, TEMP_AGENCY})
# Granted to platform administrators (Django superusers), never through a membership.
PLATFORM_ADMINISTRATION = frozenset({"organisations.add_organisation"})

MEMBER = "member"
MANAGER = "manager"
PRIVACY_OFFICER = "privacy_officer"

_KVK = re.compile(r"^[0-9]{8}$")
_KVK_IGNORED = re.compile(r"[\s.\-]+")


class KvkNumberError(ValueError):
    pass


def kvk_number_normalise(text: str) -> str:
    """A KvK number as eight digits; spaces, dots and dashes people type are dropped.

    KvK numbers have had no check digit since 2016, so eight digits is the whole check.
    """
    compact = _KVK_IGNORED.sub("", text or "")
    if not _KVK.match(compact):
        raise KvkNumberError(text)
    return compact


_TEAM = {"organisations.manage_members", "organisations.manage_api_tokens"}
# The SNA and Wtta registers are public; Welkom's copy is for whoever hires, lends, houses
# or enforces. The province keeps the copy up to date.
_LENDERS = {"work.view_lender_status"}
_LENDERS_KEEPER = _LENDERS | {"work.import_register"}
# A municipality sees, as counts, through which agencies the workers in its territory work.
_LENDERS_TERRITORY = _LENDERS | {"work.view_territory_placements"}
# Employers and agencies see their own workers (by the KvK number night lists give) as counts.
# They send placement lists: who works for which hirer through which agency.
_OWN_WORKERS = _LENDERS | {"work.view_own_workers", "work.submit_placements"}
_PRIVACY = {"processing_log.view_entry"}
_SIGNALS = {"register.view_signal", "register.change_signal"}
_HOUSING = {"housing.view_location", "housing.change_location"}
_NIGHT_LIST = {"register.submit_night_list", "register.view_stay"} | _SIGNALS | _HOUSING
_LOKET_MUNICIPAL = {"loket.change_municipalcontact", "loket.change_activity"}
# The monitor: a municipality sees its own figures in full and keeps its own progress.
_MONITOR_MUNICIPAL = {"monitor.view_own_monitor", "monitor.change_actionprogress"}
_TERRITORY = (
    {"register.view_stay", "register.change_person"}
    | _SIGNALS
    | {"housing.view_location", "housing.add_inspection", "housing.change_municipalrule"}
    | _LOKET_MUNICIPAL
    | _MONITOR_MUNICIPAL
)
# The province runs the loket: its members keep the information pages and their translations.
_LOKET_EDITOR = {"loket.change_topictext"}
_MONITOR_PROVINCE = {
    "monitor.view_province_monitor",
    "monitor.import_figures",
    "monitor.change_actionprogress",
}

# (organisation kind, role) → permissions. A kind missing a role does not offer it.
ROLE_PERMISSIONS: dict[tuple[str, str], frozenset[str]] = {
    (HOUSING_PROVIDER, MEMBER): frozenset(_NIGHT_LIST),
    (HOUSING_PROVIDER, MANAGER): frozenset(_TEAM | _NIGHT_LIST),
    (EMPLOYER, MEMBER): frozenset(_SIGNALS | _OWN_WORKERS),
    (EMPLOYER, MANAGER): frozenset(_TEAM | _SIGNALS | _OWN_WORKERS),
    (TEMP_AGENCY, MEMBER): frozenset(_SIGNALS | _OWN_WORKERS),
    (TEMP_AGENCY, MANAGER): frozenset(_TEAM | _SIGNALS | _OWN_WORKERS),
    (MUNICIPALITY, MEMBER): frozenset(_TERRITORY | _LENDERS_TERRITORY),
    (MUNICIPALITY, MANAGER): frozenset(_TEAM | _TERRITORY | _LENDERS_TERRITORY),
    (MUNICIPALITY, PRIVACY_OFFICER): frozenset(_PRIVACY),
    # The province sees housing as counts per municipality, never a location.
    (PROVINCE, MEMBER): frozenset(
        {"housing.view_housing_counts"} | _LOKET_EDITOR | _MONITOR_PROVINCE | _LENDERS_KEEPER
    ),
    (PROVINCE, MANAGER): frozenset(
        _TEAM
        | {"housing.view_housing_counts"}
        | _LOKET_EDITOR
        | _MONITOR_PROVINCE
        | _LENDERS_KEEPER
    ),
    # The province hosts Welkom for all parties; its privacy officer oversees the whole log.
    (PROVINCE, PRIVACY_OFFICER): frozenset(_PRIVACY | {"processing_log.view_all_entries"}),
    (ENFORCEMENT_PARTNER, MEMBER): frozenset(_LENDERS),
    (ENFORCEMENT_PARTNER, MANAGER): frozenset({"organisations.manage_members"} | _LENDERS),
}

# Kinds whose users see a territory, aggregates or shared cases, roles that see logs, and
# any role that may see a BSN or a document number (a provider's residents): they must sign
# in with a second factor. Anyone else may enrol one, and is then asked for it too.
TWO_FACTOR_KINDS = frozenset({MUNICIPALITY, PROVINCE, ENFORCEMENT_PARTNER})
TWO_FACTOR_ROLES = frozenset({PRIVACY_OFFICER})
TWO_FACTOR_PERMISSIONS = frozenset({"register.view_stay", "register.change_person"})


def role_permissions(kind: str, role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get((kind, role), frozenset())


def roles_for_kind(kind: str) -> list[str]:
    return [role for (each_kind, role) in ROLE_PERMISSIONS if each_kind == kind]


def requires_two_factor(kind: str, role: str) -> bool:
    return (
        kind in TWO_FACTOR_KINDS
        or role in TWO_FACTOR_ROLES
        or bool(role_permissions(kind, role) & TWO_FACTOR_PERMISSIONS)
    )
