# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

# WeasyPrint needs Pango; DejaVu covers Welsh, accents, curly quotes and dashes in PDF letters.
# Debian's security updates move these versions, so they follow the base image instead of a pin.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Exactly the versions CI tested, each checked against its hash (requirements.lock, `make lock`);
# then the project itself, which adds no package of its own.
COPY pyproject.toml requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock \
    && pip install --no-deps .

COPY --chown=app:app . .
# collectstatic needs a key only to import settings; the real one comes at run time.
# The Welsh interface strings are compiled (polib, no gettext) with the static files.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py compile_translations \
    && mkdir -p /app/media && chown app:app /app/media

USER 1000:1000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=4)"]
# The web server. The same image also runs the background worker, which builds the admin's
# all-constituencies letter ZIPs: start a second container with the command
#   python manage.py db_worker --backend background
# (and --no-healthcheck: it serves no HTTP, and a restart policy: its queue is rows in the
# database, so a restart loses no queued job), sharing the database and /app/media; see
# docker-compose.yml. The web container starts and serves without it. Its queue length and
# the page cache's hit rate: python manage.py operations_report
CMD ["docker/start.sh"]
