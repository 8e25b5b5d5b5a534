# briefgen: two commands for a fresh machine.
#   make brief   set up and build the sample brief into out/
#   make test    set up and run every check (ruff, mypy strict, pytest)
# The Makefile creates its own virtual environment in .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLE := inputs/seoul-trilateral-2024-10-16.yaml
# Programs the real-client tests drive (LibreOffice, poppler, qpdf, Chromium for the HTML
# page, npm for axe-core), each with the Debian package that provides it, and the only fonts
# LibreOffice may see in the tests (DejaVu: a DOCX brings its own). Only missing ones are
# installed, so an npm that came with another Node.js is left alone.
SYSTEM_TOOLS := soffice=libreoffice-writer-nogui pdftoppm=poppler-utils pdftotext=poppler-utils \
                pdffonts=poppler-utils pdfinfo=poppler-utils qpdf=qpdf chromium=chromium npm=npm
SYSTEM_FONTS := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core
# axe-core for the HTML accessibility tests, pinned by tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: brief test lint typecheck unit schema countries bench bench-draft system-tools clean

brief: $(STAMP)
	$(BIN)/briefgen build $(SAMPLE) -o out

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-tools $(AXE)
	$(BIN)/pytest

# Time cold and warm builds beside the import floor and peers (see bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/bench.py

# Score `briefgen draft` against hand-written briefs and time it (see bench/draft_quality.py).
bench-draft: $(STAMP)
	$(BIN)/python -m bench.draft_quality

# Regenerate schemas/*.schema.json from the models (a test fails when one is stale).
schema: $(STAMP)
	$(BIN)/briefgen schema > schemas/brief.schema.json
	$(BIN)/briefgen schema --theme > schemas/theme.schema.json

# Regenerate briefgen/models/countries.py from pycountry (a test fails when it is stale).
countries: $(STAMP)
	$(BIN)/python -m tests.models.test_countries

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installs the missing system tools when run as root (as CI is); otherwise says what to install.
system-tools:
	@packages=""; for pair in $(SYSTEM_TOOLS); do command -v $${pair%%=*} >/dev/null || packages="$$packages $${pair#*=}"; done; \
	for pair in $(SYSTEM_FONTS); do [ -f $${pair%%=*} ] || packages="$$packages $${pair#*=}"; done; \
	packages=$$(echo $$packages | tr ' ' '\n' | sort -u | xargs); \
	if [ -n "$$packages" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $$packages from Debian packages"; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$packages; \
	  else \
	    echo "error: the tests need Debian packages: run 'sudo apt-get install $$packages'" >&2; exit 1; \
	  fi; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json | system-tools
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	@test -f $(AXE) || { echo "error: npm ci did not install axe-core" >&2; exit 1; }
	touch $(AXE)

clean:
	rm -rf out build dist .mypy_cache .ruff_cache .pytest_cache tests/browser/node_modules
