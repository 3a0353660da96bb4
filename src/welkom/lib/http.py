"""What views share about requests: an object named by a form field, or 404."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404


def posted_object_or_404(queryset: QuerySet, value: str | None) -> Model:
    """The object of `queryset` whose id a form field gives: 404 for no such object, also
    when the field is missing or no id at all ("abc", "1e9", an id past the 64-bit range),
    never a database error."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise Http404
    return found
