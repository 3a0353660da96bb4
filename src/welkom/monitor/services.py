"""Changing the monitor's own data: importing (and removing) a file of external figures, and
recording the progress of an action. The register's figures change only through
`welkom.monitor.refresh.monitor_refresh`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welkom.lib.files import FileProblem
from welkom.monitor.figures_file import figures_file_read, period_kind
from welkom.monitor.models import ActionProgress, ExternalFigure, FiguresImport
from welkom.monitor.selectors import area_codes


@dataclass
class FiguresImportSummary:
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    record: FiguresImport | None = None


@transaction.atomic
def figures_import(*, data: bytes, filename: str, user=None) -> FiguresImportSummary:
    """All the file's figures, or none. A figure already in Welkom with the same value and
    source is left alone (so a file sent twice changes nothing); one with another value is a
    problem: remove the earlier import first."""
    rows, problems = figures_file_read(data, areas=area_codes())
    summary = FiguresImportSummary(rows=len(rows), problems=problems)
    if problems:
        return summary
    stored = list(ExternalFigure.objects.filter(indicator__in={r.indicator for r in rows}))
    existing = {(f.indicator, f.area, f.period, f.scenario.casefold()): f for f in stored}
    # Across imports too, an indicator's periods are written one way.
    kinds = {f.indicator: (period_kind(f.period), f) for f in stored}
    new = []
    for row in rows:
        before = existing.get((row.indicator, row.area, row.period, row.scenario.casefold()))
        earlier = kinds.get(row.indicator)
        if earlier and earlier[0] != period_kind(row.period):
            summary.problems.append(
                FileProblem(
                    row.row,
                    "period",
                    _(
                        "Welkom already has %(indicator)s for period %(period)s; write the "
                        "periods of one indicator the same way in every file."
                    )
                    % {"indicator": row.indicator, "period": earlier[1].period},
                )
            )
        elif before is None:
            new.append(row)
        elif (before.value, before.source, before.vintage) == (row.value, row.source, row.vintage):
            summary.unchanged += 1
        else:
            summary.problems.append(
                FileProblem(
                    row.row,
                    "value",
                    _already(before),
                )
            )
    if summary.problems or not new:
        return summary
    record = FiguresImport.objects.create(
        filename=filename[:255], imported_by=user, rows=len(rows), added=len(new)
    )
    ExternalFigure.objects.bulk_create(
        ExternalFigure(
            indicator=r.indicator,
            area=r.area,
            period=r.period,
            scenario=r.scenario,
            value=r.value,
            source=r.source,
            vintage=r.vintage,
            imported=record,
        )
        for r in new
    )
    summary.added, summary.record = len(new), record
    return summary


def _already(before: ExternalFigure) -> str:
    return _(
        "Welkom already has this figure with value %(value)s from “%(source)s”, vintage "
        "“%(vintage)s” (file "
        "%(file)s of %(day)s). Remove that import first if this one replaces it."
    ) % {
        "value": before.value.normalize(),
        "source": before.source,
        "vintage": before.vintage or "–",
        "file": before.imported.filename,
        "day": date_format(before.imported.imported_at, "DATE_FORMAT"),
    }


@transaction.atomic
def figures_import_remove(record: FiguresImport) -> int:
    """Remove an import and every figure it added; returns how many."""
    removed = record.figures.count()
    record.delete()
    return removed


def progress_set(*, action, municipality, status: str, note: str, user) -> ActionProgress:
    progress, _created = ActionProgress.objects.update_or_create(
        action=action,
        municipality=municipality,
        defaults={"status": status, "note": note, "updated_by": user},
    )
    return progress
