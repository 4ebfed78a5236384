# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1

.PHONY: install run test lint format worker beat clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "Samverkan körs på http://127.0.0.1:8000 (avsluta med Ctrl-C)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production-like processes on local services (set DATABASE_URL and REDIS_URL first; see README).
worker: install
	$(VENV)/bin/celery -A samverkan worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A samverkan beat --loglevel=INFO

clean:
	rm -rf $(VENV) var .pytest_cache
