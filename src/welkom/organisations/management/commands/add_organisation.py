from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from welkom.organisations.models import OrganisationKind
from welkom.organisations.services import organisation_add


class Command(BaseCommand):
    help = (
        "Add an organisation (a housing provider, employer, temp agency, municipality, "
        "province or enforcement partner) and invite its first manager by e-mail."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--kvk", default="", help="KvK number; required for businesses (8 digits)."
        )
        parser.add_argument(
            "--municipality", default="", help="CBS code (GM0983), for a municipality only."
        )
        parser.add_argument(
            "--manager-email", default="", help="Invite this person as the first manager."
        )

    def handle(
        self,
        *args,
        kind: str,
        name: str,
        kvk: str,
        municipality: str,
        manager_email: str,
        **options,
    ) -> None:
        try:
            organisation, invitation = organisation_add(
                kind=kind,
                name=name,
                kvk_number=kvk,
                municipality_code=municipality,
                manager_email=manager_email,
                accept_url=lambda token: (
                    settings.BASE_URL
                    + reverse("organisations:accept_invitation", kwargs={"token": token})
                ),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("%(organisation)s is added to Welkom.") % {"organisation": organisation}
        )
        if invitation is not None:
            self.stdout.write(
                _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
