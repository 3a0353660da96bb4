from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from welkom.loket import rules
from welkom.loket.models import Activity, ActivityKind, MunicipalContact, TopicText
from welkom.loket.reference import OFFERED_LANGUAGES
from welkom.loket.text import text_problems
from welkom.places.models import Municipality
from welkom.places.selectors import (
    PostcodeLookupError,
    PostcodeOutsideLimburg,
    municipality_for_postcode,
)
from welkom.register.rules import Registration

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# How far from today an arrival date may lie: a date further off is almost surely a typing
# error (a wrong year), and the steps would mean nothing.
ARRIVAL_PAST_DAYS = 2 * 365
ARRIVAL_FUTURE_DAYS = 365
LONGEST_STAY_DAYS = 10 * 365


def language_choices(codes=OFFERED_LANGUAGES) -> list[tuple[str, str]]:
    """Each language in its own name ("polski", "română"), as a reader looks for it."""
    return [(code, get_language_info(code)["name_local"]) for code in codes]


class PostcodeField(forms.CharField):
    """A postcode that must lie in one of Limburg's 31 municipalities; the form gets the
    municipality in `cleaned_data["municipality"]` through `postcode_municipality`."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "postal-code"}))
        super().__init__(**kwargs)


def postcode_municipality(form: forms.Form, field: str = "postcode") -> Municipality | None:
    """The municipality of the form's postcode, or an error on the field. An error for a
    postcode outside Limburg sets `form.outside_limburg`, so the page lists the 31."""
    postcode = form.cleaned_data.get(field)
    if not postcode:
        return None
    try:
        return municipality_for_postcode(postcode)
    except PostcodeOutsideLimburg as error:
        form.outside_limburg = True
        form.add_error(field, error.message)
    except PostcodeLookupError as error:
        form.add_error(field, error.message)
    return None


def municipality_field(label: str, empty_label: str) -> forms.ModelChoiceField:
    """One of the 31 municipalities, chosen by name, sent by its CBS code."""
    return forms.ModelChoiceField(
        label=label,
        queryset=Municipality.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=empty_label,
    )


class CheckForm(forms.Form):
    """The "What must I do?" check. Nothing of it is stored or logged."""

    # No `required` in the HTML: browsers would mark every empty radio button as invalid
    # before the visitor did anything. The server says clearly what is missing.
    use_required_attribute = False

    REGISTRATION_CHOICES = [
        (Registration.NONE, _("No, not yet")),
        (Registration.BRP, _("Yes, in the BRP (I live in a Dutch municipality)")),
        (Registration.RNI, _("Yes, in the RNI (as a non-resident)")),
        (Registration.UNKNOWN, _("I do not know")),
    ]
    UNIT_CHOICES = [("weeks", _("weeks")), ("months", _("months"))]

    arrival = forms.DateField(
        label=_("When do you arrive, or when did you arrive, in the Netherlands?"),
        widget=DATE,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Write the date as day-month-year, for example 09-03-2027.")},
    )
    length = forms.IntegerField(
        label=_("How long do you expect to stay?"),
        help_text=_("A number. Choose weeks or months below."),
        min_value=1,
        max_value=520,
        error_messages={
            "min_value": _("Your stay must be at least 1 week or 1 month."),
            "max_value": _("Give a stay of at most 10 years."),
            "invalid": _("Write the length of your stay as a number, for example 6."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    unit = forms.ChoiceField(
        label=_("Weeks or months"), choices=UNIT_CHOICES, initial="months", widget=forms.RadioSelect
    )
    registration = forms.ChoiceField(
        label=_("Are you already registered in the Netherlands?"),
        choices=REGISTRATION_CHOICES,
        widget=forms.RadioSelect,
    )
    postcode = PostcodeField(
        label=_("Postcode of the address where you stay"),
        help_text=_("For example 5961 AA. You find it on your rental contract."),
    )

    outside_limburg = False

    def clean_arrival(self) -> date:
        arrival = self.cleaned_data["arrival"]
        today = timezone.localdate()
        if arrival < today - timedelta(days=ARRIVAL_PAST_DAYS):
            raise forms.ValidationError(
                _("This date is more than two years ago. Check the year, please.")
            )
        if arrival > today + timedelta(days=ARRIVAL_FUTURE_DAYS):
            raise forms.ValidationError(
                _("This date is more than a year from now. Check the year, please.")
            )
        return arrival

    def clean(self) -> dict:
        data = super().clean()
        data["municipality"] = postcode_municipality(self)
        arrival, length, unit = data.get("arrival"), data.get("length"), data.get("unit")
        if arrival and length and unit:
            if unit == "weeks":
                departure = arrival + timedelta(weeks=length)
            else:
                departure = rules.months_after(arrival, length)
            if (departure - arrival).days > LONGEST_STAY_DAYS:
                self.add_error("length", _("Give a stay of at most 10 years."))
            elif departure <= timezone.localdate():
                self.add_error(
                    "length",
                    _(
                        "By these dates your stay has already ended. The check is for a stay "
                        "that has not ended yet."
                    ),
                )
            data["departure"] = departure
        return data


class ContactFinderForm(forms.Form):
    """Find a municipality's contact by postcode or by choosing the municipality."""

    postcode = PostcodeField(
        label=_("Postcode"), required=False, help_text=_("For example 5961 AA.")
    )
    municipality = municipality_field(_("Or choose the municipality"), _("Choose…"))

    outside_limburg = False

    def clean(self) -> dict:
        data = super().clean()
        if data.get("postcode"):
            found = postcode_municipality(self)
            if found is not None:
                data["municipality"] = found
        elif not data.get("municipality") and not self.errors:
            raise forms.ValidationError(_("Give a postcode or choose a municipality."))
        return data


