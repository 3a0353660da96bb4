"""What Welkom knows by itself of the progress of the per-municipality actions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from welkom.housing import norms
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
