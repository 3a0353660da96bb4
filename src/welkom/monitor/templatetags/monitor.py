from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _status(row, known, municipality) -> tuple[str, bool]:
    """(text, done) for one municipality: what it recorded, else what Welkom knows."""
    progress = row.per_municipality.get(municipality.code)
    if progress is not None:
        text = progress.get_status_display()
        return (f"{text} — {progress.note}" if progress.note else text), progress.status == "done"
    found = known.get((row.action.code, municipality.code))
    if found:
        return _("done (Welkom: %(what)s)") % {"what": found}, True
    return _("unknown"), False


def progress_text(row, known, municipality) -> str:
    return _status(row, known, municipality)[0]


@register.simple_tag
def progress_of(row, known, municipality) -> str:
    return progress_text(row, known, municipality)


@register.simple_tag
def progress_done(row, known, municipalities) -> str:
    done = sum(_status(row, known, m)[1] for m in municipalities)
    return _("%(done)d of %(all)d") % {"done": done, "all": len(municipalities)}


@register.simple_tag
def progress_record(row, municipality):
    """The progress a municipality recorded for an action, or None."""
    return row.per_municipality.get(municipality.code)
