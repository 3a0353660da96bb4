"""How a register status reads on a page, in the language of the page."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from welkom.work import rules

register = template.Library()


@register.filter
def status_label(status: rules.Status | None) -> str:
    if status is None:
        return gettext("not listed")
    return gettext(rules.STATUS_LABELS[status.status])


@register.filter
def register_label(register_code: str) -> str:
    return gettext(rules.REGISTER_LABELS[register_code])


@register.filter
def status_kind(status: rules.Status | None) -> str:
    """The NL Design System badge for a status: admitted is good, anything else a warning."""
    if status is not None and status.status == rules.ADMITTED:
        return "success"
    return "warning" if status is not None and status.status == rules.SUSPENDED else "danger"


@register.filter
def unregistered(place) -> int:
    """A place's workers in neither the BRP nor the RNI, or not known to be."""
    return place.registrations.get("none", 0) + place.registrations.get("unknown", 0)
