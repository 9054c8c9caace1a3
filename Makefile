# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrations-check setup clean bench css messages

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

## Set up everything and serve the site on http://127.0.0.1:8000 (SQLite, demo content), with the Procfile's worker and scheduler.
run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo_content
	@# The Procfile's own processes, read from the Procfile itself (one source of truth), with
	@# Django's development server in place of gunicorn for web. Ctrl-C stops them all; the
	@# console email backend prints the worker's emails here.
	sed 's|^web:.*|web: python manage.py runserver $(HOST):$(PORT)|' Procfile > $(VENV)/Procfile.dev
	DEBUG=1 PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f $(VENV)/Procfile.dev -d . start

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

## After changing a translatable string: update locale/es's catalogue, translate what is new (empty msgstr), run it again
## to compile; commit both files (tests/test_translations.py fails while either is out of date). Needs GNU gettext.
messages: setup
	DEBUG=1 $(PY) manage.py makemessages -l es --add-location=file --ignore=node_modules --ignore=staticfiles
	DEBUG=1 $(PY) manage.py compilemessages -l es --ignore=.venv --ignore=node_modules

## Benchmark every page against bare Django baselines (wrk, gunicorn; about 3 minutes). See README.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
