"""What an orchestrator or a load balancer asks a Welkom process (issue 19).

`/healthz`: the process answers (no database: a restart would not help when the database
is down). `/readyz`: the database is reachable and every migration is applied, so the
process may get traffic. Neither says anything but "ok" or what is missing."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

_migrated = False  # once all are applied, they stay applied for this process's code


def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"process": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return _answer({"database": "unreachable"}, status=503)
    if not migrations_applied():
        return _answer({"database": "ok", "migrations": "not applied"}, status=503)
    return _answer({"database": "ok", "migrations": "ok"})


def migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _answer(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response
