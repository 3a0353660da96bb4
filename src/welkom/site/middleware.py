from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import escape_leading_slashes

from welkom.processing_log.context import trace_from_traceparent, traced

request_logger = logging.getLogger("welkom.requests")


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy, and runs each request in its own log trace."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        trace = trace_from_traceparent(request.headers.get("traceparent"))
        request.trace = trace
        with traced(trace):
            response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(self), camera=(), microphone=()"
        )
        return response


class LanguageMemoryMiddleware:
    """Remembers the language a visitor last read in, and brings them back to it.

    The language is in the address (`/pl/loket/`), with Dutch unprefixed. A page read in
    Polish leaves a language cookie. Coming back later to an unprefixed (Dutch) public address,
    say from a bookmark or a link in a letter, the visitor is sent to the same page in Polish.
    Choosing a language in the switcher is explicit: its link for Dutch carries
    `?lang=nl`, which sets the cookie and leads to the clean address. Back-office pages
    are never redirected. Works without JavaScript. Place after LocaleMiddleware.
    """

    CHOOSE = "lang"  # the query parameter of an explicit choice (see context_processors)
    SKIPPED = ("/api/", "/admin/", "/static/", "/i18n/")
    PUBLIC = "loket/"  # besides the home page: where visitors arrive from outside
    BACK_OFFICE = "loket/manage/"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.SKIPPED) or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        known = dict(settings.LANGUAGES)
        chosen = request.GET.get(self.CHOOSE, "")
        if chosen in known:
            query = request.GET.copy()
            del query[self.CHOOSE]
            target = translate_url(escape_leading_slashes(request.path), chosen)
            if query:
                target += "?" + query.urlencode()
            return self._remember(self._redirect(target), chosen)
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        relative = path.lstrip("/")
        public = path == "/" or (
            relative.startswith(self.PUBLIC) and not relative.startswith(self.BACK_OFFICE)
        )
        if (
            public
            and remembered in known
            and remembered != settings.LANGUAGE_CODE
            and translation.get_language_from_path(path) is None
        ):
            target = translate_url(escape_leading_slashes(request.get_full_path()), remembered)
            if target != request.get_full_path():
                return self._redirect(target)
        response = self.get_response(request)
        current = translation.get_language()
        # Only a page actually shown counts: not a redirect (a missing slash, a login) or an error.
        if current in known and current != remembered and 200 <= response.status_code < 300:
            self._remember(response, current)
        return response

    @staticmethod
    def _redirect(target: str) -> HttpResponseRedirect:
        response = HttpResponseRedirect(target)
        response.headers["Vary"] = "Cookie"
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    @staticmethod
    def _remember(response, language: str) -> HttpResponse:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        return response


class PrivatePagesMiddleware:
    """What a signed-in user sees (pages, exports) and every API answer is never kept by a
    browser or a proxy: "no-store". Public pages for visitors keep their own caching."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestLogMiddleware:
    """One log line per request, as JSON: method, the route's pattern (never the path: it
    may hold a postcode or an id), status, milliseconds, language and trace. No query
    string, no user, no address: the processing log says who read which personal data.
    First in the chain, so that it also times the other middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        trace = getattr(request, "trace", None)
        request_logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "route": f"/{match.route}" if match else None,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "language": translation.get_language(),
                    "trace": getattr(trace, "trace_id", None),
                }
            )
        )
        return response
