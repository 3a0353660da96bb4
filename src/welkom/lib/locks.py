"""Work that must not run twice at once, also across processes and servers."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection
from django.utils.translation import gettext_noop

# What a person or client is told when `Busy` is raised, translated where it is shown.
BUSY = gettext_noop(
    "Another import is being applied right now. Nothing of this one was stored: send it again "
    "in a minute."
)


class Busy(Exception):
    """The work is not done: another transaction held its lock (or, on SQLite, the
    database) for longer than the caller waits. Nothing was changed; send it again later."""


def serialised(name: str, *, wait: float | None = None) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until this
    transaction ends (commit or rollback). Call it inside `transaction.atomic()`. With `wait`
    (seconds), give up after that long and raise `Busy`.

    PostgreSQL: a transaction-level advisory lock, keyed by the name's hash; waiting polls
    `pg_try_advisory_xact_lock`, so that no `lock_timeout` is left on the transaction for
    its other locks. SQLite lets one writer at a time anyway, so there is nothing to take."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        if wait is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            return
        deadline, pause = time.monotonic() + wait, 0.02
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() >= deadline:
                raise Busy(name)
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


@contextmanager
def sqlite_busy_as_busy() -> Iterator[None]:
    """SQLite's "database is locked" (another writer held it past the connection's timeout)
    as `Busy`: the transaction was rolled back, and trying again later is the answer."""
    try:
        yield
    except OperationalError as error:
        if connection.vendor == "sqlite" and "locked" in str(error):
            raise Busy("sqlite") from error
        raise
