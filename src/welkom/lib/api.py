"""Plumbing that every API view shares: the caller's language, reading a request body up
to a limit, and the answer when another import holds the lock."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from welkom.lib.locks import BUSY

CHUNK = 1 << 20
RETRY_AFTER_SECONDS = 30


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def busy_response() -> Response:
    """409 for an import that waited longer than `settings.IMPORT_WAIT_SECONDS` for another
    (`lib.locks.Busy`): nothing was stored, the client sends it again later."""
    return Response(
        {"detail": gettext(BUSY)},
        status=status.HTTP_409_CONFLICT,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def busy_documented(what: str) -> OpenApiResponse:
    return OpenApiResponse(
        description=(
            f"Another {what} was being applied for longer than the wait allows: nothing was "
            "stored; send it again after `Retry-After` seconds."
        )
    )


def in_request_language(view: Callable) -> Callable:
    """Runs the view, its authentication included, in the caller's language.

    The API lies outside i18n_patterns, where LocaleMiddleware keeps the default language;
    here Accept-Language (or the language cookie of a browser session) decides.
    """

    @functools.wraps(view)  # keeps `cls`, which the schema generator reads
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapped


def bounded(chunks: Iterator[bytes], limit: int, *, too_large: Callable[[], APIException]) -> bytes:
    """The chunks joined, or `too_large()` raised as soon as they pass `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise too_large()
        parts.append(chunk)
    return b"".join(parts)


def body_read(request: Request, limit: int, *, too_large: Callable[[], APIException]) -> bytes:
    stream = request.stream  # None for an empty body
    if stream is None:
        return b""
    return bounded(iter(functools.partial(stream.read, CHUNK), b""), limit, too_large=too_large)
