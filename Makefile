# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrations-check setup clean bench css

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core for the browser tests, pinned in package-lock.json. Without npm the
# browser tests skip locally (and fail in CI), saying why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else echo "npm not found: axe-core not installed, the browser tests will be skipped"; fi

setup: $(VENV)/.installed

## Set up everything and serve the site on http://127.0.0.1:8000 (SQLite, demo content), with the email worker.
run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py setup_roles
	DEBUG=1 $(PY) manage.py load_demo_content
	@# Emails go out from the task worker, never from the patient's request; it runs
	@# beside the server and stops with it (console email backend: mails print here).
	DEBUG=1 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## Set up and run the whole test suite, with branch coverage; below the floor in pyproject.toml it fails.
## (One file alone, without coverage: .venv/bin/python -m pytest tests/test_x.py)
test: setup node_modules/.installed
	$(PY) -m pytest --cov --cov-report=term-missing:skip-covered $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

migrations-check: setup
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## Rebuild the Bootstrap subset we serve (PurgeCSS against templates, forms and scripts); commit the result.
css: setup node_modules/.installed
	node_modules/.bin/purgecss --config purgecss.config.cjs

## Benchmark every page against bare Django baselines (wrk, gunicorn; about 3 minutes). See README.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
