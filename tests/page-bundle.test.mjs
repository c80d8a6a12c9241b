// The page runs one script, pkg/tab/main.js: www/main.js and its imports bundled by esbuild
// (scripts/bundle-tab.mjs, `make build`), so a browser starting cold fetches one file, not 21 six
// at a time (BENCHMARKS.md, "Rounds"). This holds the page to that file, and the file to the
// sources as they stand: a page edited without `make build` fails here, not in a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tabBundle, TAB_BUNDLE } from '../scripts/bundle-tab.mjs';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

test('the page loads the bundle and no other script', () => {
  const html = readFileSync(path.join(repo, 'www/index.html'), 'utf8');
  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
  assert.deepEqual(tags.filter((tag) => /\bsrc=/.test(tag)), ['<script type="module" src="/pkg/tab/main.js">']);
  // Besides it, the head's inline script that starts the worker: classic, and it imports nothing.
  assert.deepEqual(tags.filter((tag) => !/\bsrc=/.test(tag)), ['<script>']);
  assert.doesNotMatch(html.match(/<script>([\s\S]*?)<\/script>/)[1], /\bimport\b/);
  assert.equal(path.relative(repo, TAB_BUNDLE), 'pkg/tab/main.js');
});

test('the bundle is the sources as they stand', async () => {
  const fresh = await tabBundle();
  assert.deepEqual(Object.keys(fresh).sort(), [TAB_BUNDLE, `${TAB_BUNDLE}.map`]);
  for (const [file, text] of Object.entries(fresh)) {
    assert.ok(text.length > 1000, `${file} is ${text.length} bytes`);
    assert.equal(readFileSync(file, 'utf8'), text, `${path.relative(repo, file)} is out of date: run make build`);
  }
});
