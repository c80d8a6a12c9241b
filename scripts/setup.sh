#!/usr/bin/env bash
# Installs what `make run` and `make test` need, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$want" --locked
fi

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack 0.15.1" ]; then
  echo "setup: installing wasm-pack 0.15.1"
  cargo install wasm-pack --version 0.15.1 --locked
fi

# Debian's binaryen (wasm-opt 108) writes broken modules for this wasm-bindgen: never install it.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing Debian chromium and chromium-driver"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Firefox for the core's wasm tests (through geckodriver) and the page tests (puppeteer-core over
# WebDriver BiDi drives the stock build; Playwright cannot).
if [ ! -x /usr/bin/firefox-esr ]; then
  echo "setup: installing Debian firefox-esr"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq firefox-esr >/dev/null
fi
if ! command -v geckodriver >/dev/null; then
  echo "setup: installing geckodriver (about 3 minutes)"
  cargo install geckodriver --locked
fi

# npm packages (reference SDKs, playwright-core, puppeteer-core, binaryen's wasm-opt) at the locked versions.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.zg-align-lock; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.zg-align-lock
fi
