# zg-align: `make run` starts the devnet and serves the tab; `make test` runs every test.
# Each target installs what a fresh machine lacks (scripts/setup.sh), skipping what is there.

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# One cargo target dir for every clone on this machine (CI clones included): dependencies build once.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/zg-align/target
# What ships is built with one codegen unit: the wasm module by its own cargo profile, `wasm`
# (size-optimised but for crate/crypto); the native benchmarks with LTO too (scripts/bench.sh).
HTTP ?= 127.0.0.1:8080
export ZG_ALIGN_DEVNET := $(CARGO_TARGET_DIR)/release/zg-align-devnet
DEVNET := $(ZG_ALIGN_DEVNET)

.PHONY: setup build wasm tab package devnet relay run test test-native test-wasm test-js bench clean
NETWORK ?= mainnet

setup:
	@scripts/setup.sh

devnet: setup
	cargo build --release -p zg-align-devnet -p zg-align-relay

# A relay in front of 0G's real network (NETWORK=mainnet|testnet|PATH.toml), serving the tab too.
relay: build
	$(CARGO_TARGET_DIR)/release/zg-align-relay --network $(NETWORK) --http 127.0.0.1:8090

# The `wasm` profile (Cargo.toml): one codegen unit, optimised for size but for the hot crypto
# (crate/crypto and the crates under it at opt-level 3).
wasm: setup
	wasm-pack build --profile wasm --target web --out-dir ../pkg --out-name zg_align crate

# The tab's script: www/main.js and its imports as one file, pkg/tab/main.js (scripts/bundle-tab.mjs).
tab: setup
	node scripts/bundle-tab.mjs

# The npm package `zg-align` (package/ with the wasm): exactly one tarball in target/npm/.
package: wasm
	scripts/package.sh

build: devnet wasm tab

run: build
	$(DEVNET) serve --http $(HTTP)

test: build test-native test-wasm test-js

test-native:
	cargo test --workspace --release

# The runner gives each test binary 20 s by default; the SDK cross-check takes about 8 s in
# Chromium, which a loaded machine can stretch. The same tests then run in headless Firefox
# (geckodriver from setup), reusing the wasm built for Chromium. `serve` adds the relay's half of
# the check codec, which the shipped module leaves out, for the tests that run both halves.
# crate/crypto's own unit tests (BLS batching, BN254) run in both browsers too.
test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --chrome crate --features serve
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --firefox crate --features serve
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --chrome crate/crypto
	WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless --firefox crate/crypto

test-js:
	node --test tests/

bench: build
	scripts/bench.sh

clean:
	cargo clean
	rm -rf pkg
