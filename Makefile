# Every target sets up what it needs on a fresh machine and is quick on a second run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM_DIR := tools/npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium fonts-dejavu-core postgresql redis-server phpunit hey genisoimage \
  php8.2-cli php8.2-xml php8.2-zip php8.2-mbstring php8.2-pgsql php8.2-curl php8.2-gd \
  php8.2-intl php8.2-soap php8.2-readline

.PHONY: run test test-moodle lint setup clean bench fuzz security-report

$(BIN)/sandyq: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_DIR)/node_modules/.stamp: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

.apt-stamp: Makefile
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing apt packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	touch $@

setup: $(BIN)/sandyq $(NPM_DIR)/node_modules/.stamp .apt-stamp

SANDYQ := $(BIN)/sandyq
run: $(BIN)/sandyq
	@rm -rf dist && mkdir -p dist
	$(SANDYQ) build samples/physics-7-course -o dist/physics-7-course-scorm2004.zip
	$(SANDYQ) build samples/physics-7-course -o dist/physics-7-course-scorm12.zip --scorm 1.2
	$(SANDYQ) build samples/physics-7-newton -o dist/physics-7-newton-scorm12.zip --scorm 1.2
	$(SANDYQ) build samples/physics-7-newton -o dist/physics-7-newton-scorm2004.zip --scorm 2004
	$(SANDYQ) build samples/math-5-fractions-ru -o dist/math-5-fractions-ru-scorm12.zip
	$(SANDYQ) build samples/singles/fractions-ru.docx -o dist/fractions-ru-lesson.zip \
	  --lang ru --subject mathematics --grade 5
	$(SANDYQ) build samples/singles/fractions-ru-aiken.txt -o dist/fractions-ru-test.zip \
	  --lang ru --title "Обыкновенные дроби: тест" --subject mathematics --grade 5
	$(SANDYQ) validate dist/*.zip
	$(SANDYQ) inspect dist/physics-7-course-scorm2004.zip
	@echo "Packages are in dist/. Upload one to Moodle as a SCORM activity, or unzip it and open index.html."
	@echo "Starting the catalogue with demo accounts and the sample packages (Ctrl+C stops it)."
	$(SANDYQ) serve --demo --host 127.0.0.1 --port 5000 --data-dir instance

# deptry: every import is declared and every dependency used; lint-imports: the import
# contracts of docs/architecture.md (both configured in pyproject.toml).
lint: $(BIN)/sandyq
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/deptry .
	$(BIN)/lint-imports --no-cache --no-logo

# The real Moodle (tools/moodle.sh) is stood up by the `moodle` tests themselves, once.
test: setup lint
	url="$$(tools/postgres.sh start)" && SANDYQ_TEST_POSTGRES_URL="$$url" $(BIN)/pytest -q

test-moodle: setup
	url="$$(tools/postgres.sh start)" && SANDYQ_TEST_POSTGRES_URL="$$url" $(BIN)/pytest -q -m moodle

# The fuzz tests of tests/fuzz/ with their long profile: 100,000 generated inputs per target
# (docs/security.md); `make test` runs the same tests with 200. SANDYQ_FUZZ=10000 runs fewer.
SANDYQ_FUZZ ?= long
fuzz: $(BIN)/sandyq
	SANDYQ_FUZZ=$(SANDYQ_FUZZ) $(BIN)/pytest -q -p no:cacheprovider tests/fuzz \
	  --hypothesis-show-statistics

# The hostile corpus of tests/hostile/ through every surface; its figures into docs/security.md.
security-report: $(BIN)/sandyq
	$(BIN)/python tools/security_report.py

bench: $(BIN)/sandyq
	command -v wrk >/dev/null && command -v hey >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk hey; }
	url="$$(tools/postgres.sh start)" && SANDYQ_TEST_POSTGRES_URL="$$url" $(BIN)/python -m bench.run

clean:
	-tools/moodle.sh stop 2>/dev/null
	rm -rf $(VENV) $(NPM_DIR)/node_modules .apt-stamp dist tests/artifacts .moodle
