"""What views share about requests: an object named by a form field, or 404; the client's
address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest


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


def client_address(request: HttpRequest) -> str:
    """The address of the client: the one the first of `settings.PROXY_COUNT` proxies in
    front of Welkom added to X-Forwarded-For, or the connection's own without proxies (and
    when the header is missing, short, or no address)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
