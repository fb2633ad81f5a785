# Optics Valley Roadshow Center — everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Where links in emails and calendar feeds point (README "Configuration"); `make run` serves it.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test serve-prod bench soak install install-dev migrate seed clean translations messages

# Message catalogs: translations/<locale>/LC_MESSAGES/messages.po is committed, the .mo is built here.
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compile the catalogs (pybabel comes with Flask-Babel), only those whose .po changed.
translations: $(MO_FILES)

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# After adding or changing UI text: extract every string into the template and merge it into each
# catalog (new strings appear untranslated; tests/i18n/test_i18n_catalog.py fails until they are translated).
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-wrap --sort-by-file \
		--ignore-dirs ".* __pycache__" \
		--project=roadshow --version=0.1.0 --copyright-holder="Optics Valley Sci-Tech Roadshow Center" \
		-o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	@echo "Serving on http://$(HOST):$(PORT)  (demo logins: see README)"
	HOST=$(HOST) PORT=$(PORT) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(PY) wsgi.py

# Legs: unit on SQLite, unit on PostgreSQL, multi-process topology, browser; a summary line per leg.
# System components (PostgreSQL, Redis, nginx, Chromium, CJK fonts) are installed when missing and
# possible (root + apt); otherwise the legs that need them are skipped and say why.
test: install-dev
	bash scripts/install-system-deps.sh
	PYTEST_ARGS="$(PYTEST_ARGS)" bash scripts/test-legs.sh

# Production-like on this machine: WORKERS gunicorn processes behind nginx, Redis, a scheduler process
# (scripts/serve-prod.sh; PORT defaults to 8080 there). DATABASE_URL picks PostgreSQL, else SQLite.
serve-prod: install-dev
	bash scripts/install-system-deps.sh
	SEED_DEMO=1 bash scripts/serve-prod.sh

# Benchmarks (bench/scenario_*.py); results in bench/results/latest.json. Not part of `make test`.
bench: install-dev
	$(PY) -m bench.run

# Soak (bench/soak.py): SOAK_SECONDS (1800) of mixed load at SOAK_RATE (20/s) on scripts/serve-prod.sh, on a
# throw-away PostgreSQL when installed; results in bench/results/soak.json. Not part of `make test`.
soak: install-dev
	bash scripts/install-system-deps.sh
	bash -c 'source scripts/lib.sh; if have_postgres; then exec scripts/with-postgres.sh $(PY) -m bench.soak; else exec $(PY) -m bench.soak; fi'

clean:
	rm -rf $(VENV) .pytest_cache instance/roadshow.sqlite3*
