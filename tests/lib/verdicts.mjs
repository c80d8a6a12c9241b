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

// DA: the manifest's fault names and the verdict each must get. Rows of a signer are not signed:
// one that does not prove against its blob's root could be the relay's doing, so it accuses nobody.
const expectedDa = { null: 'healthy', 'forged-signature': 'misbehaving', 'below-quorum': 'misbehaving', withhold: 'unreachable', 'bad-row': 'unreachable' };

/** Waits for a DA row per blob (by data root) and signer (by account), then checks each verdict
 * and its evidence. */
export async function assertDaVerdicts(page, manifest) {
  const entities = [...manifest.da.blobs, ...manifest.da.signers];
  await page.waitForFunction((count) => document.querySelectorAll('#verdicts tr[data-kind="da"]').length === count, ...waitArgs(page, entities.length, 60000));
  const got = await page.$$eval('#verdicts tr[data-kind="da"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  for (const e of entities) {
    const row = got.find((r) => r.node === e.node);
    assert.ok(row, `row for ${e.id} (${e.node})`);
    assert.equal(row.verdict, expectedDa[e.fault], `${e.id} (${e.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === entities.find((e) => e.fault === fault).node).evidence;
  assert.match(byFault('forged-signature'), /badSignature/);
  assert.match(byFault('below-quorum'), /belowQuorum/);
  assert.match(byFault('bad-row'), /badRow .*localRoot/);
  assert.match(byFault('withhold'), /lost .*slice is missing/);
  const honestSigner = got.find((r) => r.node === manifest.da.signers.find((s) => s.fault === null).node).evidence;
  assert.match(honestSigner, /^\d+ sampled row\(s\) served, \d+ proven against their blob's data root$/);
}

// Validators: the manifest's fault names and the verdict each must get.
const expectedValidator = { offline: 'unreachable', slow: 'unreachable', equivocating: 'misbehaving' };

/** Waits for each faulty validator's verdict (rows are keyed by CometBFT address); no honest
 * validator may be accused or unreachable. */
export async function assertValidatorVerdicts(page, manifest) {
  const chain = manifest.cometbft;
  const faulty = chain.validators.filter((v) => v.fault !== null);
  await page.waitForFunction((want) => want.every(([address, verdict]) =>
    document.querySelector(`#verdicts tr[data-kind="validator"][data-node="${address}"]`)?.dataset.verdict === verdict),
  ...waitArgs(page, faulty.map((v) => [v.address, expectedValidator[v.fault]]), 90000));
  const got = await page.$$eval('#verdicts tr[data-kind="validator"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  const honest = new Set(chain.validators.filter((v) => v.fault === null).map((v) => v.address));
  const wrong = got.filter((r) => honest.has(r.node) && !['healthy', 'pending'].includes(r.verdict));
  assert.deepEqual(wrong, [], 'honest validators are healthy (or not yet judged)');
  assert.ok(got.filter((r) => r.verdict === 'healthy').length >= 50, 'most validators are judged healthy');
  const byFault = (fault) => got.find((r) => r.node === faulty.find((v) => v.fault === fault).address).evidence;
  assert.match(byFault('equivocating'), /^equivocation at height \d*5 round \d+: signed precommits for [0-9A-F]{64} and [0-9A-F]{64} \(DuplicateVoteEvidence in block \d*7;/);
  assert.match(byFault('offline'), /^offline: voted at none; signed 0, nil 0, missed \d+/);
  assert.match(byFault('slow'), /^lagging: missed too many; /);
  // The forged signature at one height is counted in its slot, against nobody: its owner (the
  // victim the manifest names) stays healthy.
  const forged = chain.faults.find((f) => f.fault === 'forged-signature');
  const victim = chain.validators.find((v) => v.id === forged.validator);
  const row = got.find((r) => r.node === victim.address);
  assert.equal(row?.verdict, 'healthy', `the forged slot's owner: ${row?.evidence}`);
  assert.match(row.evidence, /1 invalid signature\(s\) in its slot, counted against nobody/);
  assert.deepEqual(got.filter((r) => /invalid signature/.test(r.evidence)).map((r) => r.node), [victim.address], 'only that slot');
}

// Serving: the manifest's fault names and the verdict each must get (the model swap starts only
// after 150 rounds: healthy here). A record by another key, or over other bytes, could be the
// relay's doing: unreachable, with the fault named; a wrong canary answer under the provider's own
// signature is its own word: misbehaving.
const expectedServing = {
  null: 'healthy', 'unregistered-key': 'unreachable', 'tampered-response': 'unreachable', 'model-swap': 'healthy', timeout: 'unreachable', 'wrong-answer': 'misbehaving',
};

export async function assertServingVerdicts(page, manifest) {
  const providers = manifest.serving.providers;
  await page.waitForFunction((count) => document.querySelectorAll('#verdicts tr[data-kind="serving"]').length === count, ...waitArgs(page, providers.length, 60000));
  const got = await page.$$eval('#verdicts tr[data-kind="serving"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  for (const p of providers) {
    const row = got.find((r) => r.node === p.node);
    assert.ok(row, `row for ${p.id} (${p.node})`);
    assert.equal(row.verdict, expectedServing[p.fault], `${p.id} (${p.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === providers.find((p) => p.fault === fault).node).evidence;
  assert.match(byFault('unregistered-key'), /^unattributed: .*unregisteredSigner/);
  assert.match(byFault('tampered-response'), /^unattributed: .*responseMismatch/);
  assert.match(byFault('wrong-answer'), /^canaryMismatch: /);
  assert.match(byFault(null), /canary re-run, bit for bit|drift/);
}
