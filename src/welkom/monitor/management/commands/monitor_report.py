from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from welkom.monitor.report import report_context

PRINT_CSS = (
    "vendor/utrecht/voorbeeld-theme.css",
    "vendor/utrecht/utrecht-components.css",
    "welkom/welkom.css",
)


class Command(BaseCommand):
    help = (
        "Write the yearly monitor report as one print-ready HTML file (styles included), and "
        "as PDF with --pdf when Chromium is installed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[c for c, _n in settings.LANGUAGES],
        )
        parser.add_argument(
            "--output", type=Path, help="default: var/reports/monitor-<year>-<language>.html"
        )
        parser.add_argument("--pdf", action="store_true", help="also print it to PDF with Chromium")

    def handle(self, *args, year, language, output, pdf, **options) -> None:
        output = output or Path(settings.VAR_DIR) / "reports" / f"monitor-{year}-{language}.html"
        output.parent.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            body = render_to_string(
                "monitor/report_standalone.html", {**report_context(year=year), "styles": _styles()}
            )
        output.write_text(body, encoding="utf-8")
        self.stdout.write(f"Report written to {output}")
        if pdf:
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            if chromium is None:
                raise CommandError(
                    "--pdf needs Chromium (apt-get install chromium); the HTML is written."
                )
            target = output.with_suffix(".pdf")
            subprocess.run(  # noqa: S603 - our own arguments: the system Chromium and our file
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--no-pdf-header-footer",
                 f"--print-to-pdf={target}", output.resolve().as_uri()],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            self.stdout.write(f"PDF written to {target}")


def _styles() -> str:
    from django.contrib.staticfiles import finders

    return "\n".join(Path(finders.find(name)).read_text(encoding="utf-8") for name in PRINT_CSS)
