// Two relays at once (`zg-align-devnet serve --relays 2`; docs/trust.md, "Two relays"): the page
// dials both from the manifest, each its own peer connection, and what the first relay's path
// cannot settle is looked at again through the second. With the first relay lying (forge: unsigned
// bytes changed; hide: every other node answered with failures; strip-votes: validator-004's votes
// dropped from every commit) and the second honest, every honest storage node, DA entity, serving
// provider and validator-004 ends healthy, the faulty nodes keep their verdicts, the lies
// are shown as relay 0's faults, and no honest node of any kind is ever misbehaving. With two
// honest relays an unsigned storage fault seen through both is misbehaving, both paths in its
// evidence. A second relay whose hello names another chain is refused and not used.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevnet } from './lib/devnet.mjs';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { honestIds } from './lib/verdicts.mjs';
import { waitForRelay, recordVerdicts, recorded, roundsFinished, currentRound } from './lib/relays.mjs';

const QUERY = 'autostart=1&requestTimeoutMs=3000&roundIntervalMs=500&validatorBudgetMs=60000';

/** A page on `devnet` with both relays connected; resolves to the page, its errors and the first
 * round that starts with the second path there. */
async function openWithTwoRelays(browser, devnet, { relayState = 'connected' } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
  await page.goto(`${devnet.url}/?${QUERY}`);
  await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 30000 });
  await waitForRelay(page, 1, relayState, 60000);
  await recordVerdicts(page);
  return { page, errors, from: (await currentRound(page)) + 1 };
}

/** The manifest's storage nodes and DA entities by fault name, as verdict ids. */
function idsByFault(manifest) {
  const ids = new Map();
  const add = (fault, id) => ids.set(fault, [...(ids.get(fault) ?? []), id]);
  for (const n of manifest.storage) add(`storage:${n.fault}`, `storage:${n.rpc}`);
  for (const e of [...manifest.da.blobs, ...manifest.da.signers]) add(`da:${e.fault}`, `da:${e.node}`);
  return ids;
}

