from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from welkom.organisations.forms import ForProviderForm
from welkom.register.models import REGISTRATION_LABELS


class NightListUploadForm(ForProviderForm):
    file = forms.FileField(
        label=_("Night list (CSV or Excel)"),
        help_text=_("One row per person per night. Download the template to see the columns."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "This file is %(size)d MB; the upload page takes at most %(limit)d MB. "
                    "Split the file by month, or send it through the API or the command line."
                ),
                # Rounded up: 52.4 MB is "53 MB", never "50 MB" beside a limit of 50.
                params={"size": -(-upload.size // (1024 * 1024)), "limit": settings.UPLOAD_MAX_MB},
            )
        return upload


class NightForm(forms.Form):
    night = forms.DateField(
        label=_("Night"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SignalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("open")),
            ("done", _("done")),
            ("dismissed", _("dismissed")),
        ],
    )
    rule = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        from welkom.register.models import Signal

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("All")), *Signal.RULE_LABELS.items()]


class SignalStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", "open"), ("done", "done"), ("dismissed", "dismissed")]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class RegistrationForm(forms.Form):
    registration = forms.ChoiceField(label=_("Registration"), choices=REGISTRATION_LABELS)
    registered_on = forms.DateField(
        label=_("Registered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CheckInForm(forms.Form):
    """One night at one location, as a small provider without a list system fills it in."""

    night = forms.DateField(
        label=_("Night"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=3,
        required=False,
        help_text=_("Country code, for example PL or POL."),
    )
    home_place = forms.CharField(label=_("Home place"), max_length=200, required=False)
    home_country = forms.CharField(
        label=_("Home country"),
        max_length=3,
        required=False,
        help_text=_("Country code, for example PL or POL."),
    )
    document_type = forms.ChoiceField(
        label=_("ID document type"),
        required=False,
        choices=[
            ("", "—"),
            ("identity_card", _("identity card")),
            ("passport", _("passport")),
            ("residence_permit", _("residence permit")),
            ("driving_licence", _("driving licence")),
            ("other", _("other")),
        ],
    )

    NEW_PERSON_FIELDS = [
        "family_name",
        "given_names",
        "date_of_birth",
        "nationality",
        "home_place",
        "home_country",
        "document_type",
    ]

    def clean(self) -> dict:
        data = super().clean()
        given = [name for name in self.NEW_PERSON_FIELDS if data.get(name)]
        if given and len(given) < len(self.NEW_PERSON_FIELDS):
            raise forms.ValidationError(
                _("To check someone in, fill in every field of the new person.")
            )
        return data

    @property
    def new_person(self) -> dict | None:
        if all(self.cleaned_data.get(name) for name in self.NEW_PERSON_FIELDS):
            return {name: self.cleaned_data[name] for name in self.NEW_PERSON_FIELDS}
        return None
