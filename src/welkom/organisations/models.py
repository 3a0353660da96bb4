from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welkom.organisations import rules
from welkom.processing_log.querysets import PersonalDataQuerySet


class OrganisationKind(models.TextChoices):
    HOUSING_PROVIDER = rules.HOUSING_PROVIDER, _("housing provider")
    EMPLOYER = rules.EMPLOYER, _("employer")
    TEMP_AGENCY = rules.TEMP_AGENCY, _("temp agency")
    MUNICIPALITY = rules.MUNICIPALITY, _("municipality")
    PROVINCE = rules.PROVINCE, _("province")
    ENFORCEMENT_PARTNER = rules.ENFORCEMENT_PARTNER, _("enforcement partner")


class Role(models.TextChoices):
    MEMBER = rules.MEMBER, _("member")
    MANAGER = rules.MANAGER, _("manager")
    PRIVACY_OFFICER = rules.PRIVACY_OFFICER, _("privacy officer")


def validate_kvk_number(value: str) -> None:
    try:
        normalised = rules.kvk_number_normalise(value)
    except rules.KvkNumberError:
        raise ValidationError(
            _("A KvK number has exactly 8 digits, for example 12345678."), code="kvk"
        ) from None
    if normalised != value:
        raise ValidationError(_("Write the KvK number as 8 digits only."), code="kvk")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Users see the organisations they belong to; platform administrators see all."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk_number]
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("For a municipality organisation: the municipality it governs."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("manage_members", _("Can invite and remove the organisation's users")),
            ("manage_api_tokens", _("Can create and revoke the organisation's API tokens")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=rules.MUNICIPALITY) & Q(municipality__isnull=False))
                | (~Q(kind=rules.MUNICIPALITY) & Q(municipality__isnull=True)),
                name="organisation_municipality_iff_municipality_kind",
                violation_error_message=_(
                    "A municipality organisation is tied to one municipality; "
                    "other organisations are not."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(kind=rules.MUNICIPALITY),
                name="organisation_one_per_municipality",
                violation_error_message=_("This municipality already has an organisation."),
            ),
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~Q(kvk_number=""),
                name="organisation_unique_kvk_number",
                violation_error_message=_("An organisation with this KvK number exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(PersonalDataQuerySet):
    subject_type = "user"
    subject_field = "user_id"

    def visible_to(self, user) -> MembershipQuerySet:
        """Managers see the memberships of the organisations whose members they manage."""
        from welkom.organisations.selectors import organisations_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        managed = organisations_where(user, "organisations.manage_members")
        return self.filter(organisation__in=managed)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("member since"), default=timezone.now, editable=False)

    # Reading one's own memberships to decide access is not processing someone else's data;
    # every other read goes through `objects`, which writes the processing log.
    objects = MembershipQuerySet.as_manager()
    access_control = models.Manager()  # noqa: DJ012 (the comment above says why)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        base_manager_name = "access_control"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def permissions(self) -> frozenset[str]:
        return rules.role_permissions(self.organisation.kind, self.role)

    @property
    def requires_two_factor(self) -> bool:
        return rules.requires_two_factor(self.organisation.kind, self.role)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        from welkom.organisations.selectors import organisations_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            organisation__in=organisations_where(user, "organisations.manage_members")
        )

    def open(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApiTokenQuerySet:
        from welkom.organisations.selectors import organisations_where

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        managed = organisations_where(user, "organisations.manage_api_tokens")
        return self.filter(organisation__in=managed)

    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key with which an organisation's own system calls the API; only its hash is kept."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
