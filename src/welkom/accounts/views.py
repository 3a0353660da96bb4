from __future__ import annotations

import base64
import io
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from welkom.accounts.forms import LoginForm, TwoFactorForm
from welkom.accounts.services import (
    Verified,
    totp_confirm,
    totp_device_for_enrolment,
    totp_verify,
)
from welkom.lib.http import client_address
from welkom.lib.throttle import Rate, too_many, wait_before, waiting

# Failed sign-ins per address, whatever the account: the lock-out (django-axes) is per
# account and address, so without this one address could try a password on every account.
# Only failures count, so an office behind one address signs in as often as it likes.
LOGIN_FAILURES_PER_ADDRESS = Rate(30, 3600)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs) -> HttpResponse:
        seconds = waiting(
            "accounts.login.address", client_address(request), LOGIN_FAILURES_PER_ADDRESS
        )
        if seconds is not None:
            return too_many(request, seconds)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        wait_before(
            "accounts.login.address", client_address(self.request), LOGIN_FAILURES_PER_ADDRESS
        )
        return super().form_invalid(form)


# Password resets: per address, and per e-mail address asked for (a stranger cannot fill
# someone's mailbox; the page says the same whether or not the address is known).
RESETS_PER_ADDRESS = Rate(10, 3600)
RESETS_PER_ACCOUNT = Rate(3, 3600)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "").strip().casefold()
        seconds = wait_before("accounts.reset.address", client_address(request), RESETS_PER_ADDRESS)
        if seconds is None and email:
            seconds = wait_before("accounts.reset.account", email, RESETS_PER_ACCOUNT)
        if seconds is not None:
            return too_many(request, seconds)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _otpauth_uri(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"Welkom:{device.user.get_username()}")
    return f"otpauth://totp/{label}?secret={secret}&issuer=Welkom&digits={device.digits}"


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor(request) -> HttpResponse:
    """Enrol an authenticator app (first time) or enter a code from it."""
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    form = TwoFactorForm(request.POST or None)
    mailed = False
    if request.method == "POST" and form.is_valid():
        verified = totp_verify(
            request=request,
            token=form.cleaned_data["token"],
            confirm_url=lambda signed: request.build_absolute_uri(
                reverse("accounts:two_factor_confirm", args=[signed])
            ),
        )
        if verified is Verified.YES:
            messages.success(request, _("Two-factor authentication succeeded."))
            return redirect("site:home")
        if verified is Verified.MAILED:
            mailed = True
        else:
            form.add_error(
                "token",
                _("This code is not right. Codes change every 30 seconds; try the current one."),
            )
    if mailed:
        return render(request, "accounts/two_factor_mailed.html", {"email": request.user.email})
    context = {"form": form, "enrolled": enrolled}
    if not enrolled:
        device = totp_device_for_enrolment(request=request)
        uri = _otpauth_uri(device)
        context |= {
            "qr_svg": _qr_svg(uri),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        }
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_confirm(request, signed: str) -> HttpResponse:
    """The link mailed on enrolment: it confirms the new authenticator."""
    if totp_confirm(request=request, signed=signed):
        messages.success(request, _("Your authenticator is confirmed. You are signed in with it."))
        return redirect("site:home")
    return render(request, "accounts/two_factor_link_invalid.html", status=400)
