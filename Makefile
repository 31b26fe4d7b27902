# Massage for sciatica: build, check and test the site.
# Every target sets up .venv from the pinned requirements.txt when it is
# missing or older than requirements.txt, so a fresh clone needs nothing else.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.requirements-installed
# scripts/ on the venv's path: MkDocs loads the site's own Markdown extension
# (scripts/glossary_first_use.py) by name, like any installed one
VENV_PATHS := $(VENV)/.scripts-on-path
NODE_STAMP := node_modules/.package-lock.json

# Quiet Material's end-of-life banner; dates in the build come from the last commit
export NO_MKDOCS_2_WARNING := 1
# pa11y's puppeteer (npm) drives Debian's Chromium: never download a browser
export PUPPETEER_SKIP_DOWNLOAD := 1
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: help site gate serve offline pdf lint linkcheck linkcheck-external test bench audit screenshots clean new-page about-pages requirements

help: ## List the targets
	@echo "Usage: make <target>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

$(VENV_STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV_PATHS): $(VENV_STAMP)
	echo "$(CURDIR)/scripts" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/massage-for-sciatica-scripts.pth"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV_PATHS) ## Build the hosted site into site/ (strict, CSP, output gate; fail closed)
	$(BIN)/python scripts/build_site.py

# Not strict: a page with lint errors still rebuilds, its findings shown as warnings
PORT ?= 8000
serve: $(VENV_PATHS) ## Live preview on http://127.0.0.1:8000 (PORT=8001 for another port; lint findings as warnings)
	@$(BIN)/python scripts/serve.py --port "$(PORT)"

offline: $(VENV_PATHS) $(NODE_STAMP) ## Build the offline bundle zip (print edition PDF inside) into dist/
	$(BIN)/python scripts/build_offline.py

pdf: $(VENV_PATHS) ## Build the print edition, one A4 PDF of the whole guide, into dist/
	$(BIN)/python scripts/build_pdf.py

lint: $(VENV_PATHS) ## Lint every page (disclaimer, front matter, sources, claims...)
	$(BIN)/python scripts/lint_pages.py docs $(LINT_ARGS)

linkcheck: $(VENV_PATHS) $(NODE_STAMP) ## Check links and anchors with linkchecker (hosted and offline)
	$(BIN)/python scripts/check_links.py --report-dir build/linkcheck

linkcheck-external: $(VENV_PATHS) $(NODE_STAMP) ## Check external links too (needs a network)
	$(BIN)/python scripts/check_links.py --external --report-dir build/linkcheck

# Test processes (pytest-xdist, one test file per process at a time): two keep
# both cores of a small machine busy; TEST_WORKERS=0 runs all in this process
TEST_WORKERS ?= 2

test: $(VENV_PATHS) $(NODE_STAMP) ## Run every test (build, lint, links, browser); TEST_WORKERS=0 for one process
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(VENV_PATHS) $(NODE_STAMP) ## Measure build, lint, page weight, bundle size, search
	PYTHONPATH=scripts $(BIN)/python -m bench $(BENCH_ARGS)

audit: site $(NODE_STAMP) ## Lighthouse (5 pages, mobile + desktop) and pa11y (every page) over site/ -> build/audit.json
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

screenshots: site ## Phone and desktop screenshots, light and dark, of 5 pages -> build/screenshots/after
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

new-page: $(VENV_PATHS) ## New page: make new-page SECTION=techniques TITLE="..."
	@test -n "$(SECTION)" -a -n "$(TITLE)" || { echo 'usage: make new-page SECTION=techniques TITLE="Hot stone massage"'; exit 2; }
	$(BIN)/python scripts/new_page.py --section "$(SECTION)" --title "$(TITLE)"

about-pages: $(VENV_PATHS) ## Regenerate the references list and glossary on the About pages
	$(BIN)/python scripts/about_pages.py

requirements: ## Re-pin requirements.txt (with hashes) from requirements.in
	$(PYTHON) -m venv build/pip-tools
	build/pip-tools/bin/pip install --quiet pip-tools
	build/pip-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in

gate: $(VENV_PATHS) ## Run the output gate over site/ and the offline zip in dist/
	$(BIN)/python scripts/check_output.py site $(wildcard dist/*.zip)

clean: ## Remove build output (site/, dist/, build/), keep .venv
	rm -rf site dist build .pytest_cache .site.build-* .site.old-*
