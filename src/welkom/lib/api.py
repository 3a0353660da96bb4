"""Plumbing that every API view shares: the caller's language, and reading a request body
up to a limit."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from rest_framework.exceptions import APIException
from rest_framework.request import Request

CHUNK = 1 << 20


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
