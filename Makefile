# AstroBookings: `make run` serves the platform, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
TOOLS := $(CURDIR)/tools/node_modules/.bin

# Reflex and bun: no download of their own, caches inside the project (see docs/OPERATIONS.md).
export PATH := $(TOOLS):$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_BUN_PATH := $(TOOLS)/bun
export REFLEX_TELEMETRY_ENABLED := 0
export REFLEX_CHECK_LATEST_VERSION := 0
export REFLEX_HTTP_CLIENT_BIND_ADDRESS := 0.0.0.0
export REFLEX_DIR := $(CURDIR)/var/reflex
export BUN_INSTALL_CACHE_DIR := $(CURDIR)/var/cache/bun
export BUN_RUNTIME_TRANSPILER_CACHE_PATH := 0
export npm_config_cache := $(CURDIR)/var/cache/npm
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)
export XDG_CONFIG_HOME := $(CURDIR)/var/xdg/config
export XDG_CACHE_HOME := $(CURDIR)/var/xdg/cache
export XDG_RUNTIME_DIR ?= $(CURDIR)/var/xdg/runtime
$(shell mkdir -p var/xdg/runtime && chmod 700 var/xdg/runtime)
# swagger-ui-dist depends on @scarf/scarf, whose install script reports downloads: not from here.
export SCARF_ANALYTICS := false
# npm tools: bun and Node for Reflex; axe-core for the accessibility checks of the browser tests;
# Swagger UI and ReDoc, served by the app itself at /api/docs and /api/redoc (no CDN).
NPM_TOOLS := bun@1.4.4 node@22 axe-core@4.11.4 swagger-ui-dist@5.32.1 redoc@2.5.4
# The stamp names the list, so a changed list installs again.
TOOLS_STAMP := tools/.installed-$(shell echo '$(NPM_TOOLS)' | md5sum | cut -c1-8)

.PHONY: setup run admin test test-fast chromium bench clean demo-reset

setup: $(VENV)/.installed $(TOOLS_STAMP)

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

$(TOOLS_STAMP):
	# ReDoc's standalone bundle carries its own React: its peer packages are not needed.
	npm install --no-save --no-audit --no-fund --legacy-peer-deps --prefix tools $(NPM_TOOLS)
	touch $@

# Chromium for the end-to-end tests, from Debian's packages (never a browser download of its own).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH"; exit 1; fi; }

run: setup
	$(PY) -m astrobookings.dev.launcher

# The first administrator of a real install: `make admin EMAIL=ops@example.com` asks for the password.
admin: setup
	@test -n "$(EMAIL)" || { echo "Usage: make admin EMAIL=you@example.com [NAME='Your Name']"; exit 2; }
	$(PY) -m astrobookings.admin create-admin --email "$(EMAIL)" $(if $(NAME),--name "$(NAME)")

# The browser tests and the rest side by side, each on stores of its own (tests/parallel.py);
# PYTEST_ARGS makes it one plain pytest run with them.
test: setup chromium
	$(PY) -m tests.parallel $(PYTEST_ARGS)

# Unit and integration tests only (no browser).
test-fast: setup
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench.run_all

# Wipe the demo stores (embedded ones under var/ are started if need be) and load the demo year again.
demo-reset: setup
	$(PY) -m astrobookings.dev.demo reset

clean:
	rm -rf var .web .states
