"""Writes of the night register, one module per use case; import from here."""

from welkom.register.services.check_in import night_check_in
from welkom.register.services.night_lists import (
    NIGHT_REGISTER,
    ImportSummary,
    night_list_import,
    night_lists_import,
)
from welkom.register.services.persons import (
    person_registration_set,
    persons_merge,
    registrations_update_from_brp,
)
from welkom.register.services.retention import purge
from welkom.register.services.signals import signal_status_change, signals_refresh

__all__ = [
    "NIGHT_REGISTER",
    "ImportSummary",
    "night_check_in",
    "night_list_import",
    "night_lists_import",
    "person_registration_set",
    "persons_merge",
    "purge",
    "registrations_update_from_brp",
    "signal_status_change",
    "signals_refresh",
]
