# The two commands of the README: `make demo` and `make test`.
PY := .venv/bin/python
SHARED_CSV := ../shared/data/etablissements_creteil.csv
ESTABLISHMENTS_CSV ?= $(if $(wildcard $(SHARED_CSV)),$(SHARED_CSV),fixtures/etablissements_creteil.csv)
# The second académie of the demo, side by side with Créteil.
SECOND_CSV := ../shared/data/etablissements_poitiers.csv
SECOND_ESTABLISHMENTS_CSV ?= $(if $(wildcard $(SECOND_CSV)),$(SECOND_CSV),fixtures/etablissements_poitiers.csv)
HOST ?= 127.0.0.1:8000
# The demo lives on a day of its 2024-2025 calendar (see aps/clock.py): every process it starts
# (commands, server, task worker) runs on that day's clock, and its e-mails link to its own host.
DEMO_TODAY ?= 2024-06-03
DEMO_ENV = APS_TODAY=$(DEMO_TODAY) SITE_URL=http://$(HOST)

.PHONY: install system-deps demo test quality pytest format bench

install:
	@sh scripts/bootstrap.sh

system-deps:
	@sh scripts/system-deps.sh

## Start the application with demo data on http://HOST (127.0.0.1:8000 unless HOST= is given)
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py import_establishments $(ESTABLISHMENTS_CSV)
	$(DEMO_ENV) $(PY) manage.py import_establishments $(SECOND_ESTABLISHMENTS_CSV)
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "APS : http://$(HOST)/ — la démonstration se place au $(DEMO_TODAY) (arrêt : Ctrl+C)"
	@# The worker of long exports (bulk PDF) runs beside the server and stops with it.
	@$(DEMO_ENV) $(PY) manage.py db_worker --backend exports --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST)

## Lint, Django checks, the import contracts and every test (browser tests included)
test: install system-deps quality pytest

quality:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/lint-imports --no-cache

pytest:
	$(PY) -m pytest

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Benchmark (not a test), on PostgreSQL: pages at N = 1,000 / 10,000 / 100,000 sheets as
## ratios to a trivial view, the .xlsx export, the PDFs, then gunicorn under locust
bench: install system-deps
	bash scripts/postgres.sh
	$(PY) bench/bench.py
	$(PY) bench/bench_pdf.py
