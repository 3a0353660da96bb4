from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from welkom.processing_log.models import Entry, ProcessingActivity


class EntrySearchForm(forms.Form):
    date_from = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_until = forms.DateField(
        label=_("Until (date, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    activity = forms.ModelChoiceField(
        label=_("Processing activity"),
        queryset=ProcessingActivity.objects.all(),
        required=False,
        empty_label=_("All activities"),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *Entry.Action.choices], required=False
    )
    actor = forms.CharField(label=_("User name of the actor"), max_length=150, required=False)
    subject_type = forms.ChoiceField(
        label=_("Kind of data subject"),
        choices=[("person", _("worker")), ("user", _("user account"))],
        required=False,
    )
    subject_id = forms.CharField(
        label=_("Internal number of the data subject"),
        max_length=40,
        required=False,
        help_text=_(
            "For a request for access (AVG article 15): Welkom turns the number into its "
            "pseudonym and finds every processing of that person's data."
        ),
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return data
