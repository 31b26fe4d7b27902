# Massage for sciatica: build, check and test the site.
# Every target makes .venv from the lock (uv.lock) when it is missing or out
# of date, with the pinned installer (requirements-uv.txt), and installs only
# the dependency groups it needs: a fresh clone needs nothing else but the
# Debian packages in .ci/debian-packages.txt (.ci/install-debian-packages).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The pinned installer: uv, installed by hash into .uv/ (pip resolves nothing:
# uv has no dependencies), then uv installs .venv exactly as uv.lock says
UV_DIR := .uv
UV := $(UV_DIR)/bin/uv
# `--locked`: refuse a lock that no longer matches pyproject.toml, never
# resolve. `--inexact` for a target that needs fewer groups than another one
# installed: it adds what is missing and removes nothing
UV_SYNC := $(UV) sync --locked --quiet
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# scripts/ on the venv's path: MkDocs loads the site's own Markdown extension
# (scripts/glossary_first_use.py) by name, like any installed one
SCRIPTS_PTH = "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/massage-for-sciatica-scripts.pth"
NODE_STAMP := node_modules/.package-lock.json

# Quiet Material's end-of-life banner; dates in the build come from the last commit
export NO_MKDOCS_2_WARNING := 1
# pa11y's puppeteer (npm) drives Debian's Chromium: never download a browser
export PUPPETEER_SKIP_DOWNLOAD := 1
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: help signs site gate serve offline pdf lint linkcheck linkcheck-external test test-fast test-build test-browser bench audit screenshots clean new-page about-pages requirements

help: ## List the targets
	@echo "Usage: make <target>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

$(UV): requirements-uv.txt
	$(PYTHON) -m venv --clear $(UV_DIR)
	$(UV_DIR)/bin/pip install --quiet --no-deps --require-hashes -r requirements-uv.txt
	touch $@

# One environment, synced to the groups each target needs (a no-op in a
# fraction of a second when it has them already). The env-* targets are
# phony, so the check runs every time and a changed lock is never missed.
define sync
$(UV_SYNC) $(1)
@echo "$(CURDIR)/scripts" > $(SCRIPTS_PTH)
endef
.PHONY: env-build env-pdf env-test env-dev
env-build: $(UV)
	$(call sync,--inexact)
env-pdf: $(UV)
	$(call sync,--inexact --group pdf)
env-dev: $(UV)
	$(call sync,--inexact --group dev)
# The tests get exactly the lock's build, test and dev groups, nothing else
env-test: $(UV)
	$(call sync,--group test --group dev)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The urgency cards are generated from the signs table (docs/includes/signs.yml)
signs: env-build ## Write the urgency cards from the signs table (site, lint and serve do it first)
	$(BIN)/python -m pagelint.write_cards

site: signs ## Build the hosted site into site/ (strict, CSP, output gate; fail closed)
	$(BIN)/python scripts/build_site.py

# Not strict: a page with lint errors still rebuilds, its findings shown as warnings
PORT ?= 8000
serve: signs ## Live preview on http://127.0.0.1:8000 (PORT=8001 for another port; lint findings as warnings)
	@$(BIN)/python scripts/serve.py --port "$(PORT)"

offline: env-pdf $(NODE_STAMP) ## Build the offline bundle zip (print edition PDF inside) into dist/
	$(BIN)/python scripts/build_offline.py

pdf: env-pdf ## Build the print edition, one A4 PDF of the whole guide, into dist/
	$(BIN)/python scripts/build_pdf.py

lint: signs ## Lint every page (disclaimer, front matter, sources, claims...)
	$(BIN)/python scripts/lint_pages.py docs $(LINT_ARGS)

linkcheck: env-test $(NODE_STAMP) ## Check links and anchors with linkchecker (hosted and offline)
	$(BIN)/python scripts/check_links.py --report-dir build/linkcheck

linkcheck-external: env-test $(NODE_STAMP) ## Check external links too (needs a network)
	$(BIN)/python scripts/check_links.py --external --report-dir build/linkcheck

# Test processes (pytest-xdist, one test file per process at a time): two keep
# both cores of a small machine busy; TEST_WORKERS=0 runs all in this process
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The tiers (tests/conftest.py marks each test): fast (no build, no browser),
# build (a real build, once per run, and the checks of it), browser (Chromium)
test-fast: env-test $(NODE_STAMP) ## Tests that need no build and no browser (under a minute)
	TEST_TIER=fast $(PYTEST) -m "not build and not browser and not bench and not screenshots"

test-build: env-test $(NODE_STAMP) ## Tests of real builds (site, offline bundle, PDF, links, lint, gate), no browser
	$(PYTEST) -m "build and not browser and not bench and not screenshots"

test-browser: env-test $(NODE_STAMP) ## Tests in Chromium (phone and desktop, hosted and offline)
	$(PYTEST) -m "browser and not bench and not screenshots"

test: env-test $(NODE_STAMP) ## Every test, all tiers (build, lint, links, browser); TEST_WORKERS=0 for one process
	$(PYTEST)

bench: env-test $(NODE_STAMP) ## Measure build, lint, page weight, bundle size, search (checks itself first)
	$(PYTEST) -m bench -q
	PYTHONPATH=scripts $(BIN)/python -m bench $(BENCH_ARGS)

audit: site env-test $(NODE_STAMP) ## Lighthouse (5 pages, mobile + desktop) and pa11y (every page) over site/ -> build/audit.json
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

screenshots: site env-test $(NODE_STAMP) ## Phone and desktop screenshots, light and dark -> build/screenshots/
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)
	$(PYTEST) -m screenshots -q

new-page: env-build ## New page: make new-page SECTION=techniques TITLE="..."
	@test -n "$(SECTION)" -a -n "$(TITLE)" || { echo 'usage: make new-page SECTION=techniques TITLE="Hot stone massage"'; exit 2; }
	$(BIN)/python scripts/new_page.py --section "$(SECTION)" --title "$(TITLE)"

about-pages: env-build ## Regenerate the references list and glossary on the About pages
	$(BIN)/python scripts/about_pages.py

# The installer's version; `make requirements UV_VERSION=x.y.z` moves to another
UV_VERSION ?= $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements-uv.txt)
requirements: $(UV) ## Re-lock every dependency group (uv.lock) and the installer (requirements-uv.txt); UPGRADE=1 takes newer releases
	$(UV) lock $(if $(UPGRADE),--upgrade)
	{ sed -n '/^#/p' requirements-uv.txt; echo "uv==$(UV_VERSION)" | \
	  $(UV) pip compile --quiet --generate-hashes --universal --no-header - ; } > $(UV_DIR)/requirements-uv.txt.tmp
	mv $(UV_DIR)/requirements-uv.txt.tmp requirements-uv.txt

gate: env-build ## Run the output gate over site/ and the offline zip in dist/
	$(BIN)/python scripts/check_output.py site $(wildcard dist/*.zip)

clean: ## Remove build output (site/, dist/, build/), keep .venv and .uv
	rm -rf site dist build .pytest_cache .site.build-* .site.old-*
