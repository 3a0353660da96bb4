from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from welkom.housing.models import StayType
from welkom.monitor.models import ActionProgress
from welkom.monitor.progress import progress_status, progress_text
from welkom.monitor.selectors import TARGET_YEAR, Cell, ExternalRow, GapRow, Projection
from welkom.monitor.suppression import PRIMARY

register = template.Library()

# How the monitor's figures read on a page and in an export; the selectors only count.


@register.filter
def shown(figure: Cell | ExternalRow) -> str:
    """A figure as the viewer may see it: "<5" for a small count of persons, "×" for one
    from which such a count could be worked out, "–" for none; else the number, grouped."""
    if isinstance(figure, ExternalRow):
        if figure.hidden:
            return "<5"
        value = figure.figure.value
        decimals = 0 if value == value.to_integral_value() else 2
        return number_format(value, decimals, force_grouping=True)
    if figure.hidden == PRIMARY:
        return "<5"
    if figure.hidden:
        return "×"
    if figure.value is None:
        return "–"
    decimals = 0 if float(figure.value).is_integer() else 1
    return number_format(round(figure.value, decimals), decimals, force_grouping=True)


@register.filter
def stay_label(row: GapRow) -> str:
    return str(StayType(row.stay_type).label) if row.stay_type else _("all")


@register.filter
def projection_label(line: Projection) -> str:
    if line.kind == "workers":
        return _("Workers, %(scenario)s") % {"scenario": line.scenario}
    return _("Housing need, %(scenario)s") % {"scenario": line.scenario}


@register.filter
def projection_basis(line: Projection) -> str:
    """What the line assumes, in words."""
    if line.kind == "workers":
        return _(
            "A straight line from %(start_value)s workers in %(start)s (%(source)s) "
            "to %(end_value)s in %(end)s (%(end_source)s)."
        ) % {
            "start_value": f"{line.start.value:,.0f}",
            "start": int(line.start.period[:4]),
            "source": line.start.source,
            "end_value": f"{line.end.value:,.0f}",
            "end": TARGET_YEAR,
            "end_source": line.end.source,
        }
    return _(
        "The workers of the line above times %(ratio)s: Decisio's housing "
        "need for 2030 (%(need)s units, %(scenario)s) divided by its workers "
        "for 2030 in that scenario (%(workers)s). Assumes the same units "
        "per worker in every year and scenario."
    ) % {
        "ratio": f"{line.ratio:.2f}",
        "need": f"{line.start.value:,.0f}",
        "scenario": line.start.scenario or "–",
        "workers": f"{line.end.value:,.0f}",
    }


@register.simple_tag
def progress_of(row, known, municipality) -> str:
    return progress_text(row, known, municipality)


@register.simple_tag
def progress_done(row, known, municipalities) -> str:
    done = sum(progress_status(row, known, m)[1] for m in municipalities)
    return _("%(done)d of %(all)d") % {"done": done, "all": len(municipalities)}


@register.simple_tag
def progress_record(row, municipality) -> ActionProgress | None:
    """The progress a municipality recorded for an action, or None."""
    return row.per_municipality.get(municipality.code)
