# Set-up and checks. Every target installs what it needs into .venv, so a fresh clone works.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run migrate browser test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The app with demo data on http://127.0.0.1:5000 (PORT and HOST override).
run: install
	$(BIN)/incident-tracker migrate
	$(BIN)/incident-tracker seed-demo
	$(BIN)/gunicorn --bind "$${HOST:-127.0.0.1}:$${PORT:-5000}" --workers 2 \
		--access-logfile - "incident_tracker.wsgi:app"

migrate: install
	$(BIN)/incident-tracker migrate

# Debian's chromium for the browser tests (playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: install browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check incident_tracker tests benchmarks
	$(BIN)/ruff format --check incident_tracker tests benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
