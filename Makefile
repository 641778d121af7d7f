# Tokenwarden's entry points. `make run` and `make test` do all set-up on a fresh Debian/Ubuntu
# machine: system packages (apt, with sudo when not root), npm packages, Rust crates.
#   make run        build the desktop app and open its window
#   make test       lint, then every test tier (core, CLI, app glue, UI, OS services, end to end)
#   make bench      benchmarks; prints figures, asserts nothing
#   make package    a .deb of the app and the CLI (release; PACKAGE_PROFILE=debug reuses the test build)
#   make lint       cargo fmt --check, clippy -D warnings, svelte-check, ESLint + Prettier
#   make e2e        only the end-to-end run (E2E_UNTIL="text" stops after the step titled so)
#   make app        build the debug app with the UI embedded (what the e2e drives)
#   make ui         build the UI alone (ui/dist)
#   make bindings   regenerate the UI's TypeScript types from the Rust IPC types
#   make fmt        format Rust and UI sources
#   make deps       install system packages (deps-system) and npm packages (deps-ui)
#   make help       this list (CONTRIBUTING.md says how to run one test of each kind)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APP_BIN := target/debug/tokenwarden
HARNESS := tests/harness/with-services.sh

# Building the app (Tauri v2 / WebKitGTK 4.1), and the real services the tests talk to.
BUILD_PACKAGES := build-essential pkg-config curl file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev
# keepassxc: its CLI imports our KeePassXC XML export in a test, to prove a user can move there; `make bench`
# times keepassxc-cli and the KeePassXC window beside ours.
# desktop-file-utils: the package test validates the .deb's .desktop entry;
# haskell-status-notifier-item-utils: status-notifier-watcher, so the end-to-end test can read and click the tray menu;
# python3: tests/e2e/close-window.py closes the window as a window manager would;
# procps (pkill) stops the notification daemon in the e2e; util-linux (setpriv, prlimit) runs the CLI as another user.
TEST_PACKAGES := xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools dunst xclip webkit2gtk-driver imagemagick \
	keepassxc haskell-status-notifier-item-utils python3 procps util-linux xdotool desktop-file-utils

# python3-venv: `make bench` installs detect-secrets in a venv under .tools/ to compare the disk scan with.
BENCH_PACKAGES := python3-venv

TOOLS := $(CURDIR)/.tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
# The scanners the disk-scan bench compares ours with (bench only, never tests).
RIPSECRETS := $(TOOLS)/bin/ripsecrets
DETECT_SECRETS := $(TOOLS)/detect-secrets/bin/detect-secrets

.PHONY: help run test lint bench deps deps-system deps-ui app ui fmt e2e bindings package

help:
	@sed -n 's/^#   //p' Makefile

## Set-up ------------------------------------------------------------------------------------

deps: deps-system deps-ui

