"""Reads about organisations, and the scoping helpers every `visible_to(user)` builds on."""

from __future__ import annotations

from django.db.models import QuerySet

from welkom.organisations import rules
from welkom.organisations.models import Membership, Organisation
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing


def memberships_of(user) -> list[Membership]:
    """The user's own memberships, for access control (not logged: one's own data)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_welkom_memberships", None)
    if cached is None:
        cached = list(
            Membership.access_control.filter(user=user)
            .select_related("organisation__municipality")
            .order_by("created_at", "pk")
        )
        user._welkom_memberships = cached
    return cached


def primary_organisation(user) -> Organisation | None:
    memberships = memberships_of(user)
    return memberships[0].organisation if memberships else None


def processing_by(user, *, activity: str, action: str = Entry.Action.READ) -> Processing:
    """A user's processing of personal data, logged on behalf of the organisation of
    their first membership (callers that act for another organisation use
    `Processing.by(..., organisation=...)`)."""
    return Processing.by(
        user, activity=activity, action=action, organisation=primary_organisation(user)
    )


def organisations_where(user, permission: str) -> QuerySet[Organisation]:
    """The organisations in which the user's membership grants `permission`."""
    ids = [m.organisation_id for m in memberships_of(user) if permission in m.permissions]
    return Organisation.objects.filter(pk__in=ids)


def organisation_ids_where(user, permission: str, *kinds: str) -> list[int]:
    """Ids of the user's organisations of these kinds in which their role grants `permission`."""
    return [
        m.organisation_id
        for m in memberships_of(user)
        if m.organisation.kind in kinds and permission in m.permissions
    ]


def territory_where(user, permission: str) -> list[int]:
    """Ids of the municipalities whose territory the user sees with `permission`: a privacy
    officer of a municipality has its territory, but not its housing or register rights."""
    return [
        m.organisation.municipality_id
        for m in memberships_of(user)
        if m.organisation.kind == rules.MUNICIPALITY and permission in m.permissions
    ]


def user_requires_two_factor(user) -> bool:
    return any(m.requires_two_factor for m in memberships_of(user))


def housing_provider(kvk_number: str) -> Organisation | None:
    """The housing provider with this KvK number (commands name a provider by it)."""
    return Organisation.objects.filter(kvk_number=kvk_number, kind=rules.HOUSING_PROVIDER).first()
