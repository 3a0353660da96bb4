from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from welkom.register.models import Signal


class Command(BaseCommand):
    help = (
        "E-mail every user who handles signals a digest of their open signals: numbers per "
        "kind and a link, never names (the mail leaves Welkom)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--base-url", default=None, help="where users reach Welkom (default WELKOM_BASE_URL)"
        )

    def handle(self, *args, base_url: str | None, **options) -> None:
        base_url = base_url or settings.BASE_URL
        sent = 0
        for user in get_user_model().objects.filter(is_active=True).exclude(email=""):
            if not user.has_perm("register.view_signal"):
                continue
            counts = _counts(user)
            if not counts:
                continue
            with translation.override("nl"):
                lines = [_("Open signals in Welkom:")]
                lines += [
                    f"- {Signal.RULE_LABELS.get(rule, rule)}: {count}"
                    for rule, count in sorted(counts.items())
                ]
                lines += ["", f"{base_url.rstrip('/')}/register/signals/"]
                send_mail(_("Welkom: open signals"), "\n".join(lines), None, [user.email])
            sent += 1
        self.stdout.write(f"Sent {sent} digest(s).")


def _counts(user) -> dict[str, int]:
    """Open signals per rule that the user may see: grouped counts, no personal rows."""
    rows = (
        Signal.objects.visible_to(user)
        .filter(status=Signal.Status.OPEN)
        .values("rule")
        .annotate(n=Count("pk"))
        .order_by("rule")
    )
    return {row["rule"]: row["n"] for row in rows}
