# Shoko — the two commands are `make run` and `make test`; everything else is a step of theirs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Parallel workers for the suite (pytest-xdist); 0 runs in one process.
JOBS ?= auto

.PHONY: run test setup messages makemessages migrate lint format test-unit test-browser test-production bench check-deploy clean help

help:
	@echo "make run          set up, migrate SQLite, seed demo data, start worker + server on http://$(HOST):$(PORT)/"
	@echo "make test         set up, lint (ruff), run the whole test suite (SQLite, or DATABASE_URL)"
	@echo "make test-browser browser tests in headless Chromium (/usr/bin/chromium)"
	@echo "make test-production  the production stack (PostgreSQL, Redis, granian, worker, nginx) driven by Chromium"
	@echo "make bench        run the benchmarks in bench/ and print their figures"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Shoko needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

setup: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(MANAGE) compile_translations --skip-checks

# Extract translatable strings (developers; needs GNU gettext's xgettext).
makemessages: $(VENV)/.installed
	@for app in shoko/*/apps.py; do dir=$$(dirname $$app); mkdir -p $$dir/locale; \
	  (cd $$dir && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages --no-obsolete --no-location \
	    -l ja -l en -l zh_Hans -l zh_Hant -l ko) || exit 1; done
	$(MANAGE) compile_translations --fill-source --skip-checks

migrate: setup
	$(MANAGE) migrate --noinput

run: migrate
	$(MANAGE) seed_demo
	@echo ""
	@echo "Shoko is starting on http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/staff/  business: http://$(HOST):$(PORT)/my/)"
	@echo "A background worker runs beside it. Stop both with Ctrl-C."
	@$(MANAGE) db_worker --queue-name '*' --no-reload & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Tests keep their cache in memory, per process (tests/conftest.py does too): never var/cache.
test: setup lint
	SHOKO_CACHE=memory $(PY) -m pytest -m "not browser and not production" $(if $(filter-out 0,$(JOBS)),-n $(JOBS)) $(PYTEST_ARGS)

test-browser: setup
	SHOKO_CACHE=memory $(PY) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

# The real production stack on this machine (needs Debian's postgresql, redis-server, nginx-light,
# chromium, openssl, poppler-utils: .ci/run installs them), then the tests marked production.
STACK_ARGS ?=
test-production: setup
	$(PY) deploy/stack.py $(STACK_ARGS) -- $(PY) -m pytest -m production -p no:xdist tests/production $(PYTEST_ARGS)

# As a deployment runs it: collectstatic first (into a throwaway directory), whose manifest
# check --deploy requires.
check-deploy: setup
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  export SHOKO_ENV=production SHOKO_VAR_DIR="$$tmp" SHOKO_ALLOWED_HOSTS='["shoko.example.jp"]' \
	    SHOKO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))'); \
	  $(MANAGE) collectstatic --noinput -v0 && $(MANAGE) check --deploy --fail-level WARNING

bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var/ artifacts/ .pytest_cache .ruff_cache
	find . -name '*.mo' -path '*/locale/*' -delete
