// What a devnet round's verdicts must show, for page tests in any browser driver (the calls
// used here, `$$eval`, are the same in playwright-core and puppeteer-core).

import assert from 'node:assert/strict';

/** The manifest's storage fault names and the verdict each must get. */
export const expectedStorage = { null: 'healthy', corrupt: 'misbehaving', 'wrong-index': 'misbehaving', withhold: 'unreachable', slow: 'unreachable' };

/** The page's storage rows. */
export function storageRows(page) {
  return page.$$eval('#verdicts tr[data-kind="storage"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, kind: tr.dataset.kind, verdict: tr.dataset.verdict,
    round: Number(tr.dataset.round), evidence: tr.querySelector('.evidence').textContent,
  })));
}

/** Every storage node of the manifest has its expected verdict, with the evidence of its fault. */
export function assertStorageVerdicts(manifest, got) {
  for (const node of manifest.storage) {
    const row = got.find((r) => r.node === node.id);
    assert.ok(row, `row for ${node.id}`);
    assert.equal(row.kind, 'storage');
    assert.equal(row.verdict, expectedStorage[node.fault], `${node.id} (${node.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === manifest.storage.find((n) => n.fault === fault).id).evidence;
  assert.match(byFault('corrupt'), /leafMismatch/);
  assert.match(byFault('wrong-index'), /positionMismatch|dataLength/);
  assert.match(byFault('withhold'), /withheld/);
  assert.match(byFault('slow'), /timeout/);
}

/** `kind:id` of every honest node of every kind in the manifest (as verdict events name them). */
export function honestIds(manifest) {
  const ids = (kind, list) => list.filter((n) => n.fault === null).map((n) => `${kind}:${n.id}`);
  return new Set([...ids('storage', manifest.storage), ...ids('da', [...manifest.da.blobs, ...manifest.da.signers]), ...ids('validator', manifest.validators), ...ids('serving', manifest.serving.providers)]);
}
