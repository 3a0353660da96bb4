"""How often a client (or an account) may do something: public forms, password resets,
invitations. Counted in the cache per fixed window, keyed by a hash (no addresses or e-mail
addresses stored as they are); over the rate, the view answers 429 with a page in the
user's language that says how long to wait (ADR 0016).

The default cache is the process's own memory: with N server processes a client gets at
most N times the rate. A shared cache (`WELKOM_CACHE_URL=redis://…`) makes it exact."""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from welkom.lib.http import client_address


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def _window(scope: str, key: str, rate: Rate) -> tuple[str, int]:
    """The cache entry of `key` in `scope` for the window now, and the seconds it has left."""
    now = time.time()
    window = int(now // rate.seconds)
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{digest}:{window}", max(1, int(rate.seconds - now % rate.seconds))


def waiting(scope: str, key: str, rate: Rate) -> int | None:
    """Without counting: None while `key` has used fewer than `rate` in `scope`'s window,
    else the seconds until the window ends (for rates that count only failures)."""
    name, left = _window(scope, key, rate)
    return left if cache.get(name, 0) >= rate.count else None


def wait_before(scope: str, key: str, rate: Rate) -> int | None:
    """Count one more for `key` in `scope`; None while within `rate`, else the seconds until
    the window ends."""
    name, left = _window(scope, key, rate)
    if cache.add(name, 1, timeout=rate.seconds):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # the window's entry ended just now
            cache.add(name, 1, timeout=rate.seconds)
            count = 1
    if count <= rate.count:
        return None
    return left


def too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, -(-seconds // 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _submitted(request: HttpRequest) -> bool:
    """A form sent: any POST, or a GET with a query (a finder's or filter's question), not a
    visitor opening the page."""
    return request.method == "POST" or (request.method == "GET" and bool(request.GET))


def throttled(scope: str, rate: Rate) -> Callable[[Callable], Callable]:
    """A view whose form a client address may send `rate` times."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if _submitted(request):
                seconds = wait_before(scope, client_address(request), rate)
                if seconds is not None:
                    return too_many(request, seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
