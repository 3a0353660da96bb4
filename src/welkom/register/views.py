from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from welkom.housing.models import Location
from welkom.lib.exports import table_csv, table_xlsx
from welkom.lib.http import posted_object_or_404
from welkom.lib.locks import BUSY, Busy
from welkom.lib.problems import Problem
from welkom.organisations import rules
from welkom.organisations.selectors import organisations_where, processing_by, territory_where
from welkom.register.forms import (
    CheckInForm,
    NightForm,
    NightListUploadForm,
    RegistrationForm,
    SignalFilterForm,
    SignalStatusForm,
)
from welkom.register.list_reader import (
    COLUMN_MEANINGS,
    DOCUMENT_TYPES_SHOWN,
    HEADER_SYNONYMS,
    NIGHT_LIST_COLUMNS,
    REGISTRATIONS_SHOWN,
    REQUIRED_COLUMNS,
    night_list_template_csv,
)
from welkom.register.models import NightListImport, Person, Signal, Stay
from welkom.register.selectors import (
    address_rows,
    imports_of,
    possible_duplicates,
    residents_on,
)
from welkom.register.services import (
    NIGHT_REGISTER,
    night_check_in,
    night_list_import,
    person_registration_set,
    persons_merge,
    signal_status_change,
)
from welkom.register.services.signals import SIGNALLING


def _night(request) -> date:
    """The night shown: chosen, or last night (lists come in the morning after)."""
    form = NightForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["night"]:
        return form.cleaned_data["night"]
    return timezone.localdate() - timedelta(days=1)


def _problems_of(record: NightListImport) -> list[Problem]:
    return [Problem.from_json(problem) for problem in record.problems]


@login_required
@permission_required("register.view_stay", raise_exception=True)
def overview(request) -> HttpResponse:
    """Every visible location with the persons of a night and their registration."""
    night = _night(request)
    return render(
        request,
        "register/overview.html",
        {
            "rows": address_rows(user=request.user, night=night),
            "night": night,
            "form": NightForm(initial={"night": night}),
        },
    )


