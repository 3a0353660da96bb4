from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from welkom.organisations import rules
from welkom.organisations.models import Organisation, OrganisationKind, Role
from welkom.places.models import Municipality


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = rules.roles_for_kind(organisation.kind)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in offered]


class OrganisationAddForm(forms.Form):
    """A new organisation and its first manager (platform administrators)."""

    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=20,
        required=False,
        help_text=_("Required for housing providers, employers and temp agencies."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text=_("Only for a municipality organisation: the municipality it governs."),
    )
    manager_email = forms.EmailField(
        label=_("E-mail address of its first manager"),
        required=False,
        help_text=_("Welkom sends an invitation; the manager then invites colleagues."),
    )


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not only digits, and not a common password."),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system that uses the token"),
        max_length=100,
        help_text=_("For example: planning system, night-register export."),
    )


class ForProviderForm(forms.Form):
    """A form sent for one housing provider: a user who works for several chooses which.

    Give `providers` (the user's providers with the right permission); `provider` is the one
    the form is for after validation, or the only one.
    """

    def __init__(self, *args, providers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.providers = list(providers)
        if len(self.providers) > 1:
            self.fields["provider"] = forms.ModelChoiceField(
                label=_("For housing provider"),
                queryset=type(self.providers[0]).objects.filter(
                    pk__in=[p.pk for p in self.providers]
                ),
            )
            self.order_fields(["provider"])

    @property
    def provider(self) -> Organisation | None:
        if "provider" in self.fields:
            return self.cleaned_data["provider"]
        return self.providers[0] if self.providers else None
