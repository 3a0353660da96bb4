"""Benchmarks of the night register: figures against the targets of the night-register issue.

Run from the repository root (`make bench` runs the province month on both engines):

    .venv/bin/python bench/night_register.py [--scale province|small]
        [--engine postgresql|sqlite|both] [--repeat 3] [--providers N]

Per engine, a worker process (this script with `--worker ENGINE`) gets a throw-away var
directory and database, migrates, writes the demo data (`welkom demo --no-nights`) and
measures, in this order:

- month: every provider's night-list file through `night_lists_import`, as the command
  line does with several files: each file its own submission, applied together in one pass
  when the files are about different locations (ADR 0009), the signals refreshed once at the
  end (wall time, end to end, reading the files included);
- day: one further night for everyone present on the last night, one file per provider,
  the same way (files read before the clock starts); three such nights one after another
  (their median is the day's figure), then a night on which 2 % of the residents leave
  and 1 % arrive (every 50th row left out, a new person after every 100th), whose cost is
  compared with the quiet nights';
- single list: one provider's daily list (the provider whose list is nearest 400 rows),
  three nights through the upload page and three through the API, each timed around the
  request in the server's process (Django's test client: no network, the whole view,
  middleware and template included);
- rules: `findings_by_person` (person_facts and registration_findings) for every person,
  as the daily signals run does;
- baseline: polars reads the same CSV files and collapses person-nights into stays.

It prints a table of figure against target. Benchmarks measure; they do not fail: the exit
status is 0 when every measurement ran (whether or not a target is met), 1 when a worker
or a database step failed, 2 when polars is missing (it is a dependency of Welkom itself).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import hashlib
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
ENGINES = ("postgresql", "sqlite")

# The targets. The ratio targets compare the end-to-end import with the columnar
# baseline measured in the same worker; the others are absolute.
IMPORT_RATIO_TARGET = {"postgresql": 3.0, "sqlite": 6.0}
DAY_TARGET_SECONDS = {"postgresql": 1.0}  # set for PostgreSQL only
CHURN_RATIO_TARGET = {"postgresql": 1.5}  # a 2 % churn day against a quiet one
SINGLE_LIST_TARGET_SECONDS = {"postgresql": 0.150}
SINGLE_LIST_ROWS = 400
QUIET_DAYS = 3
RULES_TARGET_SECONDS = 2.0
PEAK_RSS_TARGET_MIB = 1.5 * 1024
DEFAULT_REPEAT = 3


# --- the parent: starts one worker per engine and run, prints the table -----------------


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.worker:
        return _worker(args)
    try:
        import polars
    except ImportError:
        print(
            "polars is not installed. It is a dependency of Welkom (pyproject.toml):\n"
            "    make install\n"
            "and run the benchmark again.",
            file=sys.stderr,
        )
        return 2
    repeat = args.repeat if args.repeat is not None else DEFAULT_REPEAT
    # The month import is expensive: it repeats only when --repeat is given explicitly.
    month_runs = args.repeat if args.repeat is not None else 1
    engines = list(ENGINES) if args.engine == "both" else [args.engine]
    print(
        f"Night-register benchmark: scale {args.scale}, engines {', '.join(engines)}, "
        f"{repeat} runs of the cheap measurements, {month_runs} run(s) of the month import"
        + (f", first {args.providers} provider files only" if args.providers else "")
        + f"; polars {polars.__version__}.",
        file=sys.stderr,
    )
    results: list[dict] = []
    failures: list[str] = []
    for engine in engines:
        for run in range(month_runs):
            try:
                results.append(_worker_run(engine, run=run, args=args, repeat=repeat))
            except BenchError as error:
                failures.append(f"{engine} run {run + 1}: {error}")
                print(f"FAILED: {engine} run {run + 1}: {error}", file=sys.stderr)
    print(_report(results, engines=engines, failures=failures, args=args))
    return 1 if failures else 0


class BenchError(Exception):
    """A worker or a database step failed: no figure for that run."""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["province", "small"], default="province")
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help=f"runs of each cheap measurement (default {DEFAULT_REPEAT}); given explicitly, "
        "also the number of month imports, each on a new database",
    )
    parser.add_argument(
        "--providers",
        type=int,
        default=None,
        help="use only the first N provider files (sorted by name): a partial, quicker run",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="write a cProfile of the first quiet day and of the churn day to this folder "
        "(pstats files; the profiler slows Python, so their times are not the table's)",
    )
    parser.add_argument(
        "--steps",
        action="store_true",
        help="print the wall time of each step of every day's import (a timer around each "
        "step, not a profiler, so the times are close to the table's)",
    )
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.providers is not None and args.providers < 1:
        parser.error("--providers must be at least 1")
    return args


def _worker_run(engine: str, *, run: int, args: argparse.Namespace, repeat: int) -> dict:
    """One worker process on a new var directory and a new database, removed afterwards."""
    arguments = ["--scale", args.scale, "--repeat", str(repeat), "--run", str(run)]
    if args.providers:
        arguments += ["--providers", str(args.providers)]
    if args.profile:
        arguments += ["--profile", str(args.profile.resolve())]
    if args.steps:
        arguments += ["--steps"]
    return worker_process(Path(__file__), engine, arguments, label=f"{engine}, run {run + 1}")


def worker_process(script: Path, engine: str, arguments: list[str], *, label: str) -> dict:
    """Run `script --worker ENGINE arguments` with a throw-away var directory and database
    (PostgreSQL: created and dropped here) and return the result it prints. Shared by the
    benchmark scripts in this folder."""
    name = script.stem
    var_dir = Path(
        tempfile.mkdtemp(prefix=f"welkom-bench-{name}-{engine}-", dir=tempfile.gettempdir())
    )
    database = f"welkom_bench_{name}_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "welkom.settings",
        "WELKOM_DEMO_MODE": "true",
        "WELKOM_VAR_DIR": str(var_dir),
        "WELKOM_LOG_LEVEL": "WARNING",
    }
    if engine == "postgresql":
        env["DATABASE_URL"] = PG_URL.format(name=database)
        _pg_database(database, create=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    command = [sys.executable, str(script.resolve()), "--worker", engine, *arguments]
    print(f"\n== {label}: worker in {var_dir}", file=sys.stderr)
    try:
        # The worker's progress goes to stderr (passed through), its result to stdout.
        process = subprocess.run(  # noqa: S603 -- a script of ours, with our own arguments
            command, env=env, stdout=subprocess.PIPE, text=True, check=False, cwd=REPOSITORY
        )
    finally:
        if engine == "postgresql":
            _pg_database(database, create=False)
        shutil.rmtree(var_dir, ignore_errors=True)
    lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if process.returncode != 0 or not lines:
        raise BenchError(f"the worker ended with status {process.returncode} and no result")
    return json.loads(lines[-1][len(RESULT_MARK) :])


def _pg_database(name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if create:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise BenchError(
            f"PostgreSQL on 127.0.0.1:5432 is not available ({error}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect 15 main start`."
        ) from error


# --- the report -------------------------------------------------------------------------


def _report(
    results: list[dict], *, engines: list[str], failures: list[str], args: argparse.Namespace
) -> str:
    out = io.StringIO()
    header = ["measurement", "engine", "median (s)", "runs", "target", "ratio / verdict"]
    rows: list[list[str]] = []
    notes: list[str] = []
    for engine in engines:
        runs = [r for r in results if r["engine"] == engine]
        if not runs:
            rows.append(["(no result)", engine, "—", "0", "—", "FAILED: see above"])
            continue
        first = runs[0]
        partial = first["partial"]
        scope = (
            f"{first['files_used']} of {first['files_total']} provider files, "
            f"{first['rows']:,} rows"
        )

        baseline = first["baseline"]
        # The cheap measurements run in every worker; their medians pool all runs.
        baseline_runs = [s for r in runs for s in r["baseline"]["seconds"]]
        baseline_median = statistics.median(baseline_runs)
        rows.append(
            [
                f"baseline: polars parse + collapse ({baseline['rows']:,} rows)",
                engine,
                _seconds(baseline_median),
                str(len(baseline_runs)),
                "— (reference)",
                f"{baseline['stays']:,} stays, {baseline['persons']:,} person keys",
            ]
        )

        month = [r["month"]["seconds"] for r in runs]
        month_median = statistics.median(month)
        ratio = month_median / baseline_median
        limit = IMPORT_RATIO_TARGET[engine]
        rows.append(
            [
                f"month import, end to end ({first['rows']:,} rows, {first['files_used']} files)",
                engine,
                _seconds(month_median),
                str(len(month)),
                f"≤ {limit:g}× baseline",
                f"import/baseline = {ratio:.1f}× (target ≤ {limit:g}×): "
                + _ratio_verdict(ratio <= limit, partial)
                + _rejected(first["month"]["statuses"], first["files_used"]),
            ]
        )

        day = [s for r in runs for s in r["day"]["seconds"]]
        day_median = statistics.median(day)
        day_limit = DAY_TARGET_SECONDS.get(engine)
        rows.append(
            [
                f"one day, all providers' files ({first['day']['rows']:,} rows)",
                engine,
                _seconds(day_median),
                str(len(day)),
                f"< {day_limit:g} s" if day_limit else "— (set for PostgreSQL)",
                (_absolute_verdict(day_median, day_limit, partial) if day_limit else "no target")
                + _rejected(first["day"]["statuses"], first["day"]["files"]),
            ]
        )
        churn = [r["churn"]["seconds"] for r in runs]
        churn_ratio = statistics.median(churn) / day_median
        churn_limit = CHURN_RATIO_TARGET.get(engine)
        rows.append(
            [
                f"a churn day ({first['churn']['rows']:,} rows: {first['churn']['left']:,} "
                f"left, {first['churn']['arrived']:,} arrived)",
                engine,
                _seconds(statistics.median(churn)),
                str(len(churn)),
                f"≤ {churn_limit:g}× a quiet day" if churn_limit else "— (set for PostgreSQL)",
                f"churn/quiet = {churn_ratio:.2f}×"
                + (
                    ": " + _ratio_verdict(churn_ratio <= churn_limit, partial)
                    if churn_limit
                    else ""
                )
                + _rejected(first["churn"]["statuses"], first["churn"]["files"]),
            ]
        )
        single_limit = SINGLE_LIST_TARGET_SECONDS.get(engine)
        for way in ("page", "api"):
            single = [s for r in runs for s in r["single"][way]]
            single_median = statistics.median(single)
            rows.append(
                [
                    f"one provider's list through the {'upload page' if way == 'page' else 'API'} "
                    f"({first['single']['rows']:,} rows)",
                    engine,
                    _seconds(single_median),
                    str(len(single)),
                    f"< {single_limit * 1000:g} ms" if single_limit else "— (set for PostgreSQL)",
                    (
                        _absolute_verdict(single_median, single_limit, partial)
                        if single_limit
                        else "no target"
                    )
                    + f"; answered {', '.join(map(str, first['single'][way + '_status']))}",
                ]
            )

        rules = first["rules"]
        rules_runs = [s for r in runs for s in r["rules"]["seconds"]]
        rules_median = statistics.median(rules_runs)
        rows.append(
            [
                f"rules for all persons ({rules['persons']:,} persons)",
                engine,
                _seconds(rules_median),
                str(len(rules_runs)),
                f"< {RULES_TARGET_SECONDS:g} s",
                _absolute_verdict(rules_median, RULES_TARGET_SECONDS, partial),
            ]
        )

        welkom_peak = max(r["rss_mib"]["after_rules"] for r in runs)
        worker_peak = max(r["rss_mib"]["end"] for r in runs)
        rows.append(
            [
                "peak RSS (MiB), worker up to rules: demo + imports + rules",
                engine,
                f"{welkom_peak:,.0f} MiB",
                str(len(runs)),
                f"< {PEAK_RSS_TARGET_MIB:,.0f} MiB",
                _absolute_verdict(welkom_peak, PEAK_RSS_TARGET_MIB, partial),
            ]
        )
        rows.append(
            [
                "peak RSS (MiB), whole worker incl. polars baseline",
                engine,
                f"{worker_peak:,.0f} MiB",
                str(len(runs)),
                "— (information)",
                "",
            ]
        )

        notes.append(f"{engine}: {_engine_notes(runs, scope=scope, partial=partial)}")

    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "-+-".join("-" * w for w in widths)
    out.write("\n" + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "\n")
    out.write(rule + "\n")
    for row in rows:
        out.write(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + "\n")
    out.write("\n")
    if results and results[0]["partial"]:
        out.write(
            "PARTIAL RUN: "
            + (
                f"scale {args.scale}"
                if results[0]["scale"] != "province"
                else f"{results[0]['files_used']} of {results[0]['files_total']} provider files"
            )
            + ". The targets are set for the full province month (≈3.2 million rows, "
            "120,000 persons); the figures above are measured on the partial data only and "
            "nothing in the table is extrapolated. NOT ASSESSED: the partial figure cannot "
            "show that the target is met. 'NOT MET, already on partial data': the partial "
            "figure alone exceeds an absolute target, and the full run does more work.\n"
        )
    out.write(
        "Medians of the runs counted in 'runs' (baseline and rules run --repeat times in "
        "every worker, pooled; the month and the churn day once per worker, each on a new "
        "database; three quiet days and three lists each way per worker). Peak RSS is "
        "ru_maxrss of the whole worker "
        "process (the Python side: Django, the demo generation, the imports; not the "
        "PostgreSQL server), the highest over the runs.\n"
    )
    for note in notes:
        out.write(note + "\n")
    for failure in failures:
        out.write(f"FAILED: {failure}\n")
    return out.getvalue()


def _ratio_verdict(met: bool, partial: bool) -> str:
    if partial:
        return "NOT ASSESSED (partial run)"
    return "MET" if met else "NOT MET"


def _absolute_verdict(value: float, limit: float, partial: bool) -> str:
    if not partial:
        return "MET" if value < limit else "NOT MET"
    if value >= limit:
        return "NOT MET, already on partial data"
    return "NOT ASSESSED (partial run)"


def _rejected(statuses: dict[str, int], files: int) -> str:
    rejected = statuses.get("rejected", 0)
    return f"; {rejected} of {files} files REJECTED (not written)" if rejected else ""


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _engine_notes(runs: list[dict], *, scope: str, partial: bool) -> str:
    first = runs[0]
    month = first["month"]
    lines = [
        f"{'partial' if partial else 'full'} run, {scope} (sha256 {first['data_sha256']}…, "
        f"first night {first['first_night']}).",
        f"  setup (not timed in the table): migrate {first['setup']['migrate']:.1f} s, "
        f"demo (generation and files) {first['setup']['demo']:.1f} s.",
        "  month import runs (s): " + ", ".join(_seconds(r["month"]["seconds"]) for r in runs),
        f"  month import: {first['rows'] / month['seconds']:,.0f} rows/s overall; reading, "
        f"checking and applying every file {month['applied_seconds']:.1f} s, then the "
        f"signals refresh {month['signals_seconds']:.1f} s.",
        f"  import results: {month['statuses']}; in the database after the month: "
        f"{month['persons']:,} persons, {month['stays']:,} stays, "
        f"{month['occupancy']:,} occupancy rows (baseline: {first['baseline']['persons']:,} "
        f"person keys, {first['baseline']['stays']:,} stays).",
        f"  one day: {first['day']['files']} files, statuses {first['day']['statuses']}; "
        "quiet days, runs (s): "
        + ", ".join(f"{s:.2f}" for r in runs for s in r["day"]["seconds"])
        + "; churn day (s): "
        + ", ".join(f"{r['churn']['seconds']:.2f}" for r in runs),
        f"  single list ({first['single']['rows']} rows, provider {first['single']['provider']}), "
        "page (ms): "
        + ", ".join(f"{s * 1000:.0f}" for r in runs for s in r["single"]["page"])
        + "; API (ms): "
        + ", ".join(f"{s * 1000:.0f}" for r in runs for s in r["single"]["api"]),
        f"  rules: {first['rules']['findings']:,} findings on {first['rules']['on']}; "
        "runs (s): "
        + ", ".join(f"{s:.2f}" for r in runs for s in r["rules"]["seconds"])
        + "; person_facts alone (the database read, timed separately): "
        + ", ".join(f"{s:.2f}" for r in runs for s in r["rules"]["facts_seconds"]),
        "  baseline runs (s): "
        + ", ".join(f"{s:.2f}" for r in runs for s in r["baseline"]["seconds"])
        + f" (polars {first['baseline']['polars']}, {first['baseline']['threads']} threads).",
        "  RSS checkpoints, first run (MiB, peak so far): "
        + ", ".join(f"{k} {v:,.0f}" for k, v in first["rss_mib"].items()),
    ]
    if month["persons"] != first["baseline"]["persons"] or (
        month["stays"] != first["baseline"]["stays"]
    ):
        lines.append(
            "  NOTE: the import and the baseline disagree on persons or stays: rejected files "
            "write nothing, and the import matches persons on normalised names where the "
            "baseline compares the exact strings."
        )
    if first["files_used"] < first["files_total"]:
        full_rows = first["rows_total"]
        lines.append(
            f"  extrapolated (linear in rows, NOT measured): the month import of all "
            f"{first['files_total']} files ({full_rows:,} rows) would take ≈"
            f"{month['seconds'] * full_rows / first['rows']:,.0f} s at this run's rate."
        )
    lines.append(
        f"  machine: {first['machine']}; {first['engine_version']}; measured {first['date']}."
    )
    return "\n".join(lines)


# --- the worker: runs inside one engine's settings ----------------------------------------


# The steps of an import that `--steps` times: (module, function), in the order they run.
STEPS = (
    ("welkom.register.services.night_lists", "submissions_read"),
    ("welkom.register.submissions", "_raw_read"),
    ("welkom.register.submissions", "_grouped"),
    ("welkom.register.submissions", "_cells_checked"),
    ("welkom.register.submissions", "_nights_frame"),
    ("welkom.register.submissions", "_match_keys"),
    ("welkom.register.submissions", "_collapse"),
    ("welkom.register.services.night_lists", "_parts_read"),
    ("welkom.register.services.night_lists", "_locations_resolve"),
    ("welkom.register.services.night_lists", "continuing_residents"),
    ("welkom.register.services.continuing", "_listed"),
    ("welkom.register.services.continuing", "_open_stays"),
    ("welkom.register.services.continuing", "_shared_keys"),
    ("welkom.register.services.continuing", "_near"),
    ("welkom.register.services.continuing", "_found"),
    ("welkom.register.services.night_lists", "_persons_resolve"),
    ("welkom.register.services.writes", "stays_near"),
    ("welkom.register.services.night_lists", "_conflicts_report"),
    ("welkom.register.services.night_lists", "_stays_apply"),
    ("welkom.register.services.writes", "occupancy_write"),
    ("welkom.register.services.writes", "profile_write"),
    ("welkom.register.services.night_lists", "processing_log_write_each"),
    ("welkom.register.services.night_lists", "_apply_together"),
    ("welkom.register.services.night_lists", "_signals_refresh"),
    ("welkom.register.services.writes", "records_write"),
)


def _steps_timed(spent: dict[str, float]) -> None:
    """Wrap each of `STEPS` in a timer that adds its wall time to `spent[name]`."""
    import functools
    import importlib

    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        function = getattr(module, name)

        @functools.wraps(function)
        def timed(*args, _function=function, _name=name, **kwargs):  # noqa: ANN202
            started = time.perf_counter()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.perf_counter() - started

        setattr(module, name, timed)


def _worker(args: argparse.Namespace) -> int:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from welkom.demo.population import SCALES
    from welkom.organisations import rules as organisation_rules
    from welkom.organisations.models import Organisation
    from welkom.register.models import NightListImport, Occupancy, Person, Stay
    from welkom.register.selectors import findings_by_person, person_facts
    from welkom.register.services import night_lists_import

    size = SCALES[args.scale]
    today = timezone.localdate()  # the import's and the rules' own default date
    # The month and every night after it lie in the past, so none is refused as "in the
    # future": three quiet days, a churn day, three single lists by page and three by API.
    later_nights = QUIET_DAYS + 1 + 6
    first_night = today - timedelta(days=size.nights + later_nights + 1)
    last_night = first_night + timedelta(days=size.nights - 1)
    out = Path(os.environ["WELKOM_VAR_DIR"]) / "demo"
    rss: dict[str, float] = {}

    def progress(message: str) -> None:
        print(f"[{args.worker} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # The pages need their static files' manifest, as a deployed server has it.
    call_command("collectstatic", interactive=False, verbosity=0)
    migrate_seconds = time.perf_counter() - started
    progress(f"migrated in {migrate_seconds:.1f} s; writing the {args.scale} demo data")
    started = time.perf_counter()
    call_command(
        "demo",
        scale=args.scale,
        no_nights=True,
        out=out,
        first_night=first_night,
        stdout=io.StringIO(),
    )
    demo_seconds = time.perf_counter() - started
    rss["after_demo"] = _peak_rss_mib()

    files_all = sorted((out / "night-lists").glob("*.csv"))
    files = files_all[: args.providers] if args.providers else files_all
    partial = args.scale != "province" or len(files) < len(files_all)
    providers = {
        organisation.kvk_number: organisation
        for organisation in Organisation.objects.filter(
            kind=organisation_rules.HOUSING_PROVIDER, kvk_number__in=[p.stem for p in files]
        )
    }
    rows_total = sum(_data_rows(path) for path in files_all)
    fingerprint = hashlib.sha256()
    for path in files:
        fingerprint.update(path.read_bytes())
    progress(
        f"demo in {demo_seconds:.1f} s; importing {len(files)} of {len(files_all)} files "
        f"({sum(_data_rows(p) for p in files):,} rows)"
    )

    # (b) The month: every file through the import, as `welkom import_nights` does with
    # several files (each file its own submission, applied together when they are about
    # different locations, ADR 0009; the signals refreshed once at the end).
    file_done: list[float] = []
    file_rows: list[int] = []
    statuses: dict[str, int] = {}

    def after_each(record, summary) -> None:
        file_done.append(time.perf_counter())
        file_rows.append(summary.rows)
        statuses[record.status] = statuses.get(record.status, 0) + 1
        if record.status == NightListImport.Status.REJECTED:
            progress(f"{record.filename} was REJECTED: {record.problems[:3]}")
        if len(file_done) % 25 == 0 or len(file_done) == len(files):
            progress(
                f"{len(file_done)}/{len(files)} files, {sum(file_rows):,} rows, "
                f"{time.perf_counter() - started:.0f} s"
            )

    started = time.perf_counter()
    night_lists_import(
        ((providers[path.stem], path.read_bytes(), path.name) for path in files),
        source=NightListImport.Source.CLI,
        today=today,
        after_each=after_each,
    )
    month_seconds = time.perf_counter() - started
    rss["after_month"] = _peak_rss_mib()
    month = {
        "seconds": month_seconds,
        "rows": sum(file_rows),
        "statuses": statuses,
        # Every file is reported on once all are applied, before the signals refresh.
        "applied_seconds": file_done[0] - started,
        "signals_seconds": month_seconds - (file_done[-1] - started),
        "persons": Person.internal.count(),
        "stays": Stay.internal.count(),
        "occupancy": Occupancy.objects.count(),
    }

    # A day's list comes a day after the month: by then PostgreSQL's autovacuum has gathered
    # the planner's statistics of the tables the month filled (within a minute of it, by
    # default). Take them now, as it would have; without them the planner takes the
    # register for empty and reads all of it for one provider's list. (Some machines run
    # PostgreSQL with autovacuum off; on SQLite, Django never gathers them.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    step_times: dict[str, float] = {}
    if args.steps:
        _steps_timed(step_times)

    # (c) Further nights for everyone present on the last night, one file per provider:
    # quiet ones, then one with churn. Each night's files are read before its clock starts.
    def day_import(night: date, *, churn: bool) -> dict:
        day_dir = out / f"day-{night.isoformat()}"
        day_files, left, arrived = _one_day_write(
            files, day_dir, last_night=last_night, extra_night=night, churn=churn
        )
        day_lists = [(providers[path.stem], path.read_bytes(), path.name) for path in day_files]
        profiler = None
        if args.profile and (churn or night == last_night + timedelta(days=1)):
            profiler = cProfile.Profile()
            profiler.enable()
        step_times.clear()
        day_started = time.perf_counter()
        day_results = night_lists_import(day_lists, source=NightListImport.Source.CLI, today=today)
        seconds = time.perf_counter() - day_started
        if args.steps:
            progress(
                f"{'churn' if churn else 'quiet'} day {night}: {seconds:.2f} s; "
                + ", ".join(f"{name} {spent:.2f}" for name, spent in step_times.items())
            )
        if profiler:
            profiler.disable()
            args.profile.mkdir(parents=True, exist_ok=True)
            kind = "churn" if churn else "quiet"
            profiler.dump_stats(args.profile / f"{connection.vendor}-{kind}-{night}.prof")
        day_statuses: dict[str, int] = {}
        for record, _summary in day_results:
            day_statuses[record.status] = day_statuses.get(record.status, 0) + 1
        return {
            "seconds": seconds,
            "rows": sum(summary.rows for _record, summary in day_results),
            "files": len(day_files),
            "statuses": day_statuses,
            "left": left,
            "arrived": arrived,
        }

    quiet = [
        day_import(last_night + timedelta(days=k), churn=False) for k in range(1, QUIET_DAYS + 1)
    ]
    churn_night = last_night + timedelta(days=QUIET_DAYS + 1)
    churn = day_import(churn_night, churn=True)
    rss["after_day"] = _peak_rss_mib()
    progress(
        f"month {month_seconds:.1f} s; quiet days ({quiet[0]['rows']:,} rows) "
        + ", ".join(f"{d['seconds']:.2f}" for d in quiet)
        + f" s; churn day {churn['seconds']:.2f} s"
    )

    # (d) One provider's daily list through the upload page and the API, as it would come
    # after the churn day: the same persons, each night one further.
    single = _single_lists(
        out / f"day-{churn_night.isoformat()}",
        providers,
        first_night=churn_night + timedelta(days=1),
    )
    progress(
        f"single list ({single['rows']} rows): page "
        f"{', '.join(f'{s * 1000:.0f}' for s in single['page'])} ms, API "
        f"{', '.join(f'{s * 1000:.0f}' for s in single['api'])} ms"
    )

    result: dict = {
        "engine": args.worker,
        "run": args.run,
        "scale": args.scale,
        "partial": partial,
        "files_used": len(files),
        "files_total": len(files_all),
        "rows": month["rows"],
        "rows_total": rows_total,
        "data_sha256": fingerprint.hexdigest()[:16],
        "month": month,
        "day": {**quiet[0], "seconds": [d["seconds"] for d in quiet]},
        "churn": churn,
        "single": single,
        "setup": {"migrate": migrate_seconds, "demo": demo_seconds},
        "first_night": first_night.isoformat(),
        "engine_version": _engine_version(connection),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "date": today.isoformat(),
    }

    # (d) The registration rules for every person, and (a) the baseline: cheap, repeated.
    # Run after the imports, so that polars' memory does not count in the imports' peak.
    repeat = args.repeat or DEFAULT_REPEAT
    rules_seconds: list[float] = []
    facts_seconds: list[float] = []
    persons = findings = 0
    for _ in range(repeat):
        # The database read alone, for the notes; then the whole evaluation, as production runs it.
        facts_started = time.perf_counter()
        facts = person_facts(on=today)
        facts_seconds.append(time.perf_counter() - facts_started)
        del facts
        rules_started = time.perf_counter()
        evaluated = findings_by_person(on=today)
        rules_seconds.append(time.perf_counter() - rules_started)
        findings = sum(len(found) for _facts, found in evaluated.values())
        persons = len(evaluated)
        del evaluated
    rss["after_rules"] = _peak_rss_mib()
    progress(f"rules for {persons:,} persons: {', '.join(f'{s:.2f}' for s in rules_seconds)} s")
    result["rules"] = {
        "seconds": rules_seconds,
        "facts_seconds": facts_seconds,
        "persons": persons,
        "findings": findings,
        "on": today.isoformat(),
    }

    result["baseline"] = _baseline(files, repeat=repeat)
    rss["end"] = _peak_rss_mib()
    progress(f"baseline: {', '.join(f'{s:.2f}' for s in result['baseline']['seconds'])} s")
    result["rss_mib"] = rss
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


def _baseline(files: list[Path], *, repeat: int) -> dict:
    """polars: parse the night lists into one frame, collapse person-nights into stays.

    A stay is a run of consecutive nights of one person (family name, given names, date of
    birth, nationality) at one location (the provider's file and its location code): the
    night minus its dense rank within the group is constant along a run (gaps and islands).
    """
    import polars as pl

    person = ["family_name", "given_names", "date_of_birth", "nationality"]
    keys = ["file", "location_code", *person]
    sources = [str(path) for path in files]
    seconds: list[float] = []
    stays = persons = rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        frame = pl.read_csv(
            sources,
            infer_schema=False,  # everything as text, then the two dates typed
            schema_overrides={"night": pl.Date, "date_of_birth": pl.Date},
            include_file_paths="file",
        )
        collapsed = (
            frame.with_columns(
                run=pl.col("night").cast(pl.Int32)
                - pl.col("night").rank("dense").over(keys).cast(pl.Int32)
            )
            .group_by([*keys, "run"])
            .agg(
                check_in=pl.col("night").min(),
                check_out=pl.col("night").max() + pl.duration(days=1),
            )
        )
        seconds.append(time.perf_counter() - started)
        rows = frame.height
        stays = collapsed.height
        persons = collapsed.select(person).unique().height
        del frame, collapsed
    return {
        "seconds": seconds,
        "rows": rows,
        "stays": stays,
        "persons": persons,
        "polars": pl.__version__,
        "threads": pl.thread_pool_size(),
    }


def _one_day_write(
    files: list[Path], day_dir: Path, *, last_night: date, extra_night: date, churn: bool = False
) -> tuple[list[Path], int, int]:
    """Per provider: the last night's rows, moved to `extra_night` (files with none left
    out). With `churn`, every 50th resident has left and a new person has arrived after
    every 100th (in the same location, a name no list has used). Returns the files written
    and how many left and arrived."""
    day_dir.mkdir(parents=True, exist_ok=True)
    last, extra = last_night.isoformat(), extra_night.isoformat()
    written = []
    left = arrived = 0
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            night = header.index("night")
            rows = [row for row in reader if row[night] == last]
        if not rows:
            continue
        if churn:
            family, given = header.index("family_name"), header.index("given_names")
            changed = []
            for number, row in enumerate(rows, start=1):
                if number % 50:
                    changed.append(row)
                else:
                    left += 1
                if number % 100 == 0:
                    arrived += 1
                    arrival = list(row)
                    arrival[family] = f"Nieuw{path.stem}x{number}"
                    arrival[given] = f"Aankomst{extra_night.toordinal()}"
                    for column in ("bsn", "document_number"):  # nobody else's identifiers
                        if column in header:
                            arrival[header.index(column)] = ""
                    changed.append(arrival)
            rows = changed
        for row in rows:
            row[night] = extra
        target = day_dir / path.name
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(target)
    return written, left, arrived


def _single_lists(day_dir: Path, providers: dict, *, first_night: date) -> dict:
    """Three nights of one provider's list by the upload page, three more by the API: the
    provider whose churn-day list is nearest `SINGLE_LIST_ROWS` rows, signed in as a new
    member, and a new API token of that provider."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from welkom.organisations import rules as organisation_rules
    from welkom.organisations.models import Membership
    from welkom.organisations.services import api_token_create

    sizes = {path: _data_rows(path) for path in sorted(day_dir.glob("*.csv"))}
    path = min(sizes, key=lambda p: (abs(sizes[p] - SINGLE_LIST_ROWS), p.name))
    provider = providers[path.stem]
    user = get_user_model().objects.create_user(
        username="bench-single-list@bench.invalid", email="bench-single-list@bench.invalid"
    )
    Membership.access_control.create(
        user=user, organisation=provider, role=organisation_rules.MEMBER
    )
    _token, key = api_token_create(organisation=provider, name="bench", created_by=user)
    page_client = Client(HTTP_HOST="localhost")
    page_client.force_login(user)
    api_client = Client(HTTP_HOST="localhost")
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    night_at = header.index("night")

    def one_night(k: int) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            row[night_at] = (first_night + timedelta(days=k)).isoformat()
            writer.writerow(row)
        return text.getvalue().encode()

    # A running server has its URLs, templates and translations loaded: one request each
    # way before the clock, as a server's first visitor would have made.
    page_client.get("/register/upload/")
    api_client.get("/api/v1/night-lists/0", HTTP_AUTHORIZATION=f"Token {key}")
    result: dict = {"rows": len(rows), "provider": path.stem, "page": [], "api": []}
    result["page_status"], result["api_status"] = [], []
    for k in range(6):
        data = one_night(k)
        if k < 3:
            upload = io.BytesIO(data)
            upload.name = f"{path.stem}-{k}.csv"
            started = time.perf_counter()
            response = page_client.post("/register/upload/", {"file": upload})
            result["page"].append(time.perf_counter() - started)
            result["page_status"].append(f"{response.status_code} {_latest_status()}")
        else:
            started = time.perf_counter()
            response = api_client.post(
                "/api/v1/night-lists",
                data=data,
                content_type="text/csv",
                HTTP_AUTHORIZATION=f"Token {key}",
            )
            result["api"].append(time.perf_counter() - started)
            result["api_status"].append(f"{response.status_code} {_latest_status()}")
    return result


def _latest_status() -> str:
    from welkom.register.models import NightListImport

    return NightListImport.objects.latest("pk").status


def _data_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _engine_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


if __name__ == "__main__":
    sys.exit(main())
