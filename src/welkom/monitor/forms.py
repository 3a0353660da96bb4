from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from welkom.monitor.indicators import REGISTER
from welkom.monitor.models import ActionProgress, Figure


class ChooserForm(forms.Form):
    """Which indicator, for a night or a month, to show on the map and in the table."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    period_kind = forms.ChoiceField(
        label=_("Per"), choices=Figure.Period.choices, required=False, initial=Figure.Period.NIGHT
    )
    period = forms.DateField(label=_("Night or month"), required=False, widget=forms.Select)

    def __init__(self, *args, nights, months, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(c, i.label) for c, i in REGISTER.items()]
        self.nights, self.months = nights, months
        choices = [(n.isoformat(), n.isoformat()) for n in nights[:60]]
        choices += [(m.isoformat(), m.strftime("%Y-%m")) for m in months]
        self.fields["period"].widget.choices = [("", _("the latest")), *choices]

    def chosen(self) -> tuple[str, str, object]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        indicator = data.get("indicator") or "persons"
        kind = data.get("period_kind") or Figure.Period.NIGHT
        available = self.nights if kind == Figure.Period.NIGHT else self.months
        period = data.get("period")
        if period not in available:
            period = available[0] if available else None
        return indicator, kind, period


class FiguresFileForm(forms.Form):
    file = forms.FileField(
        label=_("File with figures"),
        help_text=_("CSV or Excel (.xlsx) in the template's columns."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_MB}
            )
        return upload


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ActionProgress
        fields = ["status", "note"]
        widgets = {"note": forms.TextInput}
