#!/usr/bin/env node
// The tab's script as one file: www/main.js and everything it imports (www/ and the npm package's
// sources in package/, which the page imports as `/package/...`), bundled by esbuild into
// pkg/tab/main.js with its source map. The page loads that one file: a freshly started browser
// fetched the 21 modules six at a time (HTTP/1.1's connections to one server), each wave 50-80 ms,
// and the worker started about 80 ms later (median of 8) than with one file (BENCHMARKS.md,
// "Rounds"). The worker keeps its own entry, package/worker.js (the page names it).
//
//   node scripts/bundle-tab.mjs          writes pkg/tab/main.js and main.js.map
//   tabBundle() (imported)               the same bytes, in memory (tests/page-bundle.test.mjs)

import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TAB_BUNDLE = path.join(repo, 'pkg/tab/main.js');

/** esbuild's options; `write: false` gives the output files in memory. */
function options(write) {
  return {
    entryPoints: [path.join(repo, 'www/main.js')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    // Shipped minified (its source map names the sources): 120 to 77 KB, 34 to 25 KB gzipped.
    minify: true,
    sourcemap: 'linked',
    // Paths in the source map relative to the bundle, the same from any checkout.
    absWorkingDir: repo,
    outfile: TAB_BUNDLE,
    write,
    logLevel: 'warning',
    plugins: [{
      name: 'page-root',
      // The page's absolute imports, as its server maps them (relay/src/tab.rs).
      setup(b) { b.onResolve({ filter: /^\/package\// }, (args) => ({ path: path.join(repo, args.path) })); },
    }],
  };
}

/** The bundle and its map as esbuild makes them from the sources now: { [path]: text }. */
export async function tabBundle() {
  const result = await build(options(false));
  return Object.fromEntries(result.outputFiles.map((f) => [f.path, f.text]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(options(true));
}
