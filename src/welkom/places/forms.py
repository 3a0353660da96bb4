from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=20,
        help_text=_("For example 5912 AB or 5912."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
