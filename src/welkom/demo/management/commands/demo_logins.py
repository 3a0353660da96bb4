from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from welkom.demo.services import DEMO_DOMAIN, DEMO_PASSWORD
from welkom.organisations.models import Membership


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options) -> None:
        users = get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk")
        memberships = {
            m.user_id: m for m in Membership.access_control.select_related("organisation")
        }
        self.stdout.write(
            f"\nDemo accounts on http://127.0.0.1:8000/account/login/ (password: {DEMO_PASSWORD})"
        )
        for user in users:
            membership = memberships.get(user.pk)
            where = (
                f"{membership.organisation} ({membership.get_role_display()})"
                if membership
                else "platform administrator"
            )
            self.stdout.write(f"  {user.email:42} {where}")
        self.stdout.write("")
