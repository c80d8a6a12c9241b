// The page as a person reads it: every verdict variant in words (none says "undefined"), then in
// headless Chromium against the devnet the first screen (a headline, a card per kind with counts,
// problems first, groups that fold, validators as a grid), an accusation's evidence with its raw
// JSON, the verdict history (kept across a reload, bounded, charted) and the export. It takes the
// screenshots of docs/page.md: into docs/screenshots/ with UPDATE_SCREENSHOTS=1, else into a
// temporary directory (a test run leaves the work tree as it found it).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDevnet, repoRoot } from './lib/devnet.mjs';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { VERDICT_VARIANTS, UNSAID } from './lib/verdict-variants.mjs';
import { describeVerdict, VERDICT_ORDER } from '../package/verdicts.js';

const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
// A 20-height chain verified whole in the first round: the validator faults show at once.
const QUERY = 'autostart=1&roundIntervalMs=1000&requestTimeoutMs=3000&validatorBudgetMs=60000';

/** Waits until a round after `after` has finished. */
async function roundFinished(page, after) {
  await page.waitForFunction((n) => document.querySelector('#round').dataset.state === 'finished' && Number(document.querySelector('#round').dataset.round) > n, after, { timeout: 120000 });
  return page.$eval('#round', (e) => Number(e.dataset.round));
}

test('every verdict variant reads as words, with its fault named', () => {
  for (const [kind, verdict] of VERDICT_VARIANTS) {
    const text = describeVerdict(kind, verdict);
    const shape = JSON.stringify(verdict).slice(0, 160);
    assert.doesNotMatch(text, UNSAID, `${kind} ${shape}: ${text}`);
    assert.doesNotMatch(text, /^verdict /, `${kind} ${shape} is said field by field: its describer misses it`);
    const fault = verdict.evidence?.fault ?? verdict.reason;
    const code = fault?.kind === 'signature' ? fault.signature.kind : fault?.kind;
    if (code) assert.ok(text.includes(code), `${kind} ${shape} names its fault ${code}: ${text}`);
  }
  // A shape from a newer node is said field by field, still without "undefined".
  assert.doesNotMatch(describeVerdict('storage', { verdict: 'someday', detail: { kind: 'novel', at: null } }), UNSAID);
  assert.doesNotMatch(describeVerdict('nokind', { verdict: 'healthy' }), UNSAID);
});

/** Text a reader sees on the board, and every verdict row's words. */
const boardText = (page) => page.evaluate(() => [
  document.querySelector('#headline').textContent, ...[...document.querySelectorAll('.zg-card, .zg-group > summary, .zg-tile-detail')].map((e) => e.textContent),
  ...[...document.querySelectorAll('#verdicts tr[data-kind]')].map((tr) => tr.querySelector('.evidence').textContent),
]);

