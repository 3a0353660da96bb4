from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from welkom.housing.forms import (
    CertificateFormSet,
    InspectionForm,
    LocationFileForm,
    LocationFilterForm,
    LocationForm,
    MunicipalRuleForm,
    RoomFormSet,
)
from welkom.housing.location_files import location_template_csv
from welkom.housing.models import Inspection, Location, LocationImport, MunicipalRule
from welkom.housing.selectors import housing_counts, location_compliance, location_rows
from welkom.housing.services import location_file_import
from welkom.lib.exports import table_csv, table_xlsx
from welkom.lib.locks import BUSY, Busy
from welkom.organisations import rules
from welkom.organisations.models import Organisation
from welkom.organisations.selectors import organisations_where, territory_where
from welkom.places.maps import Area, map_svg
from welkom.places.models import Municipality


def _providers(request) -> list:
    """The housing providers the user describes locations for; none: no access."""
    providers = list(
        organisations_where(request.user, "housing.change_location").filter(
            kind=rules.HOUSING_PROVIDER
        )
    )
    if not providers:
        raise PermissionDenied
    return providers


def _provider_of(request, location: Location | None = None) -> Organisation:
    """The housing provider a location is edited for: its own, or for a new location the one
    chosen (`?provider=`) among the user's providers, by default the first."""
    providers = _providers(request)
    if location is not None:
        if location.provider_id not in {p.pk for p in providers}:
            raise PermissionDenied
        return location.provider
    chosen = request.GET.get("provider")  # the form posts to the same address, query included
    return next((p for p in providers if str(p.pk) == chosen), providers[0])


@login_required
@permission_required("housing.view_location", raise_exception=True)
def locations(request) -> HttpResponse:
    """Own locations (provider) or those in the territory (municipality), with compliance."""
    today = timezone.localdate()
    form = LocationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = location_rows(user=request.user, on=today, filters=filters)
    return render(
        request,
        "housing/locations.html",
        {
            "rows": rows,
            "map": _territory_map(request.user, rows),
            "form": form,
            "today": today,
            "can_add": request.user.has_perm("housing.change_location"),
            "query": request.GET.urlencode(),
        },
    )


def _territory_map(user, rows) -> str:
    """For municipality staff: Limburg with their territory filled and its locations counted."""
    territory = set(territory_where(user, "housing.view_location"))
    if not territory:
        return ""
    counted = [r for r in rows if r.location.municipality_id in territory]
    label = ngettext(
        "%(locations)d location, effective capacity %(capacity)d",
        "%(locations)d locations, effective capacity %(capacity)d",
        len(counted),
    ) % {
        "locations": len(counted),
        "capacity": sum(r.judged.effective_capacity or 0 for r in counted),
    }
    areas = [
        Area(m.code, m.name, m.boundary, m.pk in territory, label if m.pk in territory else "")
        for m in Municipality.objects.all()
    ]
    return map_svg(
        areas,
        zoom=True,
        title=_("Map of Limburg with your municipality: %(label)s") % {"label": label},
    )


