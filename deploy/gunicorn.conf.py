"""gunicorn's settings for Welkom (`make serve`, the container). Each can be set from the
environment; the defaults suit a 2-core machine."""

import os

bind = os.environ.get("WELKOM_BIND", "127.0.0.1:8000")
# Sync workers: Welkom's pages are short database reads; a slow client is the proxy's job.
workers = int(os.environ.get("WELKOM_WORKERS", "2"))
threads = int(os.environ.get("WELKOM_THREADS", "1"))
# A night list of 200 MB through the API may take a minute to read and apply.
timeout = int(os.environ.get("WELKOM_TIMEOUT_SECONDS", "120"))
graceful_timeout = 30
keepalive = 5
# Restart a worker now and then: memory a large import took is given back.
max_requests = 2000
max_requests_jitter = 200
# Welkom logs one line per request itself (without the path, which may hold personal data).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WELKOM_LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("WELKOM_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "welkom.wsgi:application"
