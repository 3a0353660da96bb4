"""pytest configuration: fast password hashing, plain static files and empty rate counters
for the test run."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    from django.conf import settings

    # Set once, before any test class makes its users; the real hashers are slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.REQUIRE_2FA = False
    # WhiteNoise warns on every request when the collected-static folder does not exist yet
    # (a fresh clone that never ran `make run`); the tests serve static files from the finders.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty rate counters (`lib.throttle`): the cache is the
    process's own, and would otherwise count the whole run's requests from one address."""
    from django.core.cache import cache

    cache.clear()
    yield