@login_required
@permission_required("housing.view_location", raise_exception=True)
def locations_export(request, extension: str) -> HttpResponse:
    today = timezone.localdate()
    form = LocationFilterForm(request.GET or None)
    rows = location_rows(
        user=request.user, on=today, filters=form.cleaned_data if form.is_valid() else {}
    )
    header = [
        _("Location code"),
        _("Address"),
        _("Municipality"),
        _("Housing provider"),
        _("Kind of building"),
        _("Kind of stay"),
        _("Capacity in permit"),
        _("Effective capacity"),
        _("Quality marks"),
        _("Certificate valid until"),
        _("All applicable rules met"),
    ]
    table = [
        [
            row.location.code,
            row.location.address,
            row.location.municipality.name,
            row.location.provider.name,
            row.location.get_building_type_display(),
            row.location.get_stay_type_display(),
            row.location.permitted_capacity,
            row.judged.effective_capacity,
            ", ".join(c.get_scheme_display() for c in row.marks),
            ", ".join(c.valid_until.isoformat() for c in row.marks),
            _("yes") if row.compliant else _("no"),
        ]
        for row in rows
    ]
    name = f"locations-{today.isoformat()}.{extension}"
    if extension == "xlsx":
        content = table_xlsx(header, table, title=_("Locations"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = table_csv(header, table), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("housing.view_location", raise_exception=True)
def location_detail(request, location_id: int) -> HttpResponse:
    location = get_object_or_404(
        Location.objects.visible_to(request.user).select_related("municipality", "provider"),
        pk=location_id,
    )
    today = timezone.localdate()
    compliance = location_compliance(location, on=today)
    can_inspect = location.municipality_id in territory_where(
        request.user, "housing.add_inspection"
    )
    return render(
        request,
        "housing/location.html",
        {
            "location": location,
            "compliance": compliance,
            "rooms": location.rooms.all(),
            "certificates": location.certificates.all(),
            "inspections": location.inspections.all(),
            "can_edit": request.user.has_perm("housing.change_location")
            and organisations_where(request.user, "housing.change_location")
            .filter(pk=location.provider_id)
            .exists(),
            "inspection_form": InspectionForm(today=today) if can_inspect else None,
            "today": today,
        },
    )


@login_required
@permission_required("housing.change_location", raise_exception=True)
def location_edit(request, location_id: int | None = None) -> HttpResponse:
    """A location with its facilities, rooms and certificates: one page, one save."""
    location = None
    if location_id is not None:
        location = get_object_or_404(Location.objects.visible_to(request.user), pk=location_id)
    provider = _provider_of(request, location)
    instance = location or Location(provider=provider)
    data = request.POST if request.method == "POST" else None
    form = LocationForm(data, instance=instance, provider=provider)
    rooms = RoomFormSet(data, instance=instance, prefix="rooms")
    certificates = CertificateFormSet(data, instance=instance, prefix="certificates")
    if data is not None and form.is_valid() and rooms.is_valid() and certificates.is_valid():
        with transaction.atomic():
            saved = form.save()
            rooms.instance = certificates.instance = saved
            rooms.save()
            certificates.save()
        messages.success(request, _("The location is saved."))
        return redirect("housing:location", location_id=saved.pk)
    return render(
        request,
        "housing/location_edit.html",
        {
            "form": form,
            "rooms": rooms,
            "certificates": certificates,
            "location": location,
            "provider": provider,
            "other_providers": []
            if location
            else [p for p in _providers(request) if p != provider],
        },
        status=400 if data is not None else 200,
    )


@login_required
@permission_required("housing.change_location", raise_exception=True)
def locations_upload(request) -> HttpResponse:
    """Location descriptions from a file (the location template): all or nothing."""
    providers = _providers(request)
    form = LocationFileForm(request.POST or None, request.FILES or None, providers=providers)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, problems = location_file_import(
                provider=form.provider,
                data=upload.read(),
                filename=upload.name,
                source=LocationImport.Source.UPLOAD,
                submitted_by=request.user,
            )
        except Busy:
            record = None
            form.add_error(None, _(BUSY))
        if record is not None and not problems:
            messages.success(
                request,
                _("%(created)d locations added and %(updated)d changed.")
                % {
                    "created": record.counts["locations_created"],
                    "updated": record.counts["locations_updated"],
                },
            )
            return redirect("housing:locations")
    return render(
        request,
        "housing/upload.html",
        {
            "form": form,
            "problems": problems,
            "provider_names": ", ".join(p.name for p in providers),
            "imports": LocationImport.objects.visible_to(request.user).select_related("provider")[
                :10
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def location_template(request) -> HttpResponse:
    response = HttpResponse(location_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="welkom-locations-template.csv"'
    return response


@login_required
@require_POST
@permission_required("housing.add_inspection", raise_exception=True)
def inspection_add(request, location_id: int) -> HttpResponse:
    location = get_object_or_404(Location.objects.visible_to(request.user), pk=location_id)
    if location.municipality_id not in territory_where(request.user, "housing.add_inspection"):
        raise PermissionDenied
    today = timezone.localdate()
    form = InspectionForm(request.POST, today=today)
    if form.is_valid():
        inspection: Inspection = form.save(commit=False)
        inspection.location = location
        inspection.recorded_by = request.user
        inspection.save()
        messages.success(request, _("The inspection is recorded."))
        return redirect("housing:location", location_id=location.pk)
    return render(
        request,
        "housing/location.html",
        {
            "location": location,
            "compliance": location_compliance(location, on=today),
            "rooms": location.rooms.all(),
            "certificates": location.certificates.all(),
            "inspections": location.inspections.all(),
            "can_edit": False,
            "inspection_form": form,
            "today": today,
        },
        status=400,
    )


@login_required
@permission_required("housing.change_municipalrule", raise_exception=True)
def municipal_rules(request) -> HttpResponse:
    """A municipality's own housing rules, with their dates; a rule is ended, never erased."""
    territory = territory_where(request.user, "housing.change_municipalrule")
    if not territory:
        raise PermissionDenied
    municipality = get_object_or_404(Municipality, pk=territory[0])
    form = MunicipalRuleForm(
        request.POST if request.method == "POST" else None, municipality=municipality
    )
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.created_by = request.user
        rule.save()
        messages.success(request, _("The rule is saved."))
        return redirect("housing:municipal_rules")
    return render(
        request,
        "housing/municipal_rules.html",
        {
            "municipality": municipality,
            "rules": MunicipalRule.objects.filter(municipality=municipality),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@permission_required("housing.change_municipalrule", raise_exception=True)
def municipal_rule_end(request, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(
        MunicipalRule,
        pk=rule_id,
        municipality_id__in=territory_where(request.user, "housing.change_municipalrule"),
    )
    today = timezone.localdate()
    if rule.effective_from > today:
        rule.delete()  # never in force: nothing to explain later
        messages.success(request, _("The rule was not yet in force and is removed."))
    elif rule.effective_until is None or rule.effective_until > today:
        rule.effective_until = today
        rule.save(update_fields=["effective_until"])
        messages.success(request, _("The rule ends today."))
    return redirect("housing:municipal_rules")


@login_required
@permission_required("housing.view_housing_counts", raise_exception=True)
def counts(request) -> HttpResponse:
    """For the province: locations and capacity per municipality and kind of stay."""
    return render(request, "housing/counts.html", {"rows": housing_counts(on=timezone.localdate())})
