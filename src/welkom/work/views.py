"""The lenders' registers as people use them: the loket's public agency check, and the
staff's list of lenders with their SNA and Wtta history."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from welkom.lib.locks import BUSY, Busy
from welkom.lib.public_pages import kept_public
from welkom.lib.throttle import Rate, throttled
from welkom.organisations import rules as organisation_rules
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.organisations.selectors import organisations_where
from welkom.register.forms import NightForm
from welkom.work import rules
from welkom.work.forms import LookupForm, PlacementUploadForm, RegisterUploadForm
from welkom.work.models import PlacementImport, RegisterImport
from welkom.work.selectors import (
    lender_lookup,
    lender_rows,
    lenders,
    register_dates,
    rent_overview,
    territory_placements,
    workers_of,
)
from welkom.work.services import placements_import, register_import

PUBLIC_LOOKUP = Rate(120, 60)  # as the loket's other public forms (ADR 0016)


def _dates_context() -> dict:
    today = timezone.localdate()
    return {
        "today": today,
        "dates": register_dates(today=today),
        "admission_required": rules.WTTA_ADMISSION_REQUIRED,
        "enforced": rules.WTTA_ENFORCED,
        "before_admission": today < rules.WTTA_ADMISSION_REQUIRED,
        "wtta_register_url": settings.WTTA_REGISTER_URL,
    }


@throttled("work.agency_check", PUBLIC_LOOKUP)
@kept_public
def agency_check(request) -> HttpResponse:
    """ "Is this agency admitted?": a lookup by name or KvK number in Welkom's copy of the
    registers, with the date of that copy and what the status means for a worker."""
    form = LookupForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = lender_lookup(form.cleaned_data["q"])
    return render(
        request,
        "work/agency_check.html",
        {"form": form, "found": found, **_dates_context()},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@permission_required("work.view_lender_status", raise_exception=True)
def lender_list(request) -> HttpResponse:
    form = LookupForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    # The SNA register alone lists thousands of firms.
    page = Paginator(lender_rows(query=query), 50).get_page(request.GET.get("page"))
    kept_query = request.GET.copy()
    kept_query.pop("page", None)
    return render(
        request,
        "work/lenders.html",
        {
            "form": form,
            "page": page,
            "query": kept_query.urlencode(),
            "can_import": request.user.has_perm("work.import_register"),
            **_dates_context(),
        },
    )


@login_required
@permission_required("work.view_lender_status", raise_exception=True)
def lender_detail(request, kvk: str) -> HttpResponse:
    try:
        kvk = kvk_number_normalise(kvk)
    except KvkNumberError:
        raise Http404 from None
    lender = lenders([kvk])[0]
    if not lender.listed:
        known = lender_lookup(kvk)
        if not known:
            raise Http404
        lender = known[0]
    return render(request, "work/lender.html", {"lender": lender, **_dates_context()})


@login_required
@permission_required("work.view_own_workers", raise_exception=True)
def workers(request) -> HttpResponse:
    """An employer's or agency's workers on a night: where they stay, in which municipality,
    how they are registered, and how their housing meets the norms. Counts, no names."""
    form = NightForm(request.GET or None)
    night = (form.is_valid() and form.cleaned_data["night"]) or (
        timezone.localdate() - timedelta(days=1)
    )
    return render(
        request,
        "work/workers.html",
        {"form": form, "night": night, "employers": workers_of(user=request.user, night=night)},
    )


@login_required
@permission_required("work.view_territory_placements", raise_exception=True)
def placements(request) -> HttpResponse:
    """A municipality's view: the workers who slept in its territory on a night, by the
    agencies they work through and those agencies' Wtta status. Counts, no names."""
    form = NightForm(request.GET or None)
    night = (form.is_valid() and form.cleaned_data["night"]) or (
        timezone.localdate() - timedelta(days=1)
    )
    return render(
        request,
        "work/placements.html",
        {
            "form": form,
            "night": night,
            "territories": territory_placements(user=request.user, night=night),
            **_dates_context(),
        },
    )


@login_required
@permission_required("housing.view_location", raise_exception=True)
def rent(request) -> HttpResponse:
    """The rent providers declare per bed per week, and whether a deduction from wages
    stays within the law: for the provider's locations, or those in the municipality."""
    return render(
        request,
        "work/rent.html",
        {
            "overview": rent_overview(user=request.user, on=timezone.localdate()),
            "above": rules.RENT_ABOVE_MAXIMUM,
            "uncertified": rules.RENT_WITHOUT_CERTIFICATE,
        },
    )


@login_required
@permission_required("work.submit_placements", raise_exception=True)
def placements_upload(request) -> HttpResponse:
    """An employer or agency sends its placement list: who works for which hirer through
    which agency, from when to when."""
    organisations = [
        o
        for o in organisations_where(request.user, "work.submit_placements")
        if o.kind in {organisation_rules.EMPLOYER, organisation_rules.TEMP_AGENCY} and o.kvk_number
    ]
    form = PlacementUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, problems = placements_import(
                sender=form.organisations[form.cleaned_data["organisation"]],
                data=upload.read(),
                filename=upload.name,
                source=PlacementImport.Source.UPLOAD,
                submitted_by=request.user,
            )
        except Busy:
            messages.error(request, _(BUSY))
        else:
            if not problems:
                messages.success(
                    request,
                    _("Applied: %(new)d new, %(changed)d changed, %(unchanged)d as before.")
                    % {k: record.counts[k] for k in ("new", "changed", "unchanged")},
                )
                return redirect("work:workers")
    return render(
        request,
        "work/placements_upload.html",
        {"form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("work.import_register", raise_exception=True)
def register_upload(request) -> HttpResponse:
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, problems = register_import(
                register=form.cleaned_data["register"],
                data=upload.read(),
                filename=upload.name,
                source=RegisterImport.Source.UPLOAD,
                as_of=form.cleaned_data["as_of"],
                submitted_by=request.user,
            )
        except Busy:
            messages.error(request, _(BUSY))
        else:
            if not problems:
                messages.success(request, _import_summary(record))
                return redirect("work:lenders")
    return render(
        request,
        "work/register_upload.html",
        {
            "form": form,
            "problems": problems,
            "imports": RegisterImport.objects.order_by("-created_at")[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


def _import_summary(record: RegisterImport) -> str:
    counts = record.counts
    if record.status == RegisterImport.Status.UNCHANGED:
        return _("Nothing changed: the %(count)d lenders are as Welkom held them.") % {
            "count": counts["lenders"]
        }
    return _(
        "Applied: %(count)d lenders; %(new)d new, %(changed)d changed, %(gone)d no longer listed."
    ) % {
        "count": counts["lenders"],
        "new": counts["new"],
        "changed": counts["changed"],
        "gone": counts["no_longer_listed"],
    }
