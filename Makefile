# Relais — the two commands: `make run` and `make test` (see README.md).
# Everything else here is what they build on. Re-running either on a set-up checkout
# reinstalls nothing and retrains nothing: the stamps below only move when their inputs do.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV_RASA   := .venvs/rasa
VENV_ELIG   := .venvs/eligibility
RASA_STAMP  := $(VENV_RASA)/.installed
ELIG_STAMP  := $(VENV_ELIG)/.installed
MODEL       := models/relais.tar.gz
RASA        := $(VENV_RASA)/bin/rasa
PY_RASA     := $(VENV_RASA)/bin/python
PY_ELIG     := $(VENV_ELIG)/bin/python

# What the Rasa model is trained from: a change to any of these retrains, nothing else does.
TRAINING_INPUTS := domain.yml config.yml $(shell find nlu -name '*.yml' 2>/dev/null | sort) \
                   $(wildcard bot/language/*.py)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL   := 2
export PYTHONDONTWRITEBYTECODE := 1
export TQDM_DISABLE           := 1

.PHONY: help run test setup lint validate pytest rasa-stories browser services lock reset clean

help:
	@echo "make run    set up everything, then start Relais and open a local chat (Ctrl-C stops it)"
	@echo "make test   set up everything, then run every test"
	@echo "make reset  delete local data (conversations, logs) — keeps environments and model"
	@echo "make clean  delete environments, model and local data"
	@echo "make lock   re-resolve requirements/*.in into the pinned requirements/*.lock"

## The two commands ----------------------------------------------------------

run: setup
	exec $(PY_RASA) -m bot.supervisor

test: setup lint validate pytest rasa-stories
	@echo "All Relais tests passed."

## Set-up --------------------------------------------------------------------

setup: $(RASA_STAMP) $(ELIG_STAMP) $(MODEL)

$(RASA_STAMP): requirements/rasa.lock scripts/make-venv
	scripts/make-venv 3.10 $(VENV_RASA) requirements/rasa.lock
	touch $@

$(ELIG_STAMP): requirements/eligibility.lock scripts/make-venv
	scripts/make-venv 3.11 $(VENV_ELIG) requirements/eligibility.lock
	touch $@

# Order-only on the environment: reinstalling packages does not by itself retrain.
$(MODEL): $(TRAINING_INPUTS) | $(RASA_STAMP)
	$(RASA) train --domain domain.yml --config config.yml --data nlu \
	    --out models --fixed-model-name relais
	touch $@

## Test steps (each also usable alone) --------------------------------------

lint: $(RASA_STAMP)
	$(VENV_RASA)/bin/ruff check .

validate: $(RASA_STAMP)
	$(RASA) data validate --domain domain.yml --data nlu --config config.yml --fail-on-warnings

# The console's end-to-end test drives a real headless Chromium (Debian's package) over the
# DevTools protocol. Installed once with apt-get (CI runs as root); nothing when present.
browser:
	@if ! command -v chromium >/dev/null; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium; \
	fi

# The store suites and the production tests start private PostgreSQL and Redis servers on
# loopback (tests/production/services.py), from Debian's packages: installed once here.
services:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends \
	        postgresql redis-server; \
	fi

pytest: setup browser services
	$(PY_ELIG) -m pytest tests/eligibility --confcutdir=tests/eligibility
	$(PY_RASA) -m pytest tests --ignore=tests/eligibility

rasa-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories \
	    --fail-on-prediction-errors --out var/test-results/rasa

## Maintenance ---------------------------------------------------------------

lock:
	scripts/lock-requirements 3.10 requirements/rasa.in requirements/rasa.lock
	scripts/lock-requirements 3.11 requirements/eligibility.in requirements/eligibility.lock

reset:
	rm -rf var

clean: reset
	rm -rf .venvs models
