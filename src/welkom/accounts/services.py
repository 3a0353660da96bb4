"""Writes about accounts: enrolling and verifying the second factor."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from enum import Enum

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

# An authenticator is enrolled only when its owner opens a link mailed to them within this
# time: a stolen password alone cannot add an attacker's authenticator (no trust on first
# use). Each sign-in session enrols its own authenticator, with its own secret, and the
# link names that session's nonce: someone else signed in with the same password never sees
# the owner's secret, and the owner opening a link that another session caused confirms
# nothing.
ENROLMENT_SALT = "welkom.accounts.enrolment"
ENROLMENT_SECONDS = 60 * 60
ENROLMENT_SESSION_KEY = "welkom_enrolment"


class Verified(Enum):
    YES = "yes"  # a confirmed authenticator's code: signed in with the second factor
    MAILED = "mailed"  # a new authenticator's right code: the confirmation link is mailed
    NO = "no"


def totp_device_for_enrolment(*, request) -> TOTPDevice:
    """This session's unconfirmed authenticator, made once so a reload shows the same secret;
    another session of the same account gets another one."""
    user = request.user
    mine = request.session.get(ENROLMENT_SESSION_KEY) or {}
    device = TOTPDevice.objects.filter(pk=mine.get("device"), user=user, confirmed=False).first()
    if device is None:
        # Tries abandoned longer ago than a link lives can never be confirmed any more.
        TOTPDevice.objects.filter(
            user=user,
            confirmed=False,
            created_at__lt=timezone.now() - timedelta(seconds=ENROLMENT_SECONDS),
        ).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        request.session[ENROLMENT_SESSION_KEY] = {
            "device": device.pk,
            "nonce": secrets.token_urlsafe(16),
        }
    return device


def _enrolment_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=ENROLMENT_SALT)


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
    device = totp_device_for_enrolment(request=request)
    if not device.verify_token(code):
        return Verified.NO
    nonce = request.session[ENROLMENT_SESSION_KEY]["nonce"]
    signed = _enrolment_signer().sign(f"{device.pk}.{nonce}")
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
    confirmed, enrolled in this very session, within `ENROLMENT_SECONDS`) and sign in with
    it. The account's other unconfirmed authenticators are removed."""
    try:
        value = _enrolment_signer().unsign(signed, max_age=ENROLMENT_SECONDS)
    except signing.BadSignature:
        return False
    device_id, _dot, nonce = value.partition(".")
    mine = request.session.get(ENROLMENT_SESSION_KEY) or {}
    if str(mine.get("device")) != device_id or not secrets.compare_digest(
        str(mine.get("nonce", "")), nonce
    ):
        return False
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if device is None:
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    del request.session[ENROLMENT_SESSION_KEY]
    otp_login(request, device)
    return True
