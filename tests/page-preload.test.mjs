// The page names its whole module graph in <link rel="modulepreload"> (www/index.html), so the
// browser fetches every module at once instead of one level of imports after another (the worker
// starts tens of ms sooner on a warm cache: BENCHMARKS.md, "Rounds"). This holds the list to the
// graph the sources import: a module added without its link, or a link left behind, fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the page's server (relay/src/tab.rs) serves a URL path from. */
const fileOf = (urlPath) => (urlPath.startsWith('/package/') ? path.join(repo, urlPath) : path.join(repo, 'www', urlPath));

/** Every module `entry` (a URL path) imports statically, itself included, as URL paths. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (urlPath) => {
    if (seen.has(urlPath)) return;
    seen.add(urlPath);
    const source = readFileSync(fileOf(urlPath), 'utf8');
    for (const [, from, bare] of source.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*'([^']+)'|^\s*import\s*'([^']+)'/gms)) {
      visit(new URL(from ?? bare, `http://page${urlPath}`).pathname);
    }
  };
  visit(entry);
  return seen;
}

test('the page preloads exactly the modules its script imports', () => {
  const html = readFileSync(path.join(repo, 'www/index.html'), 'utf8');
  const [, entry] = html.match(/<script type="module" src="([^"]+)"><\/script>/);
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(([, href]) => new URL(href, 'http://page/').pathname);
  const graph = moduleGraph(new URL(entry, 'http://page/').pathname);
  assert.ok(graph.size > 10, `the graph from ${entry} has ${graph.size} modules`);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
});
