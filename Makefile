# The two commands of the README: `make run` and `make test`.
# Everything else here is what they are built from.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
COACH := $(VENV)/bin/coach
# The stamp changes when the pins change, so `make` reinstalls only then.
DEPS_HASH := $(shell cat requirements.txt requirements-dev.txt pyproject.toml scripts/install_system_packages.sh | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(DEPS_HASH)
PYTEST_ARGS ?=

.PHONY: run test install train validate test-stories test-fast lint bench clean help

help:
	@echo "make run    install what is missing, train if needed, start everything"
	@echo "make test   install what is missing, train if needed, run every test"
	@echo "make lint   ruff check, ruff format --check and mypy (also run by make test)"

$(STAMP):
	bash scripts/install_system_packages.sh
	bash scripts/make_venv.sh
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# axe-core for the accessibility checks in the browser tests, pinned in tests/browser/package.json
# (and its lock); installed again only when the pin changes. Needs npm (Debian: apt-get install npm).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install it (Debian: apt-get install npm) for the accessibility tests"; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(AXE)

install: $(STAMP) $(AXE)

train: install
	$(COACH) train

run: install
	$(COACH) run

# Every test: unit, actions, API, Rasa data validation and test stories,
# end-to-end through the real servers, browser, production stack.
test: install train
	$(PY) -m pytest -ra $(PYTEST_ARGS)

# Quick loop while developing: no trained model, no servers, no browser.
test-fast: install
	$(PY) -m pytest -ra -m "not rasa and not e2e and not browser and not production" $(PYTEST_ARGS)

# Static checks alone, for the quick loop (tests/static runs the same in make test and test-fast).
# Config: [tool.ruff] and [tool.mypy] in pyproject.toml; mypy's file list is there too.
# All three run even when one reports; the target fails if any did.
lint: $(STAMP)
	@rc=0; \
	$(VENV)/bin/ruff check . || rc=1; \
	$(VENV)/bin/ruff format --check . || rc=1; \
	$(VENV)/bin/mypy || rc=1; \
	exit $$rc

bench: install train
	$(PY) -m bench.run_all

clean:
	rm -rf .rasa build var/*.db results
