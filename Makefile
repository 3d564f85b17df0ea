# Etalase: every developer and staff task has one entry point here.
# `make html` and `make test` set everything up on a fresh machine.

PY        ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
PELICAN   := $(BIN)/pelican
ETALASE   := $(BIN)/etalase
STAMP     := $(VENV)/.installed
CHROMIUM  ?= /usr/bin/chromium
PORT      ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: help setup html publish serve devserver validate test browser clean lock scrape

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
	$(ETALASE) build --settings publishconf.py --output output

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

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Re-resolve requirements.txt from the top-level pins in requirements.in.
lock:
	rm -rf .venv-lock && $(PY) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --requirement requirements.in
	.venv-lock/bin/pip freeze --exclude-editable > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf output .output-* __pycache__ .pytest_cache
