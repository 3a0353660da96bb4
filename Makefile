# Welkom — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_INSTALLED := $(VENV)/.installed-demo
# Development defaults for `make run`: demo mode (demo accounts, no 2FA, mail to console), plain HTTP.
RUN_ENV := WELKOM_DEMO_MODE=true WELKOM_HTTPS=false

RUNTIME_INSTALLED := $(VENV)/.installed-runtime

.PHONY: help install install-runtime run serve prepare jobs test lint check-migrations check-translations messages bench bench-web clean

help:
	@echo "make run    set up and serve Welkom with demo data on http://127.0.0.1:8000"
	@echo "make test   run the test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)"
	@echo "make serve  production server (gunicorn) on WELKOM_BIND (127.0.0.1:8000); set DATABASE_URL"
	@echo "make jobs   the nightly jobs' scheduler (welkom run_jobs)"
	@echo "make lint | check-migrations | check-translations | messages | bench | bench-web | clean"

# Two install levels in one virtual environment: the demo extra for `make run`, and the
# development tools on top of it for tests, lint and checks. Production takes runtime.txt.
$(DEMO_INSTALLED): pyproject.toml requirements/runtime.txt requirements/demo.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/demo.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(INSTALLED): $(DEMO_INSTALLED) requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

install: $(INSTALLED)

# Production: what runtime.txt pins and Welkom itself, nothing for demo or development. The
# container runs exactly these targets (Dockerfile), and CI runs them too (.ci/run).
$(RUNTIME_INSTALLED): pyproject.toml requirements/runtime.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install-runtime: $(RUNTIME_INSTALLED)

# What a release needs before it serves: compiled translations, static files, migrations, the
# loket's texts. Safe to run on every start.
prepare: $(RUNTIME_INSTALLED)
	$(BIN)/welkom compile_translations
	$(BIN)/welkom collectstatic --noinput --verbosity 0
	$(BIN)/welkom migrate --noinput
	$(BIN)/welkom loket_content

serve: prepare
	$(BIN)/gunicorn --config deploy/gunicorn.conf.py

jobs: $(RUNTIME_INSTALLED)
	$(BIN)/welkom run_jobs

run: $(DEMO_INSTALLED)
	$(BIN)/welkom compile_translations
	$(RUN_ENV) $(BIN)/welkom migrate --noinput
	$(RUN_ENV) $(BIN)/welkom collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/welkom loket_content
	$(RUN_ENV) $(BIN)/welkom demo --scale small --if-empty
	$(RUN_ENV) $(BIN)/welkom registration_signals
	$(RUN_ENV) $(BIN)/welkom import_figures --once src/welkom/monitor/data/policy-figures.csv
	$(RUN_ENV) $(BIN)/welkom placement_counts
	$(RUN_ENV) $(BIN)/welkom refresh_monitor
	$(RUN_ENV) $(BIN)/welkom demo_logins
	$(RUN_ENV) $(BIN)/welkom runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(BIN)/welkom compile_translations
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src

check-migrations: $(INSTALLED)
	$(BIN)/welkom makemigrations --check --dry-run

check-translations: $(INSTALLED)
	$(BIN)/welkom check_translations

messages: $(INSTALLED)
	$(BIN)/welkom check_translations --update || true

# Not part of CI: figures against the night-register and monitor targets (docs/benchmarks.md); needs
# PostgreSQL on 127.0.0.1:5432.
bench: $(INSTALLED)
	$(BIN)/python bench/night_register.py --scale province --engine both
	$(BIN)/python bench/monitor.py --scale province --engine both

# Not part of CI: the public pages under load with gunicorn and wrk (docs/benchmarks.md);
# needs PostgreSQL on 127.0.0.1:5432.
bench-web: $(INSTALLED)
	bench/web.sh

clean:
	rm -rf $(VENV) var
