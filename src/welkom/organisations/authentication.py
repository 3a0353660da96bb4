"""API authentication by organisation token."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from welkom.organisations import rules
from welkom.organisations.models import ApiToken, Membership
from welkom.organisations.services import secret_hash


class TokenPrincipal:
    """The caller of the API with an organisation token: acts as a member of that organisation.

    Carries its one membership pre-loaded, so every `visible_to(user)` scopes it like a user.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self._welkom_memberships = [Membership(organisation=token.organisation, role=rules.MEMBER)]

    def get_username(self) -> str:
        return f"api-token:{self.token.prefix}"

    def get_full_name(self) -> str:
        return str(self.token)

    def has_perm(self, perm: str, obj=None) -> bool:
        return obj is None and perm in self._welkom_memberships[0].permissions

    def __str__(self) -> str:
        return self.get_username()


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request) -> tuple[TokenPrincipal, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as: Authorization: Token <key>.")
            )
        key = header[1].decode("ascii", errors="replace")
        token = (
            ApiToken.objects.active()
            .select_related("organisation")
            .filter(key_hash=secret_hash(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This API token is unknown or revoked."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return TokenPrincipal(token), token

    def authenticate_header(self, request) -> str:
        return self.keyword


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = OrganisationTokenAuthentication
    name = "organisationToken"

    def get_security_definition(self, auto_schema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An organisation's API token: `Authorization: Token wk_…`.",
        }
