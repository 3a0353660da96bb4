from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation

from welkom.processing_log.context import trace_from_traceparent, traced


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy, and runs each request in its own log trace."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
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
    Polish leaves a language cookie. Coming back later to an unprefixed (Dutch) public address
    from outside the site, say a bookmark or a link in a letter, the visitor is sent to the
    same page in Polish. Choosing Dutch in the switcher is a click within the site, so it is
    honoured, and from then on Dutch is remembered. Back-office pages are never redirected.
    Works without JavaScript. Place after LocaleMiddleware.
    """

    SKIPPED = ("/api/", "/admin/", "/static/", "/i18n/")
    PUBLIC = "loket/"  # besides the home page: where visitors arrive from outside
    BACK_OFFICE = "loket/manage/"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.SKIPPED) or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        known = dict(settings.LANGUAGES)
        unprefixed = translation.get_language_from_path(path) is None
        relative = path.lstrip("/")
        public = path == "/" or (
            relative.startswith(self.PUBLIC) and not relative.startswith(self.BACK_OFFICE)
        )
        if (
            unprefixed
            and public
            and remembered in known
            and remembered != settings.LANGUAGE_CODE
            and not self._from_this_site(request)
        ):
            target = translate_url(request.get_full_path(), remembered)
            if target != request.get_full_path():
                return HttpResponseRedirect(target)
        response = self.get_response(request)
        current = translation.get_language()
        if current in known and current != remembered and response.status_code < 400:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                current,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
            )
        return response

    @staticmethod
    def _from_this_site(request) -> bool:
        referer = request.headers.get("Referer", "")
        return bool(referer) and urlsplit(referer).netloc == request.get_host()
