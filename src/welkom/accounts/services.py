"""Writes about accounts: enrolling and verifying the second factor."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

# An authenticator is enrolled only when its owner opens a link mailed to them within this
# time: a stolen password alone cannot add an attacker's authenticator (no trust on first
# use).
ENROLMENT_SALT = "welkom.accounts.enrolment"
ENROLMENT_SECONDS = 60 * 60


class Verified(Enum):
    YES = "yes"  # a confirmed authenticator's code: signed in with the second factor
    MAILED = "mailed"  # a new authenticator's right code: the confirmation link is mailed
    NO = "no"


def totp_device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once so a reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_verify(*, request, token: str, confirm_url: Callable[[str], str]) -> Verified:
    """Check a six-digit code against the user's authenticator. For one not yet confirmed, a
    right code mails its owner a link (`confirm_url(signed)`) that confirms it."""
    user = request.user
    code = token.strip().replace(" ", "")
    confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    for device in confirmed:
        if device.verify_token(code):
            otp_login(request, device)
            return Verified.YES
    if confirmed:
        return Verified.NO
    device = totp_device_for_enrolment(user=user)
    if not device.verify_token(code):
        return Verified.NO
    signed = signing.TimestampSigner(salt=ENROLMENT_SALT).sign(str(device.pk))
    send_mail(
        _("Confirm your authenticator for Welkom"),
        render_to_string(
            "accounts/two_factor_confirm_email.txt",
            {"user": user, "url": confirm_url(signed), "hours": ENROLMENT_SECONDS // 3600},
        ),
        None,
        [user.email],
    )
    return Verified.MAILED


@transaction.atomic
def totp_confirm(*, request, signed: str) -> bool:
    """Confirm the authenticator a mailed link names (the signed-in user's own, not yet
    confirmed, within `ENROLMENT_SECONDS`) and sign in with it."""
    try:
        device_id = signing.TimestampSigner(salt=ENROLMENT_SALT).unsign(
            signed, max_age=ENROLMENT_SECONDS
        )
    except signing.BadSignature:
        return False
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if device is None:
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
