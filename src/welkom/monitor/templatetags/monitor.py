from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from welkom.monitor.progress import progress_status, progress_text

register = template.Library()


@register.simple_tag
def progress_of(row, known, municipality) -> str:
    return progress_text(row, known, municipality)


@register.simple_tag
def progress_done(row, known, municipalities) -> str:
    done = sum(progress_status(row, known, m)[1] for m in municipalities)
    return _("%(done)d of %(all)d") % {"done": done, "all": len(municipalities)}


@register.simple_tag
def progress_record(row, municipality):
    """The progress a municipality recorded for an action, or None."""
    return row.per_municipality.get(municipality.code)