deps-system:
	@missing=$$(for p in $(BUILD_PACKAGES) $(TEST_PACKAGES) $(BENCH_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || echo "$$p"; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it with rustup, then run make again." >&2; exit 1; }

ui/node_modules/.installed: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

deps-ui: deps-system ui/node_modules/.installed

# tauri-driver bridges WebDriver clients to WebKitWebDriver for the end-to-end tests.
$(TAURI_DRIVER):
	$(CARGO) install tauri-driver --locked --root $(TOOLS)

$(RIPSECRETS):
	$(CARGO) install ripsecrets --locked --root $(TOOLS)

$(DETECT_SECRETS):
	python3 -m venv $(TOOLS)/detect-secrets
	$(TOOLS)/detect-secrets/bin/pip install --quiet detect-secrets==1.5.0

## Build and run ------------------------------------------------------------------------------

ui: deps-ui
	cd ui && npm run build

# A debug build with ui/dist embedded (what the end-to-end tests drive); built once per run.
app: deps-ui
	cd ui && npm run tauri -- build --debug --no-bundle
	$(CARGO) build -p tokenwarden-tray --locked

run: app
	./$(APP_BIN)

# The .deb: the app, its .desktop entry and icons, tokenwarden-cli and tokenwarden-tray on PATH, and the
# tray's autostart entry in /etc/xdg/autostart (it exits at once for a user with no vault). The test run builds
# it from the debug build it already has (no second profile); a release one is the default.
PACKAGE_PROFILE ?= release
package: deps-ui
	$(CARGO) build $(if $(filter debug,$(PACKAGE_PROFILE)),,--release) -p tokenwarden-cli -p tokenwarden-tray --locked
	cd ui && npm run tauri -- build $(if $(filter debug,$(PACKAGE_PROFILE)),--debug,) --bundles deb \
		--config '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/tokenwarden-cli":"../target/$(PACKAGE_PROFILE)/tokenwarden-cli","/usr/bin/tokenwarden-tray":"../target/$(PACKAGE_PROFILE)/tokenwarden-tray","/etc/xdg/autostart/tokenwarden-tray.desktop":"crates/tray/tokenwarden-tray.desktop"}}}}}'

## Checks ------------------------------------------------------------------------------------

# Regenerates ui/src/lib/backend/generated.ts from the Rust IPC types (a test fails when it is stale).
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p tokenwarden --test bindings

fmt:
	$(CARGO) fmt --all
	cd ui && npm run format
	cd ui && node_modules/.bin/prettier --config .prettierrc.json --write ../tests/e2e

lint: deps-ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd ui && npm run check && npm run lint
	# The end-to-end runner is linted and formatted like the UI, with the UI's config and tools.
	ui/node_modules/.bin/eslint --config ui/eslint.config.js tests/e2e
	cd ui && node_modules/.bin/prettier --config .prettierrc.json --check ../tests/e2e

test: lint
	@echo "== UI: Vitest (components against the fake backend, Tauri backend against mockIPC)"
	cd ui && npm test
	@echo "== Rust: core, providers, CLI and app glue, with real gnome-keyring, D-Bus and X clipboard"
	./$(HARNESS) $(CARGO) test --workspace --locked
	@echo "== End to end: the real app window under Xvfb through tauri-driver + WebKitWebDriver"
	$(MAKE) e2e
	@echo "== Package: the .deb installs, its CLI runs, its .desktop entry validates, and it removes cleanly"
	$(MAKE) package PACKAGE_PROFILE=debug
	$(SUDO) tests/package/check-deb.sh target/debug/bundle/deb
	@echo "== All test tiers passed."

# The e2e drives the CLI too (a change made outside the window); `cargo test` has built it already.
e2e: app $(TAURI_DRIVER)
	$(CARGO) build -p tokenwarden-cli --locked
	{ ulimit -S -c 1024 || true; } && TAURI_DRIVER=$(TAURI_DRIVER) ./$(HARNESS) node tests/e2e/app.e2e.mjs $(APP_BIN)

bench: deps-ui $(TAURI_DRIVER) $(RIPSECRETS) $(DETECT_SECRETS)
	@echo "== Vault and CLI (release build)"
	$(CARGO) build --release -p tokenwarden-cli --locked
	TOKENWARDEN_CLI_BIN=$(CURDIR)/target/release/tokenwarden-cli $(CARGO) bench -p tokenwarden-core --bench vault --locked
	$(CARGO) bench -p tokenwarden-core --bench transfer --locked
	@echo "== CLI against keepassxc-cli: list and import of 10k entries, each tool's start-up and KDF subtracted"
	python3 src-tauri/crates/cli/benches/keepassxc_compare.py target/release/tokenwarden-cli
	@echo "== Providers: catalog load, detect, one check against the local fake provider server"
	$(CARGO) bench -p tokenwarden-providers --bench detect --locked
	@echo "== Disk scan: a generated 50,000-file, 500 MB tree, scanned by ours, ripsecrets and detect-secrets"
	$(CARGO) build --release --locked -p tokenwarden-scan --example bench_tree
	target/release/examples/bench_tree generate target/scan-bench/tree
	python3 src-tauri/crates/scan/benches/scan_compare.py target/scan-bench/tree target/scan-bench/tree.manifest.tsv \
		target/release/examples/bench_tree $(RIPSECRETS) $(DETECT_SECRETS)
	@echo "== Desktop app (release build, UI embedded), and the tray process it starts beside it"
	cd ui && npm run tauri -- build --no-bundle
	$(CARGO) build --release --locked -p tokenwarden-tray
	rm -rf target/bench-vault target/bench-vault-1k
	$(CARGO) run --release --locked -q -p tokenwarden-core --example seed_vault -- target/bench-vault 10000 bench-password
	$(CARGO) run --release --locked -q -p tokenwarden-core --example seed_vault -- target/bench-vault-1k 1000 bench-password
	TAURI_DRIVER=$(TAURI_DRIVER) ./$(HARNESS) node tests/e2e/bench.mjs target/release/tokenwarden target/bench-vault bench-password target/bench-vault-1k
	@echo "== Tray process (release build): idle memory with the window closed, on the 10k vault's index"
	./$(HARNESS) tests/e2e/bench-tray.sh target/release/tokenwarden-tray target/bench-vault
