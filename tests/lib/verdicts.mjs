// What a devnet round's verdicts must show, for page tests in any browser driver (the calls
// used here, `$$eval`, are the same in playwright-core and puppeteer-core).

import assert from 'node:assert/strict';

/** The manifest's storage fault names and the verdict each must get: a segment that fails its
 * proof is the node's fault when the page saw it itself or through a relay it trusts
 * (`trustRelay=1`, `transport=http`), else only unverifiable (docs/trust.md). */
export function expectedStorage(trusted) {
  const proofFails = trusted ? 'misbehaving' : 'unverifiable';
  return { null: 'healthy', corrupt: proofFails, 'wrong-index': proofFails, withhold: 'unreachable', slow: 'unreachable' };
}

/** The page's storage rows. */
export function storageRows(page) {
  return page.$$eval('#verdicts tr[data-kind="storage"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, kind: tr.dataset.kind, verdict: tr.dataset.verdict,
    round: Number(tr.dataset.round), evidence: tr.querySelector('.evidence').textContent,
  })));
}

/** Every storage node of the manifest has its expected verdict, with the evidence of its fault
 * (storage rows are keyed by the node's URL). */
export function assertStorageVerdicts(manifest, got, { trusted = true } = {}) {
  const expected = expectedStorage(trusted);
  for (const node of manifest.storage) {
    const row = got.find((r) => r.node === node.rpc);
    assert.ok(row, `row for ${node.id} (${node.rpc})`);
    assert.equal(row.kind, 'storage');
    assert.equal(row.verdict, expected[node.fault], `${node.id} (${node.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === manifest.storage.find((n) => n.fault === fault).rpc).evidence;
  assert.match(byFault('corrupt'), /leafMismatch/);
  assert.match(byFault('wrong-index'), /positionMismatch|dataLength/);
  assert.match(byFault('withhold'), /withheld/);
  assert.match(byFault('slow'), /timeout/);
}

/** Waits until every storage node of the manifest has a row from round `minRound` or later. */
export function waitForStorageRound(page, manifest, minRound, timeout) {
  const urls = manifest.storage.map((n) => n.rpc);
  // (playwright passes one argument object, puppeteer spreads its arguments: one object serves both)
  return page.waitForFunction(({ urls, minRound }) => urls.every((url) => {
    const tr = document.querySelector(`#verdicts tr[data-kind="storage"][data-node="${CSS.escape(url)}"]`);
    return tr && Number(tr.dataset.round) >= minRound;
  }), ...waitArgs(page, { urls, minRound }, timeout));
}

/** Waits until every storage node of `manifest` has its expected verdict in a round after `lastRound`. */
export function waitForStorageVerdictsAfter(page, manifest, lastRound, timeout, { trusted = true } = {}) {
  const expected = expectedStorage(trusted);
  const want = Object.fromEntries(manifest.storage.map((n) => [n.rpc, expected[n.fault]]));
  return page.waitForFunction(({ want, lastRound }) => Object.entries(want).every(([node, verdict]) => {
    const tr = document.querySelector(`#verdicts tr[data-kind="storage"][data-node="${CSS.escape(node)}"]`);
    return tr && Number(tr.dataset.round) > lastRound && tr.dataset.verdict === verdict;
  }), ...waitArgs(page, { want, lastRound }, timeout));
}

/** waitForFunction's (argument, options) in the order of the page's driver: playwright takes
 * (arg, options), puppeteer (options, ...args); only a playwright page has `context()`. */
function waitArgs(page, arg, timeout) {
  return typeof page.context === 'function' ? [arg, { timeout }] : [{ timeout }, arg];
}

/** `kind:id` of every honest node of every kind in the manifest (as verdict events name them;
 * storage nodes by URL, validators by CometBFT address, DA signers and serving providers by account, DA blobs by data root). */
export function honestIds(manifest) {
  const ids = (kind, list, key = 'id') => list.filter((n) => n.fault === null).map((n) => `${kind}:${n[key]}`);
  return new Set([...ids('storage', manifest.storage, 'rpc'), ...ids('da', [...manifest.da.blobs, ...manifest.da.signers], 'node'), ...ids('validator', manifest.cometbft.validators, 'address'), ...ids('serving', manifest.serving.providers, 'node')]);
}
