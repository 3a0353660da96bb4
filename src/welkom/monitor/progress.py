"""What Welkom knows by itself of the progress of the per-municipality actions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from welkom.housing import rules as norms
from welkom.housing.models import MunicipalRule
from welkom.loket.models import MunicipalContact
from welkom.monitor.actions import CONTACT_PERSON, MARKS_IN_PERMITS


def known_progress() -> dict[tuple[str, str], str]:
    """What Welkom knows by itself, per (action code, municipality code)."""
    known = {}
    for code in MunicipalContact.objects.values_list("municipality__code", flat=True):
        known[(CONTACT_PERSON, code)] = _("a contact is in the loket")
    marks = MunicipalRule.objects.filter(kind__in=list(norms.MARKS_REQUIRED))
    for code in marks.values_list("municipality__code", flat=True):
        known[(MARKS_IN_PERMITS, code)] = _("a rule requiring SNF or AKF is in Welkom")
    return known


def progress_status(row, known, municipality) -> tuple[str, bool]:
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
    return progress_status(row, known, municipality)[0]
