from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from welkom.organisations.selectors import memberships_of
from welkom.site.middleware import LanguageMemoryMiddleware


def layout(request) -> dict:
    """What the layout shows on every page: memberships, languages and their alternates."""
    path = request.get_full_path()
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": _chosen(translate_url(path, code), code),
                "absolute_url": request.build_absolute_uri(translate_url(path, code)),
                "current": code == current,
            }
        )
    return {
        "welkom_memberships": memberships_of(request.user) if hasattr(request, "user") else [],
        "welkom_languages": languages,
        "welkom_default_language_url": request.build_absolute_uri(
            translate_url(path, settings.LANGUAGE_CODE)
        ),
        "welkom_demo_mode": settings.DEMO_MODE,
    }


def _chosen(url: str, code: str) -> str:
    """The switcher's link to Dutch says it is a choice: Dutch addresses have no prefix, so
    without it a visitor who read in another language would be led back to that language
    (welkom.site.middleware.LanguageMemoryMiddleware)."""
    if code != settings.LANGUAGE_CODE:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{LanguageMemoryMiddleware.CHOOSE}={code}"
