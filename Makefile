# Set-up and checks. Every target installs what it needs into .venv, so a fresh clone works.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-libs run migrate browser axe test lint bench bench-web bench-reminders bench-load bench-pg pg-check clean

install: $(STAMP) system-libs

# Debian libraries WeasyPrint needs (pango, harfbuzz subsetting), a deterministic font, and
# poppler-utils (pdftotext, pdftoppm for the document tests; pdfunite joins the merged letters);
# installed only when missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
system-libs:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

# The app with demo data on http://127.0.0.1:5000 (PORT and HOST override), with the reminder
# scheduler and a local SMTP sink; Ctrl-C stops all three. `migrate` also makes the instance
# folder private (folders 700, files 600); the pages carry a "Not for real patient data" banner.
run: export INCIDENT_TRACKER_ENV = demo
run: install
	$(BIN)/incident-tracker migrate
	$(BIN)/incident-tracker seed-demo
	$(BIN)/python -m incident_tracker.run_all

migrate: install
	$(BIN)/incident-tracker migrate

# Debian's chromium for the browser tests (playwright cannot download its own browser here), and
# the openssl command that makes the production test's throw-away TLS certificate.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v openssl >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl; }

# axe-core for the accessibility checks of the browser tests, from the npm registry at the version
# package-lock.json pins (Debian's nodejs and npm installed when missing).
axe: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error

# The suite on SQLite, then every test that uses a database again on a throw-away PostgreSQL
# cluster (scripts/with-postgres.sh installs PostgreSQL when missing, starts it as `postgres` on
# 127.0.0.1 and stops it afterwards); the pure tests run once.
test: install browser axe
	$(BIN)/python -m pytest -q
	scripts/with-postgres.sh $(BIN)/python -m pytest -q --database-only

lint: install
	$(BIN)/ruff check incident_tracker tests benchmarks
	$(BIN)/ruff format --check incident_tracker tests benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/notices.py
	$(BIN)/python benchmarks/individuals.py

# The signed-in register and incident pages under gunicorn (2 workers, 20 clients) against a bare
# Flask route; seeds 10,000 incidents into a temporary database (about a minute).
bench-web: install
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/web_floor.py

# The schema's SQL on a scratch PostgreSQL cluster (needs PostgreSQL's server binaries).
pg-check: install
	scripts/pg-schema-check.sh

# Reminder dispatch against a local SMTP server (10,000 messages vs a raw smtplib loop), then the
# real scheduler process killed with SIGKILL at least 10 times while sending (300 reminders).
bench-reminders: install
	$(BIN)/python benchmarks/reminders.py
	$(BIN)/python benchmarks/reminder_crash.py

# 30 signed-in people for 60 s mixing reads and writes against gunicorn with the scheduler
# running (`load ... errors 0`), then at least 10 SIGKILLs of the worker serving incident
# creations and notice approvals (`crash ... lost 0 incomplete 0`); SQLite, about 3 minutes.
bench-load: install
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/crash_writes.py

# The same two and the scheduler's crash benchmark on PostgreSQL: each starts a throw-away cluster
# on 127.0.0.1 (PostgreSQL installed when missing), or uses the server DATABASE_URL names there.
bench-pg: install
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	$(BIN)/python benchmarks/load.py --backend postgres
	$(BIN)/python benchmarks/crash_writes.py --backend postgres
	$(BIN)/python benchmarks/reminder_crash.py --backend postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
