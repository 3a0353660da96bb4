"""Work that must not run twice at once, also across processes and servers."""

from __future__ import annotations

import hashlib

from django.db import connection


def serialised(name: str) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until this
    transaction ends (commit or rollback). Call it inside `transaction.atomic()`.

    PostgreSQL: a transaction-level advisory lock, keyed by the name's hash. SQLite lets one
    writer at a time anyway, so there is nothing to take."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
