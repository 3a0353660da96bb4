from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from welkom.lib.public_pages import kept_public
from welkom.site.selectors import home_scopes, home_tasks

logger = logging.getLogger(__name__)


@kept_public  # the public front page; a signed-in user has a session, and is never kept
def home(request) -> HttpResponse:
    """The public front page, or, signed in, what this user can do in Welkom."""
    if not request.user.is_authenticated:
        return render(request, "site/home_public.html")
    context = {"tasks": home_tasks(request.user), "scopes": home_scopes(request.user)}
    return render(request, "site/home.html", context)


# Seconds a client is asked to wait when the database cannot be reached.
UNAVAILABLE_RETRY_SECONDS = 60


def server_error(request) -> HttpResponse:
    """Django's 500, unless the database cannot be reached: then 503, a page that says to try
    again in a minute and still gives the emergency numbers. Both pages render without the
    layout's context (which reads the database)."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)) and not database_reachable():
        logger.error("database unreachable: %s", type(error).__name__)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))


def database_reachable() -> bool:
    """A fresh connection answers: what failed was the connection, not the query."""
    connection.close()
    try:
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True
