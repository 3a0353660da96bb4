"""W3C trace context for the processing log: one trace per request or command."""

from __future__ import annotations

import contextvars
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class Trace:
    trace_id: str
    span_id: str
    parent_span_id: str = ""


def new_span_id() -> str:
    return secrets.token_hex(8)


def trace_from_traceparent(header: str | None) -> Trace:
    """Continue a caller's trace (W3C `traceparent`), or start a new one."""
    match = _TRACEPARENT.match((header or "").strip().lower())
    if match and set(match.group(1)) != {"0"} and set(match.group(2)) != {"0"}:
        return Trace(trace_id=match.group(1), span_id=new_span_id(), parent_span_id=match.group(2))
    return Trace(trace_id=secrets.token_hex(16), span_id=new_span_id())


_current: contextvars.ContextVar[Trace | None] = contextvars.ContextVar("trace", default=None)


def current_trace() -> Trace:
    trace = _current.get()
    if trace is None:
        trace = trace_from_traceparent(None)
        _current.set(trace)
    return trace


@contextmanager
def traced(trace: Trace) -> Iterator[Trace]:
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)
