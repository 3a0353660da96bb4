"""Pausing Python's cyclic garbage collector while a bulk of long-lived objects is made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; reference counting still frees as usual.

    For code that builds many objects that all survive (rows read for a computation): each
    collection would walk them all and free nothing. Restores the previous state after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
