from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from welkom.places.forms import PostcodeForm
from welkom.places.selectors import PostcodeLookupError, municipality_for_postcode


def postcode_lookup(request) -> HttpResponse:
    """Which Limburg municipality a postcode lies in: public reference data."""
    form = PostcodeForm(request.GET or None)
    municipality = None
    if form.is_bound and form.is_valid():
        try:
            municipality = municipality_for_postcode(form.cleaned_data["postcode"])
        except PostcodeLookupError as error:
            form.add_error("postcode", error.message)
    return render(
        request, "places/postcode_lookup.html", {"form": form, "municipality": municipality}
    )
