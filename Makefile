# Optics Valley Roadshow Center — everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench install install-dev migrate seed clean

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

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	@echo "Serving on http://$(HOST):$(PORT)  (demo logins: see README)"
	HOST=$(HOST) PORT=$(PORT) $(PY) wsgi.py

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks (bench/scenario_*.py); results in bench/results/latest.json. Not part of `make test`.
bench: install-dev
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache instance/roadshow.sqlite3*
