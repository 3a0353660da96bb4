from __future__ import annotations

import re

from django.conf import settings
from django.test import SimpleTestCase


class EnvironmentDocumentationTests(SimpleTestCase):
    def test_it_documents_every_setting_read_from_the_environment(self) -> None:
        source = (settings.PACKAGE_DIR / "settings.py").read_text()
        read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))
        # The production server's own settings (make serve, the container).
        server = (settings.REPOSITORY_DIR / "deploy" / "gunicorn.conf.py").read_text()
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', server))
        example = (settings.REPOSITORY_DIR / ".env.example").read_text()
        documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
        self.assertTrue(read)
        self.assertEqual(
            read - documented, set(), "read from the environment but not in .env.example"
        )
        self.assertEqual(documented - read, set(), "in .env.example but never read")
