"""Writes of the night register, one module per use case; import from here."""

from welkom.register.services.night_lists import (
    NIGHT_REGISTER,
    ImportSummary,
    night_list_import,
)
from welkom.register.services.persons import person_registration_set, persons_merge
from welkom.register.services.retention import purge
from welkom.register.services.signals import signal_status_change, signals_refresh

__all__ = [
    "NIGHT_REGISTER",
    "ImportSummary",
    "night_list_import",
    "person_registration_set",
    "persons_merge",
    "purge",
    "signal_status_change",
    "signals_refresh",
]
