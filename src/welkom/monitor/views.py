"""The monitor's pages: the dashboard (map, table, trend) for the province and the
municipalities, the housing gap and its projection, external figures, the policy's progress,
the yearly report, and the public monitor. Counts and shares only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from welkom.lib.exports import table_csv, table_xlsx
from welkom.lib.locks import BUSY, Busy
from welkom.lib.public_pages import kept_public
from welkom.monitor.charts import Series, line_chart
from welkom.monitor.choropleth import choropleth
from welkom.monitor.figures_file import figures_template_csv
from welkom.monitor.forms import ChooserForm, FiguresFileForm, ProgressForm
from welkom.monitor.indicators import EXTERNAL, PROVINCE, REGISTER
from welkom.monitor.models import Figure, FiguresImport, PolicyAction
from welkom.monitor.progress import known_progress, progress_text
from welkom.monitor.report import report_context
from welkom.monitor.selectors import (
    Cell,
    action_rows,
    areas,
    external_rows,
    housing_gap,
    indicator_cells,
    latest_refresh,
    months_available,
    nights_available,
    period_table,
    register_yearly,
    trend,
    workers_projection,
)
from welkom.monitor.services import figures_import, figures_import_remove, progress_set
from welkom.monitor.templatetags.monitor import projection_label, shown, stay_label
from welkom.organisations.selectors import territory_where
from welkom.places.models import Municipality


def _own_codes(user) -> set[str]:
    """The municipalities whose figures this user sees unsuppressed."""
    ids = territory_where(user, "monitor.view_own_monitor")
    return set(Municipality.objects.filter(pk__in=ids).values_list("code", flat=True))


def _may_view(user) -> bool:
    return user.has_perm("monitor.view_province_monitor") or bool(_own_codes(user))


@login_required
def dashboard(request) -> HttpResponse:
    if not _may_view(request.user):
        raise PermissionDenied
    own = _own_codes(request.user)
    chooser = ChooserForm(request.GET or None, nights=nights_available(), months=months_available())
    indicator, kind, period = chooser.chosen()
    definition = REGISTER[indicator]
    context = {"chooser": chooser, "indicator": definition, "kind": kind, "period": period}
    if period is None:
        return render(request, "monitor/dashboard.html", context)
    table = period_table(period_kind=kind, period=period, known=own)
    need: dict[str, list] = {}
    for row in housing_gap(night=None):
        if not row.stay_type:
            need.setdefault(row.area.code, []).append(row)
    all_areas = areas()
    rows = [
        (table.cell(a, indicator), table.cell(a, "persons"), table.cell(a, "capacity"),
         need.get(a.code, []))
        for a in all_areas
    ]  # fmt: skip
    if request.GET.get("table") != "trend" and request.GET.get("format"):
        return _export(request, definition, period, rows)
    cells = [row[0] for row in rows]
    svg, legend = choropleth(cells, title=f"{definition.label}, {period}")
    totals = [a for a in all_areas if a.kind != "municipality"]  # the province and its regions
    series = trend(indicator, area_codes_=[a.code for a in totals], known=own)
    chart = line_chart(
        [Series(a.name, [(p.toordinal(), v) for p, v, _h in series[a.code]]) for a in totals],
        title=str(definition.label),
        x_label=lambda x: date.fromordinal(int(x)).strftime("%Y-%m"),
    )
    months = sorted({p for points in series.values() for p, _v, _h in points})
    trend_rows = [
        (a, [next((Cell(a, v, h) for p, v, h in series[a.code] if p == m), Cell(a, None))
             for m in months])
        for a in totals
    ]  # fmt: skip
    if request.GET.get("table") == "trend":
        download = _download(
            request, f"{definition.code}-trend", str(definition.label),
            [_("area"), *(m.strftime("%Y-%m") for m in months)],
            [[a.name, *cells] for a, cells in trend_rows],
        )  # fmt: skip
        if download:
            return download
    query = request.GET.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    context.update(
        query=query.urlencode(), rows=rows, map=svg, legend=legend, chart=chart, months=months,
        trend_rows=trend_rows, own=own, refresh=latest_refresh(),
    )  # fmt: skip
    return render(request, "monitor/dashboard.html", context)


def _download(request, name: str, title: str, header, rows) -> HttpResponse | None:
    """The table as CSV or XLSX when the address asks for it (`?format=csv|xlsx`), else None.
    Numbers stay numbers; hidden cells are "<5" or "×" as on the page."""
    kind = request.GET.get("format")
    if kind not in ("csv", "xlsx"):
        return None
    header = [str(h) for h in header]
    rows = [[_raw(value) for value in row] for row in rows]
    if kind == "csv":
        response = HttpResponse(table_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            table_xlsx(header, rows, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="welkom-monitor-{name}.{kind}"'
    return response


def _raw(value) -> object:
    if isinstance(value, Cell):
        return shown(value) if value.hidden or value.value is None else value.value
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def _export(request, definition, period, rows) -> HttpResponse | None:
    header = [_("area"), _("code"), definition.label, _("persons staying"), _("capacity"),
              _("housing need 2030")]  # fmt: skip
    table = [
        [cell.area.name, cell.area.code, cell, persons, capacity,
         "; ".join(f"{n.need:.0f} ({n.scenario or '–'})" for n in need)]
        for cell, persons, capacity, need in rows
    ]  # fmt: skip
    return _download(request, f"{definition.code}-{period}", str(definition.label), header, table)


@login_required
def gap(request) -> HttpResponse:
    if not _may_view(request.user):
        raise PermissionDenied
    nights = nights_available()
    night = nights[0] if nights else None
    projections = workers_projection()
    persons = register_yearly("persons")
    capacity = register_yearly("capacity")
    series = [Series(projection_label(p), p.points) for p in projections]
    if persons:
        series.append(Series(_("Persons staying (register, average night)"), persons))
    if capacity:
        series.append(Series(_("Capacity (register)"), capacity))
    years = sorted({x for s in series for x, _y in s.points})
    rows = housing_gap(night=night)
    if request.GET.get("table") == "projection":
        download = _download(
            request, "projection", _("Projection to 2030"), [_("line"), *years],
            [[s.label, *(dict(s.points).get(y) for y in years)] for s in series],
        )  # fmt: skip
    else:
        download = _download(
            request, "housing-gap", _("Housing gap"),
            [_("area"), _("kind of stay"), _("scenario"), _("need in 2030 (units)"),
             _("capacity now"), _("still to realise"), _("source")],
            [[r.area.name, stay_label(r), r.scenario, r.need, r.capacity, r.gap, r.source]
             for r in rows],
        )  # fmt: skip
    if download:
        return download
    return render(
        request,
        "monitor/gap.html",
        {
            "rows": rows,
            "night": night,
            "projections": projections,
            "chart": line_chart(series, title=_("International workers and housing to 2030")),
            "years": years,
            "series": [(s.label, [dict(s.points).get(y) for y in years]) for s in series],
        },
    )


@login_required
def figures(request) -> HttpResponse:
    if not _may_view(request.user):
        raise PermissionDenied
    form = FiguresFileForm()
    summary = None
    if request.method == "POST":
        if not request.user.has_perm("monitor.import_figures"):
            raise PermissionDenied
        form = FiguresFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = figures_import(
                    data=upload.read(), filename=upload.name, user=request.user
                )
            except Busy:
                form.add_error(None, _(BUSY))
            if summary is not None and not summary.problems:
                if summary.added:
                    messages.success(
                        request, _("%(added)d figures added.") % {"added": summary.added}
                    )
                else:
                    messages.info(
                        request,
                        _("Every figure in the file was already in Welkom: nothing changed."),
                    )
                return redirect("monitor:figures")
    download = _download(
        request, "external-figures", _("External figures"),
        [_("indicator"), _("area"), _("period"), _("scenario"), _("value"), _("source"),
         _("vintage")],
        [[r.label, r.area_name, r.figure.period, r.figure.scenario,
          shown(r) if r.hidden else r.figure.value, r.figure.source, r.figure.vintage]
         for r in external_rows()],
    )  # fmt: skip
    if download:
        return download
    return render(
        request,
        "monitor/figures.html",
        {
            "rows": external_rows(),
            "imports": FiguresImport.objects.filter(status=FiguresImport.Status.APPLIED),
            "form": form,
            "summary": summary,
            "indicators": EXTERNAL,
            "can_import": request.user.has_perm("monitor.import_figures"),
        },
        status=400 if form.errors or (summary and summary.problems) else 200,
    )


def figures_template(request) -> HttpResponse:
    response = HttpResponse(figures_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="welkom-figures-template.csv"'
    return response


@login_required
@require_POST
@permission_required("monitor.import_figures", raise_exception=True)
def figures_remove(request, import_id: int) -> HttpResponse:
    record = get_object_or_404(FiguresImport, pk=import_id, status=FiguresImport.Status.APPLIED)
    removed = figures_import_remove(record)
    messages.success(request, _("%(count)d figures removed.") % {"count": removed})
    return redirect("monitor:figures")


@login_required
def actions(request) -> HttpResponse:
    if not _may_view(request.user):
        raise PermissionDenied
    own = _own_codes(request.user)
    may_change = request.user.has_perm("monitor.change_actionprogress")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        action = get_object_or_404(PolicyAction, code=request.POST.get("action"))
        code = request.POST.get("municipality", "")
        municipality = None
        if code:
            if code not in own:
                raise PermissionDenied
            if not action.per_municipality:
                messages.error(request, _("This action is not carried out per municipality."))
                return redirect("monitor:actions")
            municipality = get_object_or_404(Municipality, code=code)
        elif not request.user.has_perm("monitor.view_province_monitor"):
            raise PermissionDenied
        form = ProgressForm(request.POST)
        if form.is_valid():
            progress_set(
                action=action, municipality=municipality, status=form.cleaned_data["status"],
                note=form.cleaned_data["note"], user=request.user,
            )  # fmt: skip
            messages.success(request, _("The progress is saved."))
            return redirect("monitor:actions")
        messages.error(request, _("Choose a status."))
    known = known_progress()
    municipalities = list(Municipality.objects.all())
    rows = action_rows()
    download = _download(
        request, "actions", _("Progress of the actions"),
        [_("code"), _("theme"), _("action"), _("responsible"), _("deadline"),
         _("status for the province"), *(m.name for m in municipalities)],
        [[r.action.code, r.action.get_theme_display(), r.action.action_nl, r.action.responsible,
          r.action.deadline, r.overall.get_status_display() if r.overall else "",
          *((progress_text(r, known, m) if r.action.per_municipality else "")
            for m in municipalities)]
         for r in rows],
    )  # fmt: skip
    if download:
        return download
    return render(
        request,
        "monitor/actions.html",
        {
            "rows": rows,
            "municipalities": municipalities,
            "known": known,
            "own": list(Municipality.objects.filter(code__in=own)),
            "may_change": may_change,
            "is_province": request.user.has_perm("monitor.view_province_monitor"),
            "form": ProgressForm(),
        },
    )


@login_required
@permission_required("monitor.view_province_monitor", raise_exception=True)
def report(request, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    return render(request, "monitor/report.html", report_context(year=year))


@kept_public
def public(request) -> HttpResponse:
    """The province's figures for everyone, in the five languages: small cells hidden."""
    nights = nights_available()
    context = {"night": nights[0] if nights else None, "external": external_rows()}
    if nights:
        table = period_table(period_kind=Figure.Period.NIGHT, period=nights[0])
        cells = indicator_cells(
            "persons", period_kind=Figure.Period.NIGHT, period=nights[0], table=table
        )
        context["map"], context["legend"] = choropleth(
            cells, title=_("Persons staying per municipality")
        )
        context["cells"] = cells
        download = _download(
            request, f"public-{nights[0]}", _("Persons staying"),
            [_("area"), _("code"), _("persons staying")],
            [[c.area.name, c.area.code, c] for c in cells],
        )  # fmt: skip
        if download:
            return download
        province = next(a for a in areas() if a.code == PROVINCE)
        context["summary"] = {
            indicator: table.cell(province, indicator)
            for indicator in ("persons", "capacity", "occupancy_rate", "locations")
        }
    return render(request, "monitor/public.html", context)
