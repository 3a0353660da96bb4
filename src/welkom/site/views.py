from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from welkom.site.selectors import home_scopes, home_tasks


def home(request) -> HttpResponse:
    """The public front page, or, signed in, what this user can do in Welkom."""
    if not request.user.is_authenticated:
        return render(request, "site/home_public.html")
    context = {"tasks": home_tasks(request.user), "scopes": home_scopes(request.user)}
    return render(request, "site/home.html", context)