class LocationForm(forms.Form):
    """Coordinates from the browser's "use my location" (only with JavaScript)."""

    latitude = forms.FloatField(min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(min_value=-180, max_value=180, widget=forms.HiddenInput)


class DirectoryFilterForm(forms.Form):
    municipality = municipality_field(_("Municipality"), _("All municipalities"))
    language = forms.ChoiceField(label=_("Language of instruction"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ActivityKind.choices]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *language_choices()]


class TopicTextForm(forms.ModelForm):
    use_required_attribute = False  # see CheckForm
    # The Dutch revision on the editor's screen: a save against an older one is refused (for
    # the Dutch text) or stays outdated (for a translation). See services.topic_text_save.
    source_revision_seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Text"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Headings start with ## or ###. Leave a blank line between paragraphs. Lists "
            "start with - or 1. Bold is **text**. A link is [text](https://…); to Welkom's "
            "own pages: loket:contact, loket:check, loket:directory, topic:<name>."
        ),
    )
    reviewed = forms.BooleanField(
        label=_("I checked this translation against the current Dutch text"),
        required=False,
        help_text=_("Then the page no longer shows as outdated or machine-translated."),
    )

    class Meta:
        model = TopicText
        fields = ["title", "summary", "body", "checked_on"]
        widgets = {"checked_on": DATE}
        help_texts = {"checked_on": _("The day the facts on this page were last checked.")}

    def __init__(self, *args, resolve, source_revision: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.resolve = resolve
        self.fields["source_revision_seen"].initial = source_revision
        for name in ("title", "summary", "body"):  # the text is in the page's language
            self.fields[name].widget.attrs["lang"] = self.instance.language
        if self.instance.language == settings.LANGUAGE_CODE:
            del self.fields["reviewed"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        try:
            problems = text_problems(body, self.resolve)
        except NoReverseMatch:  # pragma: no cover - resolve handles unknown names itself
            problems = []
        if problems:
            raise forms.ValidationError(
                _(
                    "These links lead nowhere: %(links)s. Use https://, tel:, mailto:, or one "
                    "of Welkom's own pages."
                )
                % {"links": ", ".join(problems)}
            )
        return body


def website_field() -> forms.URLField:
    """A web address; one typed without a scheme is read as https."""
    return forms.URLField(
        label=_("Web page"), required=False, max_length=200, assume_scheme="https"
    )


class ContactForm(forms.ModelForm):
    use_required_attribute = False  # see CheckForm
    website = website_field()
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MunicipalContact
        fields = ["name", "email", "phone", "languages", "opening_hours", "address", "website"]
        help_texts = {
            "name": _("A person or a team, for example 'Team Arbeidsmigratie'."),
            "opening_hours": _("For example: Monday to Thursday 9:00–12:00."),
        }

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.errors:
            raise forms.ValidationError(_("Give an e-mail address or a phone number, or both."))
        return data


class ActivityForm(forms.ModelForm):
    use_required_attribute = False  # see CheckForm
    website = website_field()
    languages = forms.MultipleChoiceField(
        label=_("Languages of instruction"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "kind", "name", "description", "languages", "place", "address", "schedule", "cost",
            "website", "email", "phone",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean(self) -> dict:
        data = super().clean()
        kind, name = data.get("kind"), data.get("name")
        if kind and name:
            taken = Activity.objects.filter(
                municipality=self.instance.municipality, kind=kind, name__iexact=name.strip()
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "name", _("Your directory already has this name for this kind of activity.")
                )
        return data
