# Every target sets up what it needs on a fresh machine and is quick on a second run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM_DIR := tools/npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium

.PHONY: run test lint setup clean bench

$(BIN)/sandyq: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_DIR)/node_modules/.stamp: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

.apt-stamp:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing apt packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	touch $@

setup: $(BIN)/sandyq $(NPM_DIR)/node_modules/.stamp .apt-stamp

run: $(BIN)/sandyq
	$(BIN)/sandyq build samples/physics-7-newton -o dist/physics-7-newton-scorm12.zip --scorm 1.2
	$(BIN)/sandyq build samples/physics-7-newton -o dist/physics-7-newton-scorm2004.zip --scorm 2004 --edition 4
	$(BIN)/sandyq validate dist/physics-7-newton-scorm12.zip dist/physics-7-newton-scorm2004.zip
	@echo "Packages are in dist/. Open dist/*.zip in Moodle, or unzip one and open index.html."

lint: $(BIN)/sandyq
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest -q

bench: $(BIN)/sandyq
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(NPM_DIR)/node_modules .apt-stamp dist tests/artifacts
