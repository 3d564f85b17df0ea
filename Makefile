# Etalase: every developer and staff task has one entry point here.
# `make html` and `make test` set everything up on a fresh machine.

PY        ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
PELICAN   := $(BIN)/pelican
ETALASE   := $(BIN)/etalase
STAMP     := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
LH_STAMP  := bench/node_modules/.installed
CHROMIUM  ?= /usr/bin/chromium
PORT      ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: help setup html publish serve devserver validate test browser clean lock scrape bench-lighthouse

help:
	@echo "make html       bangun situs contoh ke output/"
	@echo "make test       jalankan semua uji"
	@echo "make validate   periksa semua data sumber tanpa membangun"
	@echo "make scrape     ambil data dari sistem lain (data/sumber.toml)"
	@echo "make serve      sajikan output/ di http://127.0.0.1:$(PORT)"
	@echo "make devserver  bangun ulang otomatis setiap ada perubahan"
	@echo "make publish    bangun untuk diterbitkan (publishconf.py)"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --requirement requirements.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $@

setup: $(STAMP)

html: $(STAMP)
	$(ETALASE) build --settings pelicanconf.py --output output

publish: $(STAMP)
	$(ETALASE) build --settings publishconf.py --output output --kompres

validate: $(STAMP)
	$(ETALASE) validate

# Pull the public data other systems publish (data/sumber.toml); see docs/scrape.md.
scrape: $(STAMP)
	$(ETALASE) scrape

serve: $(STAMP)
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

devserver: $(STAMP)
	$(ETALASE) devserver --port $(PORT)

# Debian's chromium for the browser tests (installs it when missing; needs root or sudo).
browser:
	@test -x $(CHROMIUM) || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Test tools from npm (axe-core, the W3C Nu HTML Checker); exact versions in package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; we use Debian's java.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Lighthouse is heavy and only the benchmark needs it: its own folder, lock and stamp.
$(LH_STAMP): bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Lighthouse scores and page weights of each page type (Debian chromium, mobile, 127.0.0.1).
bench-lighthouse: $(STAMP) $(LH_STAMP) browser
	CHROME_PATH=$(CHROMIUM) $(BIN)/python bench/lighthouse.py

test: $(STAMP) $(NPM_STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Re-resolve requirements.txt from the top-level pins in requirements.in.
lock:
	rm -rf .venv-lock && $(PY) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --requirement requirements.in
	.venv-lock/bin/pip freeze --exclude-editable > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf output .output-* __pycache__ .pytest_cache node_modules bench/node_modules
