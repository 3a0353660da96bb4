from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "welkom.work"
    label = "work"

    def ready(self) -> None:
        from welkom.register.services.signals import signal_finder_add
        from welkom.work import findings

        signal_finder_add(
            findings.HOUSING_ENDS_WITH_JOB,
            _("Housing ended with the job"),
            findings.housing_ends_with_job_found,
        )
        signal_finder_add(
            findings.UNADMITTED_LENDER,
            _("Agency without Wtta admission"),
            findings.unadmitted_lender_found,
        )
        signal_finder_add(
            findings.RENT_DEDUCTED,
            _("Rent deducted from wages"),
            findings.rent_deducted_found,
        )
