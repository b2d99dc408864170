# Two commands for people: `make run` and `make test`. Everything else is set-up they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
LOCALES := en fr es pt sw hi kn bn ar ha am
PO := $(foreach l,$(LOCALES),translations/$(l)/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test test-at fuzz e2e bench extract update compile translations clean

run: $(VENV)/.stamp-run compile
	$(PY) run_hub.py

test: $(VENV)/.stamp-test compile
	$(PY) -m pytest $(PYTEST_ARGS)

# The whole suite as if run at another moment, to find tests that pass only on some days:
# make test-at WHEN="2026-12-13 23:54" (UTC; a Sunday night, a month's or a year's end).
test-at: $(VENV)/.stamp-test compile
	HUB_TEST_WHEN="$(WHEN)" PYTHONPATH=tests/shifted_clock $(PY) -m pytest $(PYTEST_ARGS)

# Property tests and schemathesis, unseeded and longer than in `make test` (where they are
# seeded, so that a run fails only when the code changed). Run it before a release, or nightly.
FUZZ_TESTS := tests/web/test_openapi_schemathesis.py tests/web/test_hostile_properties.py \
  tests/catalog/test_hostile_packs.py tests/core/test_i18n_properties.py tests/sync/test_privacy.py
fuzz: $(VENV)/.stamp-test compile
	HUB_FUZZ=1 $(PY) -m pytest -p no:randomly $(FUZZ_TESTS) $(PYTEST_ARGS)

# Browser tests alone (they also run inside `make test` when Chromium is present).
e2e: $(VENV)/.stamp-test compile
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

bench: $(VENV)/.stamp-test compile
	$(PY) -m benchmarks $(BENCH_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the packaging files change (the stamp is newer otherwise).
$(VENV)/.stamp-run: setup.cfg pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.stamp-test: setup.cfg pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.stamp-run

# Catalogs: extract the strings, merge them into every locale, compile the .mo files.
extract: $(VENV)/.stamp-run
	$(PYBABEL) -q extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 \
	  --no-location --sort-output --width 100 -o translations/messages.pot .

update: extract
	$(PYBABEL) -q update --no-fuzzy-matching --width 100 -i translations/messages.pot -d translations

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.stamp-run
	$(PYBABEL) -q compile -i $< -o $@

# Also the hub's bytecode: the service cannot write its code folder (docs/deployment.md), and
# without .pyc files every start compiles each module again (issue 22: a third of a start).
compile: $(MO)
	$(PY) -m compileall -q hub sync

translations: update compile

clean:
	rm -rf $(VENV) build *.egg-info $(MO)
