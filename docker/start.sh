#!/bin/sh
# The container's entrypoint, also run by CI against PostgreSQL without Docker:
# wait for the database, apply migrations, then hand the process over to gunicorn.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
"$PYTHON" manage.py wait_for_db --timeout "${DB_WAIT_SECONDS:-60}"
"$PYTHON" manage.py migrate --noinput
exec "$PYTHON" -m gunicorn -c gunicorn.conf.py
