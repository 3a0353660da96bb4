#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and var directory, then
# check it: all migrations applied and the database answering (welkom migrate --check).
# Usage: DATABASE_URL=postgres://…/new WELKOM_VAR_DIR=/new/var deploy/restore.sh DIRECTORY
# See docs/operations.md.
set -euo pipefail
source="${1:?usage: deploy/restore.sh DIRECTORY}"
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
: "${WELKOM_VAR_DIR:?set WELKOM_VAR_DIR to the directory for the keys and raw lists}"
root="$(cd "$(dirname "$0")/.." && pwd)"
umask 077
mkdir -p "$WELKOM_VAR_DIR"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$source/welkom.dump"
tar -C "$WELKOM_VAR_DIR" -xzf "$source/var.tar.gz"
"$root/.venv/bin/welkom" migrate --check
echo "Restored from $source; every migration is applied."
