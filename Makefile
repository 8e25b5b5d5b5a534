# briefgen: two commands for a fresh machine.
#   make brief   set up and build the sample brief into out/
#   make test    set up and run every check (ruff, mypy strict, pytest)
# The Makefile creates its own virtual environment in .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLE := inputs/seoul-trilateral-2024-10-16.yaml
# Programs the real-client tests drive (LibreOffice, poppler, qpdf), from Debian packages,
# and the only fonts LibreOffice may see in the tests (DejaVu: a DOCX brings its own).
SYSTEM_TOOLS    := soffice pdftoppm pdftotext pdffonts qpdf
SYSTEM_FONTS    := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
SYSTEM_PACKAGES := libreoffice-writer-nogui poppler-utils qpdf fonts-dejavu-core

.PHONY: brief test lint typecheck unit schema countries bench bench-draft system-tools clean

brief: $(STAMP)
	$(BIN)/briefgen build $(SAMPLE) -o out

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-tools
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

# Installs the system tools when run as root (as CI is); otherwise says what to install.
system-tools:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	for font in $(SYSTEM_FONTS); do [ -f $$font ] || missing="$$missing $$font"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing from Debian packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	  else \
	    echo "error: the tests need$$missing: run 'sudo apt-get install $(SYSTEM_PACKAGES)'" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf out build dist .mypy_cache .ruff_cache .pytest_cache
