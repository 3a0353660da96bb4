#!/usr/bin/env bash
# Back up Welkom: the PostgreSQL database (pg_dump, custom format) and what lives beside it in
# WELKOM_VAR_DIR: the secret and pseudonym keys (without the pseudonym key the processing
# log can no longer be searched by person) and the kept raw night lists (media/).
# Usage: DATABASE_URL=postgres://… WELKOM_VAR_DIR=/path deploy/backup.sh DIRECTORY
# See docs/operations.md. Keep the backup as safe as the database: it holds personal data.
set -euo pipefail
target="${1:?usage: deploy/backup.sh DIRECTORY}"
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
var="${WELKOM_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}"
umask 077
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/welkom.dump" "$DATABASE_URL"
files=()
for name in secret-key pseudonym-key media; do
  [ -e "$var/$name" ] && files+=("$name")
done
tar -C "$var" -czf "$target/var.tar.gz" "${files[@]}"
echo "Backed up to $target: welkom.dump ($(du -h "$target/welkom.dump" | cut -f1)), var.tar.gz (${files[*]})."
