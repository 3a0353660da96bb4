from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welkom.work.models import Register


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Name or KvK number of the agency"),
        max_length=200,
        help_text=_("At least three letters of the name, or the eight digits of the KvK number."),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if len(query) < 3:
            raise forms.ValidationError(
                _("Give at least three letters of the name, or the KvK number.")
            )
        return query


class RegisterUploadForm(forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=Register.choices)
    as_of = forms.DateField(
        label=_("Date of the export"),
        help_text=_("The day the register published this export, as dd-mm-yyyy."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )
    file = forms.FileField(label=_("Export (CSV or XLSX)"))

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("The date of the export lies in the future."))
        return as_of

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": settings.UPLOAD_MAX_MB}
            )
        return upload


class PlacementUploadForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Sent for"))
    file = forms.FileField(
        label=_("Placement list (CSV or XLSX)"),
        help_text=_(
            "Columns: family_name, given_names, date_of_birth, nationality, hirer_kvk, "
            "agency_kvk (empty when hired directly), job_start, job_end (empty while working)."
        ),
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = next(iter(self.organisations))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": settings.UPLOAD_MAX_MB}
            )
        return upload
