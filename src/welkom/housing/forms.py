from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from welkom.housing import rules as norms
from welkom.housing.models import (
    ADDRESS_FIELDS,
    ADDRESS_KEPT,
    DESCRIPTION_FIELDS,
    PERMIT_FIELDS,
    RENT_FIELDS,
    BuildingType,
    Certificate,
    Inspection,
    Location,
    MunicipalRule,
    Room,
    StayType,
)
from welkom.organisations.forms import ForProviderForm
from welkom.places.rules import postcode_parse
from welkom.places.selectors import PostcodeLookupError, municipality_for_postcode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# AKF: open deviations are resolved within 28 days after the audit (shared domain facts §2).
FOLLOW_UP_DAYS = 28


class LocationForm(forms.ModelForm):
    """A location and its facilities; the municipality follows from the postcode."""

    class Meta:
        model = Location
        fields = [*ADDRESS_FIELDS, *PERMIT_FIELDS, *DESCRIPTION_FIELDS, *RENT_FIELDS]
        widgets = {
            "opened_on": DATE,
            "closed_on": DATE,
            "smoke_detectors_checked": DATE,
            "co_detectors_checked": DATE,
            "extinguisher_inspected": DATE,
            "rental_contract_separate": forms.NullBooleanSelect,
            "rights_information_in_language": forms.NullBooleanSelect,
            "rent_deducted": forms.NullBooleanSelect,
        }

    def __init__(self, *args, provider, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.instance.provider = provider
        for name in ("building_type", "zoning", "stay_type"):
            self.fields[name].required = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = Location.objects.filter(provider=self.provider, code=code).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("You already use this location code for another location.")
            )
        return code

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"]
        try:
            self.municipality = municipality_for_postcode(text)
        except PostcodeLookupError as error:
            raise forms.ValidationError(error.message) from None
        return str(postcode_parse(text))

    def clean(self) -> dict:
        data = super().clean()
        if (
            "postcode" in data
            and "number" in data
            and self.instance.history_moves_with(postcode=data["postcode"], number=data["number"])
        ):
            self.add_error("postcode", _(ADDRESS_KEPT))
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("The closing date lies before the opening date."))
        return data

    def save(self, commit: bool = True) -> Location:
        self.instance.municipality = self.municipality
        return super().save(commit=commit)


class RoomForm(forms.ModelForm):
    beds = forms.IntegerField(label=_("Beds"), min_value=0, required=False)

    class Meta:
        model = Room
        fields = ["name", "use", "area_m2", "walkable_m2", "beds"]

    def clean_beds(self) -> int:
        return self.cleaned_data["beds"] or 0

    def clean_area_m2(self) -> Decimal:
        area = self.cleaned_data["area_m2"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("The floor area must be more than 0 m²."))
        return area

    def clean_walkable_m2(self) -> Decimal | None:
        walkable = self.cleaned_data["walkable_m2"]
        if walkable is not None and walkable < 0:
            raise forms.ValidationError(_("The walkable area cannot be negative."))
        return walkable

    def clean(self) -> dict:
        data = super().clean()
        area, walkable = data.get("area_m2"), data.get("walkable_m2")
        if area is not None and walkable is not None and walkable > area:
            self.add_error("walkable_m2", _("The walkable area cannot be larger than the room."))
        if data.get("beds") and data.get("use") != norms.BEDROOM:
            self.add_error("beds", _("Only a bedroom has beds."))
        return data


class BaseRoomFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        names = [
            f.cleaned_data.get("name", "").strip().casefold()
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        doubled = {name for name in names if name and names.count(name) > 1}
        if doubled:
            raise forms.ValidationError(_("Give every room its own name."))


RoomFormSet = forms.inlineformset_factory(
    Location, Room, form=RoomForm, formset=BaseRoomFormSet, extra=3, can_delete=True
)


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["scheme", "register_id", "valid_until", "last_inspection"]
        widgets = {"valid_until": DATE, "last_inspection": DATE}

    def clean(self) -> dict:
        data = super().clean()
        inspected, valid_until = data.get("last_inspection"), data.get("valid_until")
        if inspected and valid_until and valid_until < inspected:
            self.add_error("valid_until", _("The certificate ends before its last inspection."))
        return data


class _CertificateFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """One mark per scheme, also against marks stored since the page was opened (a
        second tab): a form error rather than the database's refusal."""
        super().clean()
        if self.instance.pk is None:
            return
        edited = {form.instance.pk for form in self.initial_forms}
        stored = set(
            Certificate.objects.filter(location=self.instance)
            .exclude(pk__in=edited)
            .values_list("scheme", flat=True)
        )
        for form in self.extra_forms:
            scheme = form.cleaned_data.get("scheme") if form.has_changed() else None
            if scheme in stored:
                form.add_error("scheme", _("This location already has this mark: change that one."))


CertificateFormSet = forms.inlineformset_factory(
    Location,
    Certificate,
    form=CertificateForm,
    formset=_CertificateFormSet,
    extra=1,
    max_num=2,
    can_delete=True,
)


class LocationFileForm(ForProviderForm):
    file = forms.FileField(
        label=_("Location file (CSV or Excel)"),
        help_text=_("One row per room, the location's columns repeated. Download the template."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("This file is larger than %(limit)d MB."),
                params={"limit": settings.UPLOAD_MAX_MB},
            )
        return upload


class LocationFilterForm(forms.Form):
    stay_type = forms.ChoiceField(
        label=_("Kind of stay"),
        required=False,
        choices=[("", _("all")), *list(StayType.choices)],
    )
    building_type = forms.ChoiceField(
        label=_("Kind of building"),
        required=False,
        choices=[("", _("all")), *list(BuildingType.choices)],
    )
    mark = forms.ChoiceField(
        label=_("Quality mark"),
        required=False,
        choices=[
            ("", _("all")),
            ("snf", "SNF"),
            ("akf", "AKF"),
            ("none", _("no quality mark")),
        ],
    )
    non_compliant = forms.BooleanField(label=_("Only locations with unmet rules"), required=False)
    failing = forms.ChoiceField(
        label=_("Rules not met under"),
        required=False,
        choices=[
            ("", _("any norm")),
            (norms.SNF, "SNF"),
            (norms.AKF, "AKF"),
            (norms.WGV, _("Wet goed verhuurderschap")),
            (norms.MUNICIPAL, _("Municipal rules")),
        ],
    )
    expiring = forms.BooleanField(
        label=_("Only certificates expired or expiring within 30 days"), required=False
    )


class MunicipalRuleForm(forms.ModelForm):
    class Meta:
        model = MunicipalRule
        fields = ["kind", "value", "effective_from", "effective_until"]
        widgets = {"effective_from": DATE, "effective_until": DATE}

    def __init__(self, *args, municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["value"].required = False  # a required certificate has no value

    def clean_value(self) -> Decimal | None:
        value = self.cleaned_data["value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The value must be more than 0."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        kind, start, end = data.get("kind"), data.get("effective_from"), data.get("effective_until")
        value = data.get("value")
        if kind in norms.MARKS_REQUIRED:
            data["value"] = Decimal(1)  # stored, not used
        elif value is None and "value" not in self.errors:
            self.add_error("value", _("Give the number of persons or m² for this rule."))
        elif (
            value is not None
            and kind == norms.MAX_PERSONS_PER_BEDROOM
            and value != value.to_integral_value()
        ):
            self.add_error("value", _("A number of persons is a whole number."))
        if start and end and end < start:
            self.add_error("effective_until", _("The end date lies before the start date."))
            return data
        if kind and start:
            overlapping = MunicipalRule.objects.filter(
                municipality=self.instance.municipality, kind=kind
            ).exclude(pk=self.instance.pk)
            for other in overlapping:
                other_end = other.effective_until
                if (end is None or other.effective_from <= end) and (
                    other_end is None or start <= other_end
                ):
                    raise forms.ValidationError(
                        _(
                            "This rule overlaps the same rule in force from %(start)s%(end)s. "
                            "End that one first, or choose other dates."
                        ),
                        params={
                            "start": other.effective_from.isoformat(),
                            "end": f" – {other_end.isoformat()}" if other_end else "",
                        },
                    )
        return data


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = [
            "inspected_on",
            "inspector",
            "result",
            "failed_rules",
            "notes",
            "follow_up_deadline",
        ]
        widgets = {"inspected_on": DATE, "follow_up_deadline": DATE}
        help_texts = {
            "follow_up_deadline": _(
                "Left empty when something must be resolved: 28 days after the inspection (as "
                "AKF does)."
            )
        }

    failed_rules = forms.MultipleChoiceField(
        label=_("Rules not met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(rule.code, _(rule.explanation)) for rule in norms.RULES],
    )

    def __init__(self, *args, today, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_inspected_on(self) -> date:
        inspected = self.cleaned_data["inspected_on"]
        if inspected > self.today:
            raise forms.ValidationError(_("An inspection cannot lie in the future."))
        return inspected

    def clean(self) -> dict:
        data = super().clean()
        inspected, deadline = data.get("inspected_on"), data.get("follow_up_deadline")
        if inspected and deadline and deadline < inspected:
            self.add_error("follow_up_deadline", _("The deadline lies before the inspection."))
        if inspected and not deadline and data.get("result") != Inspection.Result.COMPLIANT:
            data["follow_up_deadline"] = inspected + timedelta(days=FOLLOW_UP_DAYS)
        return data
