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


def home_tasks(user) -> list[Task]:
    tasks = [
        Task(
            _("Look up a postcode"),
            _("Find the Limburg municipality of a postcode."),
            reverse("places:postcode_lookup"),
        )
    ]
    if user.has_perm("register.submit_night_list"):
        tasks.append(
            Task(
                _("Send the night register"),
                _("Upload a night list and see what it changed, or why it was refused."),
                reverse("register:upload"),
            )
        )
    if user.has_perm("housing.view_location"):
        tasks.append(
            Task(
                _("Housing locations"),
                _(
                    "Locations with their rooms, quality marks, capacity under each norm, and inspections."
                ),
                reverse("housing:locations"),
            )
        )
    if user.has_perm("housing.change_municipalrule"):
        tasks.append(
            Task(
                _("Municipal housing rules"),
                _("Your own rules for housing, such as persons per bedroom, with their dates."),
                reverse("housing:municipal_rules"),
            )
        )
    if user.has_perm("loket.change_topictext") or user.has_perm("loket.change_municipalcontact"):
        tasks.append(
            Task(
                _("Keep the loket"),
                _(
                    "The public information pages and their translations, your municipality's "
                    "contact for international workers, and its courses and clubs."
                ),
                reverse("loket:manage"),
            )
        )
    if user.has_perm("monitor.view_province_monitor") or user.has_perm("monitor.view_own_monitor"):
        tasks.append(
            Task(
                _("Monitor"),
                _(
                    "Persons staying, capacity and registration per municipality, region and "
                    "province; the housing gap to 2030; the progress of the policy's actions."
                ),
                reverse("monitor:dashboard"),
            )
        )
    if user.has_perm("housing.view_housing_counts"):
        tasks.append(
            Task(
                _("Housing in Limburg"),
                _("Locations and capacity per municipality: counts only."),
                reverse("housing:counts"),
            )
        )
    if user.has_perm("register.view_stay"):
        tasks.append(
            Task(
                _("Who stays where"),
                _("Your addresses with last night's residents and their registration."),
                reverse("register:overview"),
            )
        )
    if user.has_perm("register.change_person"):
        tasks.append(
            Task(
                _("Possible double records"),
                _("Persons who may be listed twice, for you to merge."),
                reverse("register:duplicates"),
            )
        )
    if user.has_perm("register.view_signal"):
        tasks.append(
            Task(
                _("Signals"),
                _(
                    "Who must register in the BRP or RNI, who moved or left, and overcrowded addresses."
                ),
                reverse("register:signals"),
            )
        )
    if user.has_perm("organisations.manage_members"):
        tasks.append(
            Task(
                _("Manage your team"),
                _("Invite colleagues, and remove those who no longer work with Welkom."),
                reverse("organisations:team"),
            )
        )
    if user.has_perm("organisations.manage_api_tokens"):
        tasks.append(
            Task(
                _("Connect your own system"),
                _("Create and revoke API tokens with which your systems send data to Welkom."),
                reverse("organisations:api_tokens"),
            )
        )
    if user.has_perm("processing_log.view_entry"):
        tasks.append(
            Task(
                _("Search the processing log"),
                _("See who read or changed personal data, when and for which purpose."),
                reverse("processing_log:search"),
            )
        )
        tasks.append(
            Task(
                _("Register of processing activities"),
                _("The purposes for which Welkom processes personal data, with their legal basis."),
                reverse("processing_log:activities"),
            )
        )
    return tasks


def home_scopes(user) -> list[str]:
    kinds = []
    for membership in memberships_of(user):
        if membership.organisation.kind not in kinds:
            kinds.append(membership.organisation.kind)
    return [SCOPE_BY_KIND[kind] for kind in kinds]
