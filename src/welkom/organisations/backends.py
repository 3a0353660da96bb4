"""Permissions from memberships: a role in an organisation of a kind grants permissions."""

from __future__ import annotations

from welkom.organisations.selectors import memberships_of


class MembershipBackend:
    """Grants the permissions of every membership; authenticates nobody."""

    def authenticate(self, request, **credentials) -> None:
        return None

    def get_user(self, user_id) -> None:
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if obj is not None or not user_obj.is_active:
            return set()
        permissions: set[str] = set()
        for membership in memberships_of(user_obj):
            permissions |= membership.permissions
        return permissions

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
