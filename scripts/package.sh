#!/usr/bin/env bash
# Packs the npm package `zg-align` from package/ and the wasm in pkg/ (`make wasm`) into exactly
# one tarball in target/npm/ (the repository's own target dir); prints the tarball's path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/npm"
for f in zg_align.js zg_align.d.ts zg_align_bg.wasm zg_align_bg.wasm.d.ts; do
  [[ -f "$root/pkg/$f" ]] || { echo "pkg/$f is missing: run make wasm first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/stage/wasm"
# package/wasm is a link to pkg/ for the page; the package gets copies of the four files it ships.
find "$root/package" -maxdepth 1 -type f -exec cp {} "$out/stage/" \;
cp "$root"/pkg/zg_align{.js,.d.ts,_bg.wasm,_bg.wasm.d.ts} "$out/stage/wasm/"
(cd "$out" && npm pack ./stage --pack-destination . --silent >/dev/null)
rm -rf "$out/stage"
ls "$out"/zg-align-*.tgz