@login_required
@permission_required("register.view_stay", raise_exception=True)
def overview_export(request, extension: str) -> HttpResponse:
    """The overview's table as CSV or XLSX: counts per address, no persons."""
    night = _night(request)
    header = [
        _("Location code"),
        _("Address"),
        _("Municipality"),
        _("Housing provider"),
        _("Night"),
        _("Persons"),
        _("Capacity in permit"),
        _("Effective capacity"),
        _("BRP"),
        _("RNI"),
        _("Neither"),
        _("Unknown"),
        _("Overdue registrations"),
    ]
    rows = [
        [
            row.location.code,
            row.location.address,
            row.location.municipality.name,
            row.location.provider.name,
            night.isoformat(),
            row.persons,
            row.location.permitted_capacity,
            row.capacity,
            row.brp,
            row.rni,
            row.none,
            row.unknown,
            row.overdue,
        ]
        for row in address_rows(user=request.user, night=night)
    ]
    name = f"welkom-addresses-{night.isoformat()}.{extension}"
    if extension == "xlsx":
        content = table_xlsx(header, rows, title=night.isoformat())
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(table_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("register.view_stay", raise_exception=True)
def location_residents(request, location_id: int) -> HttpResponse:
    location = get_object_or_404(Location.objects.visible_to(request.user), pk=location_id)
    night = _night(request)
    stays = list(residents_on(user=request.user, location=location, night=night))
    return render(
        request,
        "register/location.html",
        {
            "location": location,
            "night": night,
            "stays": stays,
            "form": NightForm(initial={"night": night}),
        },
    )


@login_required
@permission_required("register.submit_night_list", raise_exception=True)
def upload(request) -> HttpResponse:
    providers = organisations_where(request.user, "register.submit_night_list").filter(
        kind=rules.HOUSING_PROVIDER
    )
    if not providers:  # e.g. a platform administrator, who sends no lists of their own
        raise PermissionDenied
    form = NightListUploadForm(request.POST or None, request.FILES or None, providers=providers)
    record = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, _summary = night_list_import(
                provider=form.provider,
                data=upload.read(),
                filename=upload.name,
                source=NightListImport.Source.UPLOAD,
                submitted_by=request.user,
            )
        except Busy:
            form.add_error(None, _(BUSY))
    status = 400 if form.errors or (record and record.status == "rejected") else 200
    return render(
        request,
        "register/upload.html",
        {
            "form": form,
            "record": record,
            "problems": _problems_of(record) if record else [],
            "imports": imports_of(user=request.user)[:10],
            "columns": _columns_recognised(),
            "document_words": DOCUMENT_TYPES_SHOWN,
            "registration_words": REGISTRATIONS_SHOWN,
        },
        status=status,
    )


def _columns_recognised() -> list[tuple[str, bool, list[str]]]:
    """Per column of a night list: what it holds (in the reader's language), whether it is
    required, and every header name Welkom reads as it (`list_reader.HEADER_SYNONYMS`)."""
    return [
        (
            _(COLUMN_MEANINGS[column]),
            column in REQUIRED_COLUMNS,
            [column, *HEADER_SYNONYMS[column].split("|")],
        )
        for column in NIGHT_LIST_COLUMNS
    ]


@login_required
@permission_required("register.submit_night_list", raise_exception=True)
def import_detail(request, import_id: int) -> HttpResponse:
    record = get_object_or_404(imports_of(user=request.user), pk=import_id)
    return render(
        request,
        "register/upload.html",
        {"record": record, "problems": _problems_of(record), "imports": []},
    )


def template_csv(request) -> HttpResponse:
    response = HttpResponse(night_list_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="welkom-night-list-template.csv"'
    return response


@login_required
@permission_required("register.view_signal", raise_exception=True)
def signals(request) -> HttpResponse:
    """Open and closed signals the user may see, with who they are about (logged)."""
    form = SignalFilterForm(request.GET or None)
    queryset = Signal.objects.visible_to(request.user).select_related(
        "person", "location", "municipality"
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["rule"]:
            queryset = queryset.filter(rule=form.cleaned_data["rule"])
    else:
        queryset = queryset.filter(status=Signal.Status.OPEN)
    page = Paginator(
        queryset.order_by("status", "deadline", "since", "pk").for_processing(
            processing_by(request.user, activity=SIGNALLING)
        ),
        50,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for signal in page:
        signal.text = (
            _(signal.explanation) % signal.parameters
            if signal.parameters
            else _(signal.explanation)
        )
    return render(
        request,
        "register/signals.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@permission_required("register.change_signal", raise_exception=True)
@require_POST
def signal_status(request, signal_id: int) -> HttpResponse:
    signal = get_object_or_404(
        Signal.objects.visible_to(request.user, "register.change_signal").for_processing(
            processing_by(request.user, activity=SIGNALLING)
        ),
        pk=signal_id,
    )
    form = SignalStatusForm(request.POST)
    if form.is_valid():
        try:
            signal_status_change(
                signal=signal,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The signal is now %(status)s.") % {"status": signal.get_status_display()},
            )
    return redirect("register:signals")


@login_required
@permission_required("register.change_person", raise_exception=True)
@require_POST
def person_registration(request, stay_id: int) -> HttpResponse:
    """A municipality records a resident's registration, from the residents page."""
    processing = processing_by(request.user, activity=NIGHT_REGISTER)
    stay = get_object_or_404(
        Stay.objects.visible_to(request.user)
        .filter(
            location__municipality_id__in=territory_where(request.user, "register.change_person")
        )
        .select_related("person", "location")
        .for_processing(processing),
        pk=stay_id,
    )
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            person_registration_set(
                person=stay.person,
                registration=form.cleaned_data["registration"],
                registered_on=form.cleaned_data["registered_on"],
                municipality=stay.location.municipality,
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The registration is saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(
        f"{reverse('register:location', args=[stay.location_id])}?night={request.POST.get('night', '')}"
    )


@login_required
@permission_required("register.change_person", raise_exception=True)
def duplicates(request) -> HttpResponse:
    """Possible double records of one person in the territory, for a person to merge."""
    pairs = possible_duplicates(user=request.user)
    return render(request, "register/duplicates.html", {"pairs": pairs})


@login_required
@permission_required("register.change_person", raise_exception=True)
@require_POST
def merge(request) -> HttpResponse:
    processing = processing_by(request.user, activity=NIGHT_REGISTER)
    visible = Person.objects.visible_to(request.user).for_processing(processing)
    keep = posted_object_or_404(visible, request.POST.get("keep"))
    other = posted_object_or_404(visible, request.POST.get("merge"))
    try:
        persons_merge(keep=keep, merge=other, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The two records are now one."))
    return redirect("register:duplicates")


@login_required
@permission_required("register.submit_night_list", raise_exception=True)
def check_in(request, location_id: int) -> HttpResponse:
    """Who sleeps at this location tonight: yesterday's residents ticked, plus new arrivals.

    An empty list cannot be sent: a night without anyone is not a night list (the location
    is simply left out)."""
    location = get_object_or_404(
        Location.objects.visible_to(request.user).filter(
            provider__in=organisations_where(request.user, "register.submit_night_list")
        ),
        pk=location_id,
    )
    form = CheckInForm(request.POST or None, initial={"night": timezone.localdate()})
    night = timezone.localdate()
    if form.is_bound and form.is_valid():
        night = form.cleaned_data["night"]
    elif request.GET.get("night"):
        night = _night(request)
    residents = {
        stay.person.pk: stay.person
        for stay in residents_on(
            user=request.user, location=location, night=night - timedelta(days=1)
        )
    } | {
        stay.person.pk: stay.person
        for stay in residents_on(user=request.user, location=location, night=night)
    }
    record = None
    if request.method == "POST" and form.is_valid():
        ticked = {int(pk) for pk in request.POST.getlist("resident") if pk.isdigit()}
        persons = [person for pk, person in residents.items() if pk in ticked]
        if not persons and not form.new_person:
            form.add_error(None, _("Tick at least one resident or check someone in."))
        else:
            try:
                record, _summary = night_check_in(
                    location=location,
                    night=night,
                    persons=persons,
                    new_person=form.new_person,
                    user=request.user,
                )
            except Busy:
                form.add_error(None, _(BUSY))
            if record is not None and record.status != NightListImport.Status.REJECTED:
                messages.success(request, _("The night is saved."))
                return redirect(
                    f"{reverse('register:location', args=[location.pk])}?night={night.isoformat()}"
                )
    return render(
        request,
        "register/check_in.html",
        {
            "location": location,
            "form": form,
            "night": night,
            "residents": sorted(residents.values(), key=lambda p: (p.family_name, p.given_names)),
            "record": record,
            "problems": _problems_of(record) if record else [],
        },
        status=400 if form.errors or record else 200,
    )