test('the first screen, an accusation, the history and the export, in Chromium', { timeout: 240000 }, async () => {
  const devnet = await startDevnet(['--heights', '20']);
  const browser = await launchChromium();
  const SHOTS = UPDATE_SCREENSHOTS ? path.join(repoRoot, 'docs/screenshots') : await mkdtemp(path.join(os.tmpdir(), 'zg-align-shots-'));
  await mkdir(SHOTS, { recursive: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
    // First through the relay as an untrusted one (failed proofs only unverifiable), then as the
    // owner's own: the history of the corrupt storage node shows both.
    await page.goto(`${devnet.url}/?${QUERY}`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 20000 });
    const untrusted = await roundFinished(page, 0);
    await page.waitForFunction(() => Number(document.querySelector('#history').dataset.records) > 0, null, { timeout: 10000 });
    await page.goto(`${devnet.url}/?${QUERY}&trustRelay=1`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 20000 });
    // Two finished rounds: every kind judged, the validators' faults seen.
    await roundFinished(page, untrusted + 1);
    await page.waitForSelector('#verdicts tr[data-kind="validator"][data-verdict="misbehaving"]', { timeout: 60000 });
    await page.waitForTimeout(200);

    // No word a reader should not see, on a real round's board.
    for (const text of await boardText(page)) assert.doesNotMatch(text, UNSAID, text);
    assert.equal(await page.$eval('#headline', (e) => e.dataset.health), 'problems');
    assert.match(await page.$eval('#headline', (e) => e.textContent), /^\d+ of \d+ nodes need attention: \d+ misbehaving/);

    // A card per kind: counts by verdict that add up to its rows, the last round, the next one.
    const cards = await page.$$eval('.zg-card', (cs) => cs.map((c) => ({
      kind: c.dataset.kind, hidden: c.hidden, total: Number(c.dataset.total), worst: c.dataset.worst, text: c.textContent,
      counts: [...c.querySelectorAll('.zg-count')].map((x) => [x.dataset.verdict, Number(x.dataset.count)]),
      rows: document.querySelectorAll(`#verdicts tr[data-kind="${c.dataset.kind}"]`).length,
    })));
    for (const card of cards) {
      assert.equal(card.hidden, false, `${card.kind} shown`);
      assert.equal(card.counts.reduce((a, [, n]) => a + n, 0), card.rows, `${card.kind}: counts add up`);
      assert.equal(card.total, card.rows);
      assert.match(card.text, /last round \d+/);
      assert.match(card.text, /next round in \d+ s|next round starting|round \d+ running/);
    }
    // Problems first: the cards by their worst verdict, and each group's rows by verdict.
    const rank = (v) => VERDICT_ORDER.indexOf(v);
    const worst = cards.map((c) => rank(c.worst));
    assert.deepEqual(worst, [...worst].sort((a, b) => a - b), 'kinds with problems first');
    const order = await page.$$eval('.zg-group tbody', (bodies) => bodies.map((b) => [...b.children].map((tr) => tr.dataset.verdict)));
    for (const verdicts of order) assert.deepEqual(verdicts.map(rank), verdicts.map(rank).sort((a, b) => a - b), `problems first: ${verdicts}`);

    // Validators as a grid: many tiles a line, the whole set in a few hundred pixels.
    const grid = await page.$eval('.zg-group[data-kind="validator"]', (g) => {
      const tiles = [...g.querySelectorAll('tbody tr')].map((tr) => tr.getBoundingClientRect());
      return { display: getComputedStyle(g.querySelector('tbody')).display, tiles: tiles.length, perLine: tiles.filter((r) => r.top === tiles[0].top).length, height: g.getBoundingClientRect().height };
    });
    assert.equal(grid.display, 'grid');
    assert.ok(grid.tiles >= 100 && grid.perLine >= 10 && grid.height < 600, `validator grid ${JSON.stringify(grid)}`);
    const firstScreen = path.join(SHOTS, 'first-screen.png');
    await page.screenshot({ path: firstScreen });

    // Groups fold, their rows still there.
    const storageRows = await page.$$eval('#verdicts tr[data-kind="storage"]', (trs) => trs.length);
    await page.click('.zg-group[data-kind="storage"] > summary');
    assert.equal(await page.$eval('.zg-group[data-kind="storage"]', (g) => g.open), false);
    assert.equal(await page.$$eval('#verdicts tr[data-kind="storage"]', (trs) => trs.length), storageRows);
    await page.click('.zg-group[data-kind="storage"] > summary');

    // An accusation: the equivocating validator's tile, in words, its raw JSON open and downloadable.
    await page.click('#verdicts tr[data-kind="validator"][data-verdict="misbehaving"]');
    const detail = page.locator('.zg-group[data-kind="validator"] .zg-tile-detail');
    assert.match(await detail.locator('.zg-words').textContent(), /^equivocation at height \d+ round \d+: signed precommits for [0-9A-F]{64} and [0-9A-F]{64}/);
    await detail.locator('.zg-raw > summary').click();
    // (The JSON is written when the details open: on their toggle event, a task later.)
    await detail.locator('.zg-raw pre', { hasText: '"kind"' }).waitFor();
    const raw = JSON.parse(await detail.locator('.zg-raw pre').textContent());
    assert.equal(raw.kind, 'validator');
    assert.equal(raw.verdict.verdict, 'misbehaving');
    assert.equal(raw.verdict.evidence[0].voteA.height, raw.verdict.evidence[0].voteB.height);
    const [saved] = await Promise.all([page.waitForEvent('download'), detail.locator('.zg-raw button', { hasText: 'Download' }).click()]);
    assert.deepEqual(JSON.parse(await readFile(await saved.path(), 'utf8')), raw);
    await detail.scrollIntoViewIfNeeded();
    await page.locator('.zg-group[data-kind="validator"]').screenshot({ path: path.join(SHOTS, 'evidence.png') });
    // A storage accusation's raw JSON, from its row.
    const row = page.locator('#verdicts tr[data-kind="storage"][data-verdict="misbehaving"]').first();
    await row.locator('.zg-raw > summary').click();
    await row.locator('.zg-raw pre', { hasText: '"kind"' }).waitFor();
    assert.ok(JSON.parse(await row.locator('.zg-raw pre').textContent()).verdict.evidence.fault.kind);
    await row.locator('.zg-raw > summary').click();

    // History: a chart of the node picked on the board, kept in IndexedDB.
    const node = await row.getAttribute('data-node');
    await row.locator('td.evidence').click();
    await page.waitForFunction((n) => document.querySelector('#history-chart').dataset.node === n && document.querySelector('#history-chart svg rect'), node, { timeout: 10000 });
    const records = await page.$eval('#history', (e) => Number(e.dataset.records));
    assert.ok(records >= cards.reduce((a, c) => a + c.rows, 0), `a record per node at least: ${records}`);
    assert.deepEqual(await page.$$eval('#history-chart svg rect', (rs) => rs.map((r) => r.dataset.verdict)), ['unverifiable', 'misbehaving'], 'its verdicts over time');
    assert.match(await page.$eval('#history-chart p', (e) => e.textContent), /^Since .*: misbehaving \d+(\.\d)?%, unverifiable \d+(\.\d)?% of the time\.$/);
    await page.locator('#history').scrollIntoViewIfNeeded();
    await page.locator('#history').screenshot({ path: path.join(SHOTS, 'history.png') });

    // The export: the history and the signed reports, as one JSON file.
    const [exported] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = JSON.parse(await readFile(await exported.path(), 'utf8'));
    assert.equal(file.format, 'zg-align-export/1');
    assert.ok(file.history.records.length >= records && file.history.latest.length > 0);
    assert.deepEqual(file.history.records.filter((r) => r.node === node).map((r) => r.verdict), ['unverifiable', 'misbehaving']);
    assert.ok(Array.isArray(file.reports));

    // The board hears every node's verdict again each round and ticks every second: what did not
    // change is not written again (each write costs the page a style, layout and paint pass). A
    // second board, given this one's verdicts, then given them once more with a refresh and a
    // tick, is left untouched (it hears nothing from the running node, whose rounds go on).
    const rewrites = await page.evaluate(async () => {
      const { VerdictBoard } = await import('/package/index.js');
      const container = document.body.appendChild(document.createElement('div'));
      const copy = new VerdictBoard(container);
      const events = window.zgAlign.board.rows.map((row) => row.event);
      const settled = () => new Promise((resolve) => setTimeout(resolve, 50)); // the refresh each verdict queues
      for (const event of events) copy.onEvent(event);
      await settled();
      const changed = [];
      const keep = (records) => {
        for (const r of records) changed.push(`${r.type} ${r.attributeName ?? ''} on ${r.target.nodeName} ${r.target.className ?? ''}`);
      };
      const observer = new MutationObserver(keep);
      observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
      for (const event of events) copy.onEvent(event);
      copy.refresh();
      copy.showNext();
      await settled();
      keep(observer.takeRecords());
      observer.disconnect();
      copy.dispose();
      container.remove();
      return { rows: events.length, changed };
    });
    assert.ok(rewrites.rows > 100, `the board's rows: ${rewrites.rows}`);
    assert.deepEqual(rewrites.changed, [], 'an unchanged board is not rewritten');

    // Across a reload (not started again: no new rounds) the history is there, bounded when asked.
    await page.goto(`${devnet.url}/?historyMaxRecords=50`);
    await page.waitForFunction(() => Number(document.querySelector('#history').dataset.records) > 0, null, { timeout: 10000 });
    assert.equal(await page.$eval('#history', (e) => Number(e.dataset.records)), 50, 'pruned to the cap, the oldest first');
    assert.equal(await page.$eval('#history-retention', (e) => e.value), '7');
    // The retention: records older than it go (here: as if two days had passed with 1 day kept).
    await page.selectOption('#history-retention', '1');
    const left = await page.evaluate(async () => {
      await window.zgAlign.history.prune(Date.now() + 2 * 86400000);
      return window.zgAlign.history.count();
    });
    assert.equal(left, 0);
    await page.reload();
    assert.equal(await page.$eval('#history-retention', (e) => e.value), '1', 'the retention setting is kept');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await browser.close();
    await devnet.stop();
    if (!UPDATE_SCREENSHOTS) await rm(SHOTS, { recursive: true, force: true });
  }
});
