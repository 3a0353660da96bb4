from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from welkom.processing_log.forms import EntrySearchForm
from welkom.processing_log.models import ProcessingActivity
from welkom.processing_log.selectors import entries_search, subjects_counted


@login_required
@permission_required("processing_log.view_entry", raise_exception=True)
def search(request) -> HttpResponse:
    form = EntrySearchForm(request.GET or None)
    page = None
    if form.is_valid() or not form.is_bound:
        criteria = form.cleaned_data if form.is_bound else {}
        entries = entries_search(user=request.user, criteria=criteria)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        page.object_list = subjects_counted(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "processing_log/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("processing_log.view_entry", raise_exception=True)
def activities(request) -> HttpResponse:
    return render(
        request,
        "processing_log/activities.html",
        {"activities": ProcessingActivity.objects.all()},
    )
