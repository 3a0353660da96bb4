"""Small helpers that the management commands share: a clear error instead of a traceback,
and problems printed as the pages show them, in the language the command runs in (Django
runs commands in `LANGUAGE_CODE`, Dutch)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

T = TypeVar("T")


def file_read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": error.strerror}
        ) from None


def found(value: T | None, missing: str) -> T:
    """`value`, or a command error with the sentence `missing` ("No housing provider …")."""
    if value is None:
        raise CommandError(missing)
    return value


def provider_missing(kvk_number: str) -> str:
    return _("No housing provider with KvK number %(kvk)s.") % {"kvk": kvk_number}


def problem_lines(problems: Iterable[tuple[int | None, str | None, str]]) -> list[str]:
    """Each (row, column, message) as a line: "  rij 3, nacht: …", "  bestand: …"."""
    lines = []
    for row, column, message in problems:
        if row and column:
            where = _("row %(row)s, %(column)s") % {"row": row, "column": column}
        elif row:
            where = _("row %(row)s") % {"row": row}
        elif column:
            where = _("file, %(column)s") % {"column": column}
        else:
            where = _("file")
        lines.append(f"  {where}: {message}")
    return lines
