# Two commands matter: `make run` and `make test`. The rest support them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_SETTINGS := config.settings.dev

.PHONY: install run test lint format migrations-check clean bench lock

# The locked versions first (what the Docker image runs), then the test and browser tools
# around them: the suite tests exactly what production installs.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet ".[test,browser]"
	touch $(STAMP)

# The Welsh interface strings (locale/cy/LC_MESSAGES/django.po) compiled with polib: no gettext needed.
install: $(STAMP)
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py compile_translations >/dev/null

run: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo_content
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py ensure_admin
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) PY=$(PY) bin/run

# One pytest worker per CPU; each gets its own test database, restored from the demo database
# kept in build/test-database/ (tests/demo_database.py; PYTEST_ARGS=--create-db builds it
# again). Work stealing: a worker that runs out takes half of another's queue, so the run does
# not end with one worker busy on a long tail. Python's bytecode cache on, whatever the
# environment says (Docker images often turn it off): otherwise every process compiles the
# project and rewrites the tests' asserts again.
test: install
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -m "not browser and not system and not html" -n auto --dist worksteal $(PYTEST_ARGS)

.PHONY: test-system
# Real gunicorn servers in subprocesses, each on a database of its own it migrates: PostgreSQL
# and Redis cut under load, backup and restore, media with production settings. Needs
# PostgreSQL and Redis on 127.0.0.1. A module per worker, so each server starts once.
test-system: install
	$(PY) -m pytest -m system -n auto --dist loadfile $(PYTEST_ARGS)

.PHONY: vnu test-html
# The Nu HTML checker (the W3C validator's engine) at a pinned version from the npm registry, in
# build/vnu/ (ignored by git). --ignore-scripts: the package's postinstall would download a Java;
# the system's Java 11+ runs the jar.
VNU_VERSION := 26.9.27
VNU_JAR := build/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	npm install --no-save --no-audit --no-fund --ignore-scripts --prefix build/vnu vnu-jar@$(VNU_VERSION)
	test -f $(VNU_JAR)
vnu: $(VNU_JAR)

# Every public page type, English and Welsh, through the Nu HTML checker in one run.
test-html: install vnu
	$(PY) -m pytest -m html -q $(PYTEST_ARGS)

.PHONY: test-browser
# Journeys, axe-core and screenshots in Debian's Chromium (apt-get install -y chromium);
# screenshots land in test-artifacts/screenshots/.
test-browser: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

# requirements.lock: every package the Docker image installs, pinned with hashes, compiled from
# pyproject.toml's dependencies (not the test or browser extras). Run after changing them.
lock: install
	$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  --output-file requirements.lock pyproject.toml

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) bin/check-private-access

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

.PHONY: bench-letters
# Median render times for one DOCX and one PDF, and the worker's 650-letter ZIP with the requests
# around it; changes nothing in the database.
bench-letters: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py bench_letters

.PHONY: bench-data
# make bench in two steps, each with its own limit. The data first: the sanctuary_bench database
# created, migrated and filled with generate_load_data (150 groups, about 9,000 pages: about 3
# minutes on an idle 2-CPU machine, longer when the CPUs are shared; left as it is afterwards,
# when this step takes about 30 s). Then the measuring, whose length is fixed by wrk's seconds
# per page (44 runs: about 4 minutes at the default 5 s; BENCH_TIMEOUT=1200 with --seconds 10).
BENCH_DATA_TIMEOUT ?= 1800
BENCH_TIMEOUT ?= 600
bench-data: install
	timeout $(BENCH_DATA_TIMEOUT) $(PY) bench/run.py --prepare-only $(BENCH_ARGS)

bench: bench-data
	timeout $(BENCH_TIMEOUT) $(PY) bench/run.py --skip-prepare $(BENCH_ARGS)

.PHONY: bench-inprocess
# Each make bench page rendered uncached in one process (no server, no wrk): median time, CPU time
# and queries per request; BENCH_ARGS="--profile /tmp/pages.prof" for cProfile, "--no-fragments"
# for first renders. Needs PostgreSQL on 127.0.0.1 (fills sanctuary_inprocess once), or --sqlite.
bench-inprocess: install
	$(PY) bench/inprocess.py $(BENCH_ARGS)

.PHONY: bench-postcodes
# A synthetic 2.7-million-row ONS Postcode Directory in /tmp: its import time, then /near/ answered
# from the table under load beside an uncached group page (BENCH_ARGS="--rows 100000" is quicker).
bench-postcodes: install
	timeout 1800 $(PY) bench/postcodes.py $(BENCH_ARGS)

.PHONY: fuzz soak
# Schemathesis against /api/v3/openapi.json of a live server on the demo content (FUZZ_EXAMPLES=50).
fuzz: install
	bin/fuzz

# 10 minutes of mixed traffic at 32 connections, production settings: zero 5xx, worker memory.
soak: install
	$(PY) bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache build/vnu
