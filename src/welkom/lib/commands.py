"""Small helpers that the management commands share: a clear error instead of a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from django.core.management.base import CommandError

T = TypeVar("T")


def file_read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def found(value: T | None, missing: str) -> T:
    """`value`, or a command error saying what is missing ("No housing provider with …")."""
    if value is None:
        raise CommandError(f"No {missing}.")
    return value
