"""Writes about organisations: invitations, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welkom.organisations import rules
from welkom.organisations.models import ApiToken, Invitation, Membership, Organisation
from welkom.places.models import Municipality
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write

INVITATION_VALID_DAYS = 7
USER_ADMINISTRATION = "user-administration"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _log_membership_change(*, actor, organisation, action: str, user_id: int) -> None:
    processing_log_write(
        processing=Processing.by(
            actor, activity=USER_ADMINISTRATION, action=action, organisation=organisation
        ),
        subject_type="user",
        subject_ids=[user_id],
        object_type="membership",
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by,
    accept_url: Callable[[str], str],
) -> Invitation:
    """Invite someone by e-mail to join `organisation` with `role`; the mail holds the link."""
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if role not in rules.roles_for_kind(organisation.kind):
        raise ValidationError({"role": _("This role does not exist in this kind of organisation.")})
    if Membership.access_control.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise ValidationError({"email": _("Someone with this e-mail address is already a member.")})
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=secret_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    send_mail(
        subject=_("Invitation to Welkom for %(organisation)s") % {"organisation": organisation},
        message=_(
            "%(inviter)s invites you to work in Welkom for %(organisation)s.\n\n"
            "Open this link within %(days)d days to accept:\n%(url)s\n"
        )
        % {
            "inviter": (invited_by.get_full_name() or invited_by.get_username())
            if invited_by
            else "Welkom",
            "organisation": organisation,
            "days": INVITATION_VALID_DAYS,
            "url": accept_url(token),
        },
        from_email=None,
        recipient_list=[email],
    )
    return invitation


@transaction.atomic
def organisation_add(
    *,
    kind: str,
    name: str,
    kvk_number: str = "",
    municipality_code: str = "",
    manager_email: str = "",
    added_by=None,
    accept_url: Callable[[str], str],
) -> tuple[Organisation, Invitation | None]:
    """A new organisation, checked as the database would (KvK number, one organisation per
    municipality), and an invitation to its first manager when an e-mail address is given.
    Refused with a ValidationError that says what to change; nothing is stored then."""
    errors: dict[str, str] = {}
    if not rules.roles_for_kind(kind):
        errors["kind"] = _("Unknown kind of organisation.")
    name = " ".join(name.split())
    if not name:
        errors["name"] = _("Give the organisation's name.")
    kvk = ""
    if kvk_number.strip():
        try:
            kvk = rules.kvk_number_normalise(kvk_number)
        except rules.KvkNumberError:
            errors["kvk_number"] = _("A KvK number has exactly 8 digits, for example 12345678.")
        else:
            existing = Organisation.objects.filter(kvk_number=kvk).first()
            if existing is not None:
                errors["kvk_number"] = _("%(name)s already has KvK number %(kvk)s in Welkom.") % {
                    "name": existing.name,
                    "kvk": kvk,
                }
    elif kind in rules.KVK_REQUIRED:
        errors["kvk_number"] = _("This kind of organisation is known by its KvK number: give it.")
    municipality = None
    if kind == rules.MUNICIPALITY:
        municipality = Municipality.objects.filter(code=municipality_code.strip().upper()).first()
        if municipality is None:
            errors["municipality"] = _(
                "Give the CBS code of a Limburg municipality, for example GM0983."
            )
        elif Organisation.objects.filter(municipality=municipality).exists():
            errors["municipality"] = _("This municipality already has an organisation.")
    elif municipality_code.strip():
        errors["municipality"] = _("Only a municipality organisation is tied to a municipality.")
    if errors:
        raise ValidationError(errors)
    organisation = Organisation(kind=kind, name=name, kvk_number=kvk, municipality=municipality)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Another request added the same KvK number or municipality since the checks above.
        raise ValidationError(
            _("Another organisation with this KvK number or municipality was just added.")
        ) from None
    invitation = None
    if manager_email.strip():
        invitation = invitation_create(
            organisation=organisation,
            email=manager_email,
            role=rules.MANAGER,
            invited_by=added_by,
            accept_url=accept_url,
        )
    return organisation, invitation


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.open()
        .select_related("organisation")
        .filter(token_hash=secret_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user=None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> Membership:
    """Accept as the signed-in `user`, or create an account with the invited e-mail address."""
    User = get_user_model()
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail address exists. Sign in first, then open the link again."
                )
            )
        user = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
    elif user.email.lower() != invitation.email:
        raise ValidationError(_("This invitation is for another e-mail address."))
    membership, _created = Membership.access_control.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    _log_membership_change(
        actor=user,
        organisation=invitation.organisation,
        action=Entry.Action.CREATE,
        user_id=user.pk,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> None:
    """Remove a user from an organisation; the last manager cannot be removed."""
    if membership.role == rules.MANAGER:
        managers = Membership.access_control.filter(
            organisation=membership.organisation, role=rules.MANAGER
        )
        if managers.count() <= 1:
            raise ValidationError(
                _("An organisation keeps at least one manager. Make someone else manager first.")
            )
    user_id = membership.user_id
    organisation = membership.organisation
    Membership.access_control.filter(pk=membership.pk).delete()
    _log_membership_change(
        actor=removed_by, organisation=organisation, action=Entry.Action.DELETE, user_id=user_id
    )


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, created_by) -> tuple[ApiToken, str]:
    """A new token; the key is returned once and only its hash is kept."""
    key = "wk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        prefix=key[3:11],
        key_hash=secret_hash(key),
        created_by=created_by,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
