"""What the home page offers each user: tasks derived from permissions, never role names."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from welkom.organisations import rules
from welkom.organisations.selectors import memberships_of


@dataclass(frozen=True)
class Task:
    title: str
    description: str
    url: str


@dataclass(frozen=True)
class TaskOffer:
    """A task on the home page, offered to whoever holds any of its permissions (which
    memberships grant is the role table, `organisations.rules.ROLE_PERMISSIONS`)."""

    title: str
    description: str
    url_name: str
    permissions: tuple[str, ...] = ()  # none: offered to everyone signed in


# What each kind of organisation may see in Welkom: said plainly on its home page.
SCOPE_BY_KIND = {
    rules.HOUSING_PROVIDER: _(
        "As a housing provider you see your own locations and your own residents only."
    ),
    rules.EMPLOYER: _("As an employer you see your own workers only."),
    rules.TEMP_AGENCY: _("As a temp agency you see your own workers only."),
    rules.MUNICIPALITY: _(
        "As a municipality you see the locations and stays in your own territory only."
    ),
    rules.PROVINCE: _(
        "As the province you see figures per municipality, region and province: "
        "aggregates only, never a person."
    ),
    rules.ENFORCEMENT_PARTNER: _(
        "As an enforcement partner you see only the cases you are a member of."
    ),
}


# The home page's tasks, in the order it shows them.
TASKS = [
    TaskOffer(
        _("Look up a postcode"),
        _("Find the Limburg municipality of a postcode."),
        "places:postcode_lookup",
    ),
    TaskOffer(
        _("Send the night register"),
        _("Upload a night list and see what it changed, or why it was refused."),
        "register:upload",
        ("register.submit_night_list",),
    ),
    TaskOffer(
        _("Housing locations"),
        _("Locations with their rooms, quality marks, capacity under each norm, and inspections."),
        "housing:locations",
        ("housing.view_location",),
    ),
    TaskOffer(
        _("Municipal housing rules"),
        _("Your own rules for housing, such as persons per bedroom, with their dates."),
        "housing:municipal_rules",
        ("housing.change_municipalrule",),
    ),
    TaskOffer(
        _("Keep the loket"),
        _(
            "The public information pages and their translations, your municipality's "
            "contact for international workers, and its courses and clubs."
        ),
        "loket:manage",
        ("loket.change_topictext", "loket.change_municipalcontact"),
    ),
    TaskOffer(
        _("Monitor"),
        _(
            "Persons staying, capacity and registration per municipality, region and "
            "province; the housing gap to 2030; the progress of the policy's actions."
        ),
        "monitor:dashboard",
        ("monitor.view_province_monitor", "monitor.view_own_monitor"),
    ),
    TaskOffer(
        _("Housing in Limburg"),
        _("Locations and capacity per municipality: counts only."),
        "housing:counts",
        ("housing.view_housing_counts",),
    ),
    TaskOffer(
        _("Who stays where"),
        _("Your addresses with last night's residents and their registration."),
        "register:overview",
        ("register.view_stay",),
    ),
    TaskOffer(
        _("Possible double records"),
        _("Persons who may be listed twice, for you to merge."),
        "register:duplicates",
        ("register.change_person",),
    ),
    TaskOffer(
        _("Signals"),
        _("Who must register in the BRP or RNI, who moved or left, and overcrowded addresses."),
        "register:signals",
        ("register.view_signal",),
    ),
    TaskOffer(
        _("Your workers' housing"),
        _(
            "Where your workers stayed last night, in which municipality, how they are "
            "registered, and whether their housing meets the norms: counts, no names."
        ),
        "work:workers",
        ("work.view_own_workers",),
    ),
    TaskOffer(
        _("Agencies' admission"),
        _(
            "Temp agencies' SNA quality mark and Wtta admission, with their history and "
            "what changes on 1 January 2027 and 2028."
        ),
        "work:lenders",
        ("work.view_lender_status",),
    ),
    TaskOffer(
        _("Manage your team"),
        _("Invite colleagues, and remove those who no longer work with Welkom."),
        "organisations:team",
        ("organisations.manage_members",),
    ),
    TaskOffer(
        _("Connect your own system"),
        _("Create and revoke API tokens with which your systems send data to Welkom."),
        "organisations:api_tokens",
        ("organisations.manage_api_tokens",),
    ),
    TaskOffer(
        _("Add an organisation"),
        _("A new housing provider, employer, municipality or partner, and its first manager."),
        "organisations:new",
        ("organisations.add_organisation",),
    ),
    TaskOffer(
        _("Search the processing log"),
        _("See who read or changed personal data, when and for which purpose."),
        "processing_log:search",
        ("processing_log.view_entry",),
    ),
    TaskOffer(
        _("Register of processing activities"),
        _("The purposes for which Welkom processes personal data, with their legal basis."),
        "processing_log:activities",
        ("processing_log.view_entry",),
    ),
]


def home_tasks(user) -> list[Task]:
    """The tasks of `TASKS` that the user's memberships grant, in the table's order."""
    return [
        Task(offer.title, offer.description, reverse(offer.url_name))
        for offer in TASKS
        if not offer.permissions or any(user.has_perm(p) for p in offer.permissions)
    ]


def home_scopes(user) -> list[str]:
    """What each kind of organisation the user belongs to may see, said plainly."""
    kinds = []
    for membership in memberships_of(user):
        if membership.organisation.kind not in kinds:
            kinds.append(membership.organisation.kind)
    return [SCOPE_BY_KIND[kind] for kind in kinds]
