from __future__ import annotations

from django.conf import settings

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
