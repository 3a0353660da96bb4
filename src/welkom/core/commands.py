"""Small helpers that the management commands share: a clear error instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def file_read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def housing_provider(kvk_number: str):
    from welkom.organisations import rules
    from welkom.organisations.models import Organisation

    provider = Organisation.objects.filter(
        kvk_number=kvk_number, kind=rules.HOUSING_PROVIDER
    ).first()
    if provider is None:
        raise CommandError(f"No housing provider with KvK number {kvk_number}.")
    return provider