test('a lying first relay (forge, hide, strip-votes) is seen through by an honest second one', { timeout: 420000 }, async () => {
  const devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20', '--relays', '2', '--relay-lie', 'forge,hide,strip-votes', '--lying-relay', '0']);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    assert.equal(manifest.relays.length, 2);
    assert.equal(manifest.relay, manifest.relays[0]);
    const { page, errors, from } = await openWithTwoRelays(browser, devnet);
    await roundsFinished(page, from, 2, 300000);
    // Validators are judged once a round's reads got past the forged ones (the follower keeps what
    // it verified): wait for validator-004, whose votes relay 0 drops, to be found through relay 1.
    const stripped = manifest.cometbft.validators.find((v) => v.id === 'validator-004').address;
    await page.waitForFunction((id) => window.seenVerdicts.some((v) => v.id === id && v.relayFault), `validator:${stripped}`, { timeout: 120000 })
      .catch(() => {});
    const seen = await recorded(page);
    const judged = seen.filter((v) => v.round >= from);
    const ids = idsByFault(manifest);
    const honest = honestIds(manifest);

    // No honest node of any kind is ever misbehaving, through either relay.
    assert.deepEqual(seen.filter((v) => honest.has(v.id) && v.verdict === 'misbehaving'), [], 'no honest node misbehaving');
    // Every honest storage node and DA entity ends healthy once the second path is there.
    for (const id of [...ids.get('storage:null'), ...ids.get('da:null')]) {
      const got = judged.filter((v) => v.id === id);
      assert.ok(got.length > 0 || id.startsWith('da:'), `${id} was judged`);
      for (const v of got) assert.equal(v.verdict, 'healthy', `${id} in round ${v.round}: ${JSON.stringify(v)}`);
    }
    assert.ok(ids.get('da:null').some((id) => judged.some((v) => v.id === id)), 'honest DA entities were judged');
    // The faulty nodes keep their verdicts.
    for (const fault of ['corrupt', 'wrong-index']) {
      for (const v of judged.filter((v) => ids.get(`storage:${fault}`).includes(v.id))) {
        assert.ok(['unverifiable', 'misbehaving'].includes(v.verdict), `${fault}: ${JSON.stringify(v)}`);
        if (v.verdict === 'misbehaving') assert.ok(v.confirmed && v.paths.length === 2, `misbehaving only when confirmed: ${JSON.stringify(v)}`);
      }
    }
    for (const fault of ['withhold', 'slow']) {
      for (const v of judged.filter((v) => ids.get(`storage:${fault}`).includes(v.id))) assert.equal(v.verdict, 'unreachable', `${fault}: ${JSON.stringify(v)}`);
    }
    // A DA signer is never accused. The lying relay may hide a bad row, by forging the row's proof
    // (a proof that does not authenticate itself is set aside): then the rows are served, not proven.
    for (const v of judged.filter((v) => ids.get('da:bad-row').includes(v.id))) {
      assert.ok(v.verdict === 'unreachable' || (v.verdict === 'healthy' && v.proven < v.rows), `a bad-row signer: ${JSON.stringify(v)}`);
    }
    for (const v of judged.filter((v) => ids.get('da:withhold').includes(v.id))) assert.equal(v.verdict, 'unreachable', `a withholding signer: ${JSON.stringify(v)}`);
    // Serving providers: relay 0 hides or garbles every other one, relay 1 reaches them. The honest
    // ones end healthy; one that signs with another key or over other bytes stays unreachable
    // through both (either relay could have done it); the wrong answer under its own key is its own.
    const providers = (fault) => manifest.serving.providers.filter((p) => p.fault === fault).map((p) => `serving:${p.node}`);
    for (const id of [...providers(null), ...providers('model-swap')]) {
      const got = judged.filter((v) => v.id === id);
      assert.ok(got.length > 0, `${id} was judged`);
      for (const v of got) assert.equal(v.verdict, 'healthy', `${id} in round ${v.round}: ${JSON.stringify(v)}`);
    }
    for (const fault of ['unregistered-key', 'tampered-response', 'timeout']) {
      for (const v of judged.filter((v) => providers(fault).includes(v.id))) assert.equal(v.verdict, 'unreachable', `${fault}: ${JSON.stringify(v)}`);
    }
    const rechecked = judged.filter((v) => v.id.startsWith('serving:') && v.paths.length === 2);
    assert.ok(rechecked.some((v) => v.relayFault?.kind === 'hid' && v.verdict === 'healthy'), `a provider relay 0 hid was reached through relay 1: ${JSON.stringify(rechecked)}`);
    // The validator whose votes relay 0 drops is found voting through relay 1: healthy, relay 0's fault.
    const strippedRows = judged.filter((v) => v.id === `validator:${stripped}`);
    assert.ok(strippedRows.some((v) => v.verdict === 'healthy' && v.relayFault?.kind === 'hid' && v.relayFault.index === 0 && v.paths[0].verdict === 'unreachable'),
      `validator-004's dropped votes were found through relay 1: ${JSON.stringify(strippedRows)}`);
    // The lies are shown as the first relay's faults, never the second's.
    const faults = seen.filter((v) => v.relayFault);
    assert.deepEqual(faults.filter((v) => v.relayFault.index !== 0), [], 'only relay 0 is blamed');
    const kinds = new Set(faults.map((v) => v.relayFault.kind));
    assert.ok(kinds.has('hid'), `hidden nodes are relay 0's fault: ${[...kinds]}`);
    assert.ok(kinds.has('forged'), `forged faults are relay 0's fault: ${[...kinds]}`);
    const [hid] = await page.$$eval('#verdicts tr[data-relay-fault="hid"]', (trs) => trs.map((tr) => tr.querySelector('.evidence').textContent));
    assert.match(hid ?? '', /Relay 0 \(.+\) hid this node \(relay fault\).*relay 1/, 'the page says which relay hid the node');
    assert.equal(await page.$eval('#connection', (e) => e.dataset.connection), 'connected');
    console.log(`two relays, the first lying: ${judged.length} verdicts in rounds ${from}.., relay faults ${faults.length} (${[...kinds].join(', ')})`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});

test('an unsigned storage fault seen through two honest relays is misbehaving, both paths in the evidence', { timeout: 300000 }, async () => {
  const devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20', '--relays', '2']);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const { page, errors, from } = await openWithTwoRelays(browser, devnet);
    await roundsFinished(page, from, 0, 240000);
    const judged = (await recorded(page)).filter((v) => v.round >= from);
    const ids = idsByFault(manifest);
    for (const fault of ['corrupt', 'wrong-index']) {
      const [id] = ids.get(`storage:${fault}`);
      const v = judged.find((v) => v.id === id);
      assert.ok(v, `${fault} was judged`);
      assert.equal(v.verdict, 'misbehaving', `${fault}: ${JSON.stringify(v)}`);
      assert.ok(v.confirmed, 'confirmed through both relays');
      assert.deepEqual(v.paths.map((p) => [p.index, p.address, p.verdict]), [[0, manifest.relays[0], 'unverifiable'], [1, manifest.relays[1], 'unverifiable']]);
      assert.ok(v.paths.every((p) => /^12D3Koo/.test(p.peer) && /^0x[0-9a-f]{64}$/.test(p.answerKeccak)), JSON.stringify(v.paths));
      const text = await page.$eval(`#verdicts tr[data-kind="storage"][data-node="${id.slice('storage:'.length)}"] .evidence`, (e) => e.textContent);
      assert.match(text, /The same fault through two independent relays: relay 0 \(.+\), answer keccak .+ and relay 1 \(.+\), answer keccak /);
    }
    for (const id of ids.get('storage:null')) {
      for (const v of judged.filter((v) => v.id === id)) assert.equal(v.verdict, 'healthy', `${id}: ${JSON.stringify(v)}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});

test('a second relay in front of another chain is refused and not used', { timeout: 240000 }, async () => {
  const devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20', '--relays', '2', '--relay-lie', 'other-chain', '--lying-relay', '1']);
  const browser = await launchChromium();
  try {
    const { page, errors, from } = await openWithTwoRelays(browser, devnet, { relayState: 'refused' });
    const said = await page.$eval('#relays li[data-index="1"]', (e) => e.textContent);
    assert.match(said, /relay 1 \(.+\) says it is in front of chain \d+, the first relay of this run is in front of chain \d+: not used/);
    await roundsFinished(page, from, 0, 240000);
    const judged = (await recorded(page)).filter((v) => v.round >= from);
    assert.ok(judged.some((v) => v.id.startsWith('storage:')), 'the first relay still serves the rounds');
    assert.deepEqual(judged.filter((v) => v.paths.length), [], 'nothing went through the refused relay');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
