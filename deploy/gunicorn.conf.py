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
# Restart a worker now and then, so that memory a large import took is given back, but
# seldom: at 1,200 requests/s a limit of 2,000 restarted a worker every two seconds, and
# the requests queued behind the restart made the p95 800 ms (docs/benchmarks.md).
max_requests = 100_000
max_requests_jitter = 10_000
# The app is loaded once in the master and forked: a restarted worker serves at once.
preload_app = True
# Welkom logs one line per request itself (without the path, which may hold personal data).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WELKOM_LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("WELKOM_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "welkom.wsgi:application"
