"""Benchmarks of the monitor: figures against the targets of the monitor issue.

Run from the repository root (`make bench` runs it after the night register):

    .venv/bin/python bench/monitor.py [--scale province|small] [--engine postgresql|sqlite|both]
        [--repeat 3] [--requests 15]

Per engine, a worker process (this script with `--worker ENGINE`) gets a throw-away var
directory and database, migrates, loads the demo at the chosen scale with its night lists
(as `welkom demo` does), imports the policy's figures, and measures:

- refresh: `monitor_refresh` (the nightly `welkom refresh_monitor`), `--repeat` times;
- pages: every dashboard page, `--requests` times each through Django's test client as the
  province user (and the public page anonymously): server time from request to response,
  no network, no browser;
- staff pages of the register, the housing and the processing log, the same way, each as
  the role that works in it: the municipality of Venlo (its overview, largest location's
  residents, signals, possible duplicates, housing list), the province (housing counts), the featured housing
  provider (overview, signals, housing) and the privacy officer (the log's search). Issue 19
  asks every staff page to stay under 200 ms median at province scale.

It prints medians and the spread against the targets (refresh under 30 s; every page under
200 ms median). Benchmarks measure; they do not fail: the exit status is 0 when every
measurement ran, 1 when a worker or a database step failed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from night_register import ENGINES, REPOSITORY, RESULT_MARK, worker_process

REFRESH_TARGET_SECONDS = 30.0
PAGE_TARGET_MS = 200.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["province", "small"], default="province")
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    engines = list(ENGINES) if args.engine == "both" else [args.engine]
    results, failures = [], []
    for engine in engines:
        try:
            results.append(_worker_run(engine, args))
        except Exception as error:
            failures.append(f"{engine}: {error}")
    _report(results, failures, args)
    return 1 if failures else 0


def _worker_run(engine: str, args) -> dict:
    arguments = [
        "--scale",
        args.scale,
        "--repeat",
        str(args.repeat),
        "--requests",
        str(args.requests),
    ]
    return worker_process(Path(__file__), engine, arguments, label=engine)


def _worker(args) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from welkom.demo.population import SCALES
    from welkom.housing.models import Location
    from welkom.monitor.services import figures_import, monitor_refresh
    from welkom.organisations import rules
    from welkom.organisations.models import Organisation
    from welkom.register.models import NightListImport, Stay
    from welkom.register.services import night_lists_import

    def progress(message: str) -> None:
        print(f"[{args.worker} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    size = SCALES[args.scale]
    today = timezone.localdate()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link hashed files
    progress(f"migrated; loading the {args.scale} demo with its night lists (takes minutes)")
    out = Path(os.environ["WELKOM_VAR_DIR"]) / "demo"
    call_command(
        "demo", scale=args.scale, first_night=today - timedelta(days=size.nights + 1),
        out=out, no_nights=True, stdout=io.StringIO(),
    )  # fmt: skip
    providers = {o.kvk_number: o for o in Organisation.objects.filter(kind=rules.HOUSING_PROVIDER)}
    files = sorted((out / "night-lists").glob("*.csv"))
    progress(f"importing {len(files)} night lists, as `welkom import_nights` does")
    night_lists_import(
        ((providers[path.stem], path.read_bytes(), path.name) for path in files),
        source=NightListImport.Source.CLI,
        today=today,
    )
    figures_import(
        data=(REPOSITORY / "src/welkom/monitor/data/policy-figures.csv").read_bytes(),
        filename="policy-figures.csv",
    )
    refresh = []
    for _run in range(args.repeat):
        started = time.perf_counter()
        summary = monitor_refresh(today=today)
        refresh.append(time.perf_counter() - started)
        progress(f"refresh: {refresh[-1]:.2f} s, {summary.figures} figures")

    setup_test_environment()
    province = Client()
    province.force_login(get_user_model().objects.get(username="provincie@demo.welkom.test"))
    public = Client()
    users = get_user_model().objects
    venlo, provider, privacy = Client(), Client(), Client()
    venlo.force_login(users.get(username="gemeente-venlo@demo.welkom.test"))
    provider.force_login(users.get(username="huisvester-a@demo.welkom.test"))
    privacy.force_login(users.get(username="privacy@demo.welkom.test"))
    night = today - timedelta(days=2)
    largest = (
        Stay.objects.filter(location__municipality__code="GM0983")
        .values("location")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["location"]
    )
    provider_location = (
        Location.objects.filter(provider__name="Huisvesting Noord-Limburg B.V.")
        .order_by("pk")
        .first()
    )
    pages = {
        "dashboard": (province, "/en/monitor/"),
        "dashboard, other indicator by month": (
            province,
            "/en/monitor/?indicator=persons_brp&period_kind=month",
        ),
        "housing gap": (province, "/en/monitor/housing-gap/"),
        "external figures": (province, "/en/monitor/figures/"),
        "province: housing counts": (province, "/en/housing/counts/"),
        "actions": (province, "/en/monitor/actions/"),
        "yearly report": (province, f"/en/monitor/report/{today.year}/"),
        "public monitor": (public, "/en/monitor/public/"),
        "municipality: register overview": (venlo, f"/en/register/?night={night}"),
        "municipality: largest location's residents": (
            venlo,
            f"/en/register/location/{largest}/?night={night}",
        ),
        "municipality: open signals": (venlo, "/en/register/signals/"),
        "municipality: possible duplicates": (venlo, "/en/register/duplicates/"),
        "municipality: housing locations": (venlo, "/en/housing/"),
        "provider: register overview": (provider, f"/en/register/?night={night}"),
        "provider: location's residents": (
            provider,
            f"/en/register/location/{provider_location.pk}/?night={night}",
        ),
        "provider: open signals": (provider, "/en/register/signals/"),
        "provider: housing locations": (provider, "/en/housing/"),
        "privacy officer: processing log": (privacy, "/en/processing-log/"),
    }
    timings = {}
    for name, (client, path) in pages.items():
        client.get(path)  # warm up: templates and translations load once
        times = []
        for _request in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        timings[name] = times
        progress(f"{name}: median {statistics.median(times):.0f} ms")
    result = {
        "engine": args.worker,
        "server": connection.vendor,
        "scale": args.scale,
        "refresh": refresh,
        "figures": summary.figures,
        "pages": timings,
    }
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


def _report(results: list[dict], failures: list[str], args) -> None:
    print(f"\nMonitor benchmark, scale {args.scale} ({time.strftime('%Y-%m-%d %H:%M')})")
    for result in results:
        refresh = result["refresh"]
        verdict = "met" if statistics.median(refresh) < REFRESH_TARGET_SECONDS else "NOT met"
        print(
            f"\n{result['engine']}: refresh median {statistics.median(refresh):.2f} s "
            f"(runs {', '.join(f'{r:.2f}' for r in refresh)}; {result['figures']} figures) "
            f"— target < {REFRESH_TARGET_SECONDS:.0f} s: {verdict}"
        )
        for name, times in result["pages"].items():
            median = statistics.median(times)
            verdict = "met" if median < PAGE_TARGET_MS else "NOT met"
            print(
                f"  {name:46} median {median:6.0f} ms  (min {min(times):.0f}, "
                f"max {max(times):.0f}, n={len(times)}) — target < {PAGE_TARGET_MS:.0f} ms: "
                f"{verdict}"
            )
    for failure in failures:
        print(f"FAILED {failure}")


if __name__ == "__main__":
    sys.exit(main())
