from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django_otp.plugins.otp_totp.models import TOTPDevice

from welkom.organisations.selectors import user_requires_two_factor

# Pages a signed-in user may open before the second factor is verified.
_OPEN_VIEWS = {
    "accounts:two_factor",
    "accounts:two_factor_confirm",
    "accounts:logout",
    "set_language",
}


class TwoFactorRequiredMiddleware:
    """Users whose role requires two-factor authentication, and anyone who enrolled an
    authenticator, must verify a TOTP code first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and (
                user.is_superuser
                or user_requires_two_factor(user)
                or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            )
            and not self._is_open(request)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _is_open(request) -> bool:
        if request.path.startswith(f"/{settings.STATIC_URL}"):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in _OPEN_VIEWS
