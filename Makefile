# zg-align: `make run` starts the devnet and serves the tab; `make test` runs every test.
# Each target installs what a fresh machine lacks (scripts/setup.sh), skipping what is there.

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
HTTP ?= 127.0.0.1:8080
DEVNET := target/release/zg-align-devnet

.PHONY: setup build wasm devnet run test test-native test-wasm test-js bench clean

setup:
	@scripts/setup.sh

devnet: setup
	cargo build --release -p zg-align-devnet

wasm: setup
	wasm-pack build --release --target web --out-dir ../pkg --out-name zg_align crate

build: devnet wasm

run: build
	$(DEVNET) serve --http $(HTTP)

test: build test-native test-wasm test-js

test-native:
	cargo test --workspace --release

# The runner gives each test binary 20 s by default; the SDK cross-check takes about 8 s in
# Chromium, which a loaded machine can stretch. The same tests then run in headless Firefox
# (geckodriver from setup), reusing the wasm built for Chromium.
test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --chrome crate
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --firefox crate

test-js:
	node --test tests/

bench: build
	scripts/bench.sh

clean:
	cargo clean
	rm -rf pkg
