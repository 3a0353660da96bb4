"""pytest configuration: fast password hashing and plain static files for the test run."""

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
