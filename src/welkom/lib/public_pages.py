"""Public pages (the loket, the public monitor) kept whole in Django's cache per address,
host and language, so that a newspaper's link does not render the same page a thousand
times a minute (issue 19, ADR 0017).

A page is kept until its content may have changed: any save or delete of what a public
page shows (`public_pages_changed`, called by the site's signal receivers and after the
monitor's nightly refresh) moves a marker file in WELKOM_VAR_DIR. Its time is part of every
key, so every process on the machine (web workers, the scheduler, a command) sees the
change at once without a shared cache; several machines share WELKOM_VAR_DIR anyway (it
holds the raw night lists). `settings.PUBLIC_CACHE_SECONDS` bounds how long a page is
kept in any case.

Only what is the same for every visitor is kept: GET and HEAD without a session or a
pending message (the layout would show a signed-in user's name, or a message meant for
one visitor), status 200, no cookie set by the view, no CSRF token in the page. The
middleware around the view still runs for every request (security headers, the language
cookie, the request log). A query string is part of the address, so odd queries make
entries of their own; the cache's own limit (Django's local memory keeps 300) bounds them."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def _marker() -> Path:
    return Path(settings.VAR_DIR) / "public-pages-changed"


def public_pages_changed() -> None:
    """What public pages show has changed: every kept page is rendered again, from the
    moment the change is committed (before, a page rendered from the old data would be kept
    under the new marker)."""
    transaction.on_commit(_marker_move)


def _marker_move() -> None:
    marker = _marker()
    marker.touch(mode=0o600)
    os.utime(marker)


def _version() -> int:
    try:
        return os.stat(_marker()).st_mtime_ns
    except FileNotFoundError:
        return 0


def _shared(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def kept_public(view: Callable) -> Callable:
    """Keep the view's answer for every visitor who would get the same one (see above)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _shared(request):
            return view(request, *args, **kwargs)
        address = f"{request.get_host()}\0{get_language()}\0{request.get_full_path()}"
        key = f"public-page:{_version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page with a CSRF token is one visitor's: kept, it would refuse the others' posts.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            headers = [(h, response[h]) for h in _KEPT_HEADERS if h in response]
            cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapped
