"""Writes about accounts: enrolling and verifying the second factor."""

from __future__ import annotations

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once so a reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_verify(*, request, token: str) -> bool:
    """Check a six-digit code against the user's authenticator; confirm it on first success."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True)
    devices = list(confirmed) or [totp_device_for_enrolment(user=user)]
    for device in devices:
        if device.verify_token(token.strip().replace(" ", "")):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return True
    return False
