from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from welkom.lib.translations import catalogue_entries, catalogue_gaps, catalogues


class Command(BaseCommand):
    help = (
        "Fail when makemessages would change the catalogues, or when a string is untranslated "
        "or fuzzy in Dutch, Polish, Romanian or Bulgarian. Needs GNU gettext (xgettext)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Keep what makemessages wrote instead of restoring.",
        )

    def handle(self, *args, update: bool, **options) -> None:
        before = {
            path: (path.read_text(encoding="utf-8"), catalogue_entries(path))
            for path in catalogues()
        }
        languages = [code for code, _name in settings.LANGUAGES]
        cwd = os.getcwd()
        os.chdir(settings.PACKAGE_DIR)  # makemessages reads the sources below the current folder
        try:
            call_command(
                "makemessages",
                locale=languages,
                no_location=True,
                no_obsolete=True,
                ignore_patterns=["tests/*", "*/tests/*"],
                verbosity=0,
            )
        finally:
            os.chdir(cwd)
        changed = [
            path
            for path in catalogues()
            if path not in before or catalogue_entries(path) != before[path][1]
        ]
        if not update:
            for path, (text, _entries) in before.items():
                path.write_text(text, encoding="utf-8")
        problems = [f"makemessages would change {path}" for path in changed]
        problems += [f"{gap.language}: {gap.problem}: {gap.msgid!r}" for gap in catalogue_gaps()]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write(f"Translations complete in {len(languages)} languages.")
