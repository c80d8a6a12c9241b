// The whole report flow in headless Chromium with the test wallet extension installed (see
// tests/wallet.test.mjs): connect, the account's licenses and their delegation read with eth_call,
// consent, a round, the wallet signs, the worker checks the owner, the tab stores the report and
// the worker publishes it over libp2p; the devnet accepts and lists it at GET /reports. Then: the
// owner refuses; the wallet on the wrong chain, then switched; an account change mid-session; and
// a report signed while the devnet is down, published exactly once by the next page load.
// Reports not owned: the wallet does not sign for another account, the worker refuses a signature
// by another key than the owner's, and the devnet refuses a license the signer does not own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { verifyTypedData } from 'ethers';
import { startDevnet } from './lib/devnet.mjs';
import { launchWithWallets, TEST_KEYS, WALLETS } from './lib/wallet.mjs';
import { knownUpstreamError } from './lib/browser.mjs';

const [[, ACCOUNT_0], [, ACCOUNT_1]] = TEST_KEYS;
const OPERATOR = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const A = WALLETS[0].rdns;
// Short rounds: the slow storage node is judged unreachable after 2 s.
const QUERY = 'autostart=1&requestTimeoutMs=2000&roundIntervalMs=500';
const ROUND_MS = 90000;

let port;
let devnet;
let browser;
let manifest;

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startOnPort() {
  devnet = await startDevnet([], { http: `127.0.0.1:${port}` });
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
}

before(async () => {
  port = await freePort();
  await startOnPort();
  browser = await launchWithWallets();
});

after(async () => {
  await browser?.close();
  await devnet?.stop();
});

async function open(query = QUERY) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
  await page.goto(`${devnet.url}/?${query}`);
  await page.waitForFunction((n) => document.querySelectorAll('#wallet-list li').length === n, WALLETS.length, { timeout: 10000 });
  await page.waitForSelector(`#wallet[data-expected-chain="${manifest.chainId}"]`);
  return { page, errors };
}

const control = (page, fn, arg) => page.evaluate(([rdns, fn, arg]) => window.zgTestWallets[rdns][fn](arg), [A, fn, arg]);
const read = (page, field) => page.evaluate(([rdns, field]) => window.zgTestWallets[rdns][field], [A, field]);
const reports = async () => (await (await fetch(`${devnet.url}/reports`)).json()).reports;

async function connect(page, { switchChain = true } = {}) {
  await page.click(`#wallet-list li[data-rdns="${A}"] input`);
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet[data-wallet-state="connected"]', { timeout: 10000 });
  if (switchChain) {
    await page.click('#wallet-switch');
    await page.waitForSelector('#wallet[data-chain-ok="true"]', { timeout: 10000 });
  }
}

async function licenseRows(page) {
  return page.$$eval('#licenses tr[data-license]', (trs) => trs.map((tr) => ({
    id: tr.dataset.license, owner: tr.dataset.owner, operator: tr.dataset.operator,
    part1: tr.querySelector('.part1').textContent, selected: tr.querySelector('input').checked,
  })));
}

async function reportRows(page) {
  return page.$$eval('#reports tr[data-report-round]', (trs) => trs.map((tr) => ({
    round: Number(tr.dataset.reportRound), state: tr.dataset.state, reason: tr.dataset.reason,
    license: tr.dataset.license, detail: tr.querySelector('.detail').textContent,
  })));
}

/** Waits for a report row matching `state` (and `license`), later than `after`; returns it. */
async function waitReport(page, { state, license, after = 0, timeout = ROUND_MS }) {
  const handle = await page.waitForFunction(({ state, license, after }) => {
    const tr = [...document.querySelectorAll('#reports tr[data-report-round]')].find((tr) => tr.dataset.state === state
      && (!license || tr.dataset.license === license) && Number(tr.dataset.reportRound) > after);
    return tr ? { round: Number(tr.dataset.reportRound), reason: tr.dataset.reason, detail: tr.querySelector('.detail').textContent } : null;
  }, { state, license, after }, { timeout });
  return handle.jsonValue();
}

/** Waits until a round later than `after` has finished; returns its number. */
async function roundFinished(page, after = 0) {
  const handle = await page.waitForFunction((after) => {
    const e = document.querySelector('#round');
    return e.dataset.state === 'finished' && Number(e.dataset.round) > after ? Number(e.dataset.round) : null;
  }, after, { timeout: ROUND_MS });
  return handle.jsonValue();
}

function verifyStored(entry) {
  const { domain, report, signature } = entry.report;
  const types = {
    AlignmentReport: [
      { name: 'licenseTokenId', type: 'uint256' }, { name: 'owner', type: 'address' }, { name: 'operator', type: 'address' },
      { name: 'round', type: 'uint64' }, { name: 'chainId', type: 'uint256' }, { name: 'verdicts', type: 'NodeVerdict[]' },
      { name: 'nodeVersion', type: 'string' },
    ],
    NodeVerdict: [{ name: 'node', type: 'string' }, { name: 'kind', type: 'string' }, { name: 'verdict', type: 'string' }, { name: 'evidenceHash', type: 'bytes32' }],
  };
  return verifyTypedData(domain, types, report, signature);
}

/** Records, every frame from now on, where `selectors` are on the page, when that changes. */
function watchPositions(page, selectors) {
  return page.evaluate((selectors) => {
    window.ownerMoves = [];
    const at = () => selectors.map((s) => { const r = document.querySelector(s).getBoundingClientRect(); return `${r.left + scrollX},${r.top + scrollY}`; }).join(' ');
    let last = at();
    const watch = () => {
      const now = at();
      if (now !== last) window.ownerMoves.push((last = now));
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  }, selectors);
}

/** The first positions `watchPositions` saw change to: none while nothing moved. */
const moves = (page) => page.evaluate(() => window.ownerMoves.slice(0, 3));

// The board fills for several seconds after a load (a card, then a row per node, as verdicts
// arrive). Before the owner's panels came first, the Connect button moved some twenty times in
// that while, and a click could land on whatever had moved under it.
test('the owner\'s controls stay put while the board fills', async () => {
  const { page, errors } = await open();
  const OWNED = ['#wallet-connect', `#wallet-list li[data-rdns="${A}"] input`, '#consent input[value="each"]', '#licenses'];
  await watchPositions(page, OWNED);
  const boardBefore = await page.$eval('#board', (e) => e.offsetHeight);
  await roundFinished(page, await roundFinished(page));
  assert.ok(await page.$eval('#board', (e) => e.offsetHeight) > boardBefore + 200, 'the board grew meanwhile');
  assert.deepEqual(await moves(page), [], `${OWNED.join(', ')} did not move`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the element: what the page slots for the owner stays put while its board fills', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
  await page.goto(`${devnet.url}/element.html?roundIntervalMs=500`);
  await page.waitForFunction(() => document.querySelector('zg-align-node').shadowRoot);
  await page.evaluate(async () => {
    const node = document.querySelector('zg-align-node');
    node.setAttribute('panels', 'status licenses verdicts reports');
    node.insertAdjacentHTML('beforeend', '<button slot="licenses" id="owner-action">Connect</button><p slot="reports">reports</p>');
    await new Promise(requestAnimationFrame);
  });
  await watchPositions(page, ['#owner-action']);
  const boardHeight = () => page.evaluate(() => document.querySelector('zg-align-node').shadowRoot.querySelector('section.verdicts').offsetHeight);
  const before = await boardHeight();
  // Two rounds finished: the status lines (files, round) and the verdicts have filled meanwhile.
  await page.waitForFunction(() => Number(document.querySelector('zg-align-node').shadowRoot.getElementById('round').dataset.round) >= 2
    && document.querySelector('zg-align-node').shadowRoot.getElementById('round').dataset.state === 'finished', null, { timeout: ROUND_MS });
  assert.ok(await boardHeight() > before + 200, 'the verdicts grew meanwhile');
  assert.deepEqual(await moves(page), [], 'the slotted button did not move');
  assert.deepEqual(errors, []);
  await page.close();
});

test('connect, licenses, consent, a round signed and accepted by the devnet', async () => {
  const { page, errors } = await open(`${QUERY}&tgeDays=400`);
  await connect(page);
  await page.waitForSelector('#licenses[data-state="loaded"]', { timeout: 20000 });
  assert.equal(await page.$eval('#licenses', (e) => e.dataset.source), 'wallet', 'read through the wallet on the license chain');
  const rows = await licenseRows(page);
  assert.deepEqual(rows.map(({ id, owner, operator, selected }) => ({ id, owner, operator, selected })), [
    { id: '1', owner: ACCOUNT_0, operator: '', selected: true },
    { id: '2', owner: ACCOUNT_0, operator: OPERATOR, selected: false },
  ]);
  assert.match(rows[0].part1, /0G \(penalty 0%\)$/, 'past day 365 part 1 carries no penalty');
  assert.ok((await read(page, 'requests')).includes('eth_call'), 'eth_call went through the wallet');

  // No consent yet: rounds finish and nothing is signed.
  assert.equal(await page.$eval('#consent', (e) => e.dataset.consent), 'none');
  const unsigned = await roundFinished(page);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await reportRows(page), []);
  assert.deepEqual(await read(page, 'signed'), []);

  await page.click('#consent input[value="each"]');
  const first = await waitReport(page, { state: 'accepted', license: '1', after: unsigned });
  const signed = await read(page, 'signed');
  assert.ok(signed.length >= 1);
  assert.equal(signed[0].typedData.primaryType, 'AlignmentReport');
  assert.equal(signed[0].typedData.message.licenseTokenId, '1');
  const stored = (await reports()).find((r) => r.round === first.round);
  assert.ok(stored, `round ${first.round} stored by the devnet`);
  assert.equal(stored.signer, ACCOUNT_0);
  assert.equal(stored.licenseTokenId, '1');
  assert.equal(verifyStored(stored), ACCOUNT_0, 'ethers recovers the owner from the stored report');
  const kinds = new Set(stored.report.report.verdicts.map((v) => v.kind));
  assert.ok(kinds.has('storage') && kinds.has('da'), `verdicts of every kind: ${[...kinds]}`);
  assert.equal(stored.report.report.operator, '0x0000000000000000000000000000000000000000');

  // The delegated license: its report names the operator.
  await page.click('#licenses tr[data-license="2"] input');
  const second = await waitReport(page, { state: 'accepted', license: '2', after: first.round });
  const stored2 = (await reports()).find((r) => r.round === second.round);
  assert.equal(stored2.licenseTokenId, '2');
  assert.equal(stored2.report.report.operator, OPERATOR);
  await page.click('#consent input[value="none"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the owner refuses: state refused, nothing published', async () => {
  const { page, errors } = await open(`${QUERY}&consent=each`);
  await connect(page);
  await page.waitForSelector('#licenses[data-state="loaded"]', { timeout: 20000 });
  await control(page, 'setRefuse', true);
  const refused = await waitReport(page, { state: 'refused' });
  assert.equal(refused.reason, 'refused');
  assert.deepEqual(await read(page, 'signed'), []);
  assert.equal((await reports()).filter((r) => r.round === refused.round).length, 0, 'nothing published');
  const stored = await page.evaluate(() => window.zgAlign.reports.store.all());
  assert.equal(stored.filter((r) => r.round === refused.round).length, 0, 'nothing stored');
  await page.close();
  assert.deepEqual(errors, []);
});

test('wrong chain: no report until the wallet switches', async () => {
  const { page, errors } = await open(`${QUERY}&consent=each`);
  await connect(page, { switchChain: false });
  await page.waitForSelector('#licenses[data-state="loaded"]', { timeout: 20000 });
  assert.equal(await page.$eval('#licenses', (e) => e.dataset.source), 'relay', 'on the wrong chain the relay\'s EVM pass-through is read');
  const before = await roundFinished(page);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await reportRows(page), [], 'no report on the wrong chain');
  assert.deepEqual(await read(page, 'signed'), []);
  assert.match(await page.$eval('#reports-message', (e) => e.textContent), /switch to zg-align devnet/);
  await page.click('#wallet-switch');
  await page.waitForSelector('#wallet[data-chain-ok="true"]', { timeout: 10000 });
  const report = await waitReport(page, { state: 'accepted', after: before });
  const rows = await reportRows(page);
  assert.ok(rows.every((r) => r.round > before), 'only rounds after the switch');
  assert.ok((await reports()).some((r) => r.round === report.round));
  await page.click('#consent input[value="none"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('account change: licenses follow, a license not owned is never published as the owner', async () => {
  const { page, errors } = await open(`${QUERY}&consent=each`);
  await connect(page);
  await page.waitForSelector('#licenses[data-state="loaded"]', { timeout: 20000 });
  const first = await waitReport(page, { state: 'accepted', license: '1' });
  await control(page, 'switchAccount', 1);
  await page.waitForFunction((a) => document.querySelector('#licenses').dataset.account === a && document.querySelector('#licenses').dataset.state === 'loaded', ACCOUNT_1, { timeout: 20000 });
  assert.deepEqual((await licenseRows(page)).map(({ id, owner }) => ({ id, owner })), [{ id: '3', owner: ACCOUNT_1 }, { id: '4', owner: ACCOUNT_1 }]);
  const third = await waitReport(page, { state: 'accepted', license: '3', after: first.round });
  await page.click('#consent input[value="none"]');
  const owners = { 1: ACCOUNT_0, 2: ACCOUNT_0, 3: ACCOUNT_1, 4: ACCOUNT_1 };
  for (const r of await reports()) assert.equal(r.signer, owners[r.licenseTokenId], `round ${r.round}: the signer owns license ${r.licenseTokenId}`);
  assert.ok((await reports()).some((r) => r.round === third.round && r.signer === ACCOUNT_1));
  // Every report row after the change is for the new account's licenses.
  for (const row of await reportRows(page)) if (row.round > third.round) assert.ok(['3', '4'].includes(row.license), JSON.stringify(row));

  // Straight through the worker: a report naming the old owner is not signed by the new account...
  const round = await roundFinished(page, third.round);
  const ask = (license) => page.evaluate(async ([round, license, chainId, verifyingContract]) => {
    const client = window.zgAlign.client;
    try {
      const signed = await client.reportRound({ round, license, chainId, verifyingContract });
      return { signed, answer: await client.publishReport(signed.report) };
    } catch (e) { return { reason: e.reason, message: e.message }; }
  }, [round, license, manifest.chainId, manifest.licenses.contract]);
  const old = await ask({ tokenId: '1', owner: ACCOUNT_0, operator: null });
  assert.equal(old.reason, 'wallet');
  assert.match(old.message, /code 4100/);
  // ...and one claiming license 1 for the new account is signed, but the devnet refuses it.
  const claimed = await ask({ tokenId: '1', owner: ACCOUNT_1, operator: null });
  assert.equal(claimed.answer.accepted, false);
  assert.equal(claimed.answer.reason.kind, 'licenseNotOwned');
  assert.match(claimed.answer.message, /license 1 is not owned by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8/);
  // A tab that lets the wallet sign with another key than the owner's: the worker refuses it.
  const wrong = await page.evaluate(async ([round, chainId, verifyingContract, owner]) => {
    const { client, wallet } = window.zgAlign;
    const own = client.signer;
    client.signer = (_account, json) => wallet.provider.request({ method: 'eth_signTypedData_v4', params: [wallet.account, json] });
    try {
      await client.reportRound({ round, license: { tokenId: '1', owner, operator: null }, chainId, verifyingContract });
      return null;
    } catch (e) {
      return { reason: e.reason, message: e.message };
    } finally {
      client.signer = own;
    }
  }, [round, manifest.chainId, manifest.licenses.contract, ACCOUNT_0]);
  assert.equal(wrong.reason, 'wrongSigner');
  assert.match(wrong.message, /^not published: wrong signer: signed by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, but the report names 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 as owner$/);
  assert.equal((await reports()).filter((r) => r.round === round).length, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('reload with an unacknowledged report: published exactly once by the next load', async () => {
  const { page } = await open(`${QUERY}&consent=each`);
  await connect(page);
  await page.waitForSelector('#licenses[data-state="loaded"]', { timeout: 20000 });
  // The owner takes 4 s in the wallet; meanwhile the devnet goes away.
  await control(page, 'setHold', 4000);
  const signing = await waitReport(page, { state: 'signing' });
  await devnet.stop();
  const pending = await waitReport(page, { state: 'pending', after: signing.round - 1, timeout: 30000 });
  assert.equal(pending.round, signing.round);
  const stored = await page.evaluate(() => window.zgAlign.reports.store.all());
  assert.deepEqual(stored.map((r) => [r.round, r.state]), [[signing.round, 'pending']], 'kept in IndexedDB');
  assert.equal((await read(page, 'signed')).length, 1);
  await page.close();

  // The devnet comes back (its ledger empty) and the tab is loaded again, without consent or wallet.
  await startOnPort();
  const { page: again, errors } = await open(QUERY);
  const accepted = await waitReport(again, { state: 'accepted', after: signing.round - 1, timeout: 60000 });
  assert.equal(accepted.round, signing.round);
  assert.deepEqual(await read(again, 'signed'), [], 'nothing signed again');
  // Later rounds and reconnects send nothing more.
  await roundFinished(again, signing.round);
  const entries = (await reports()).filter((r) => r.round === signing.round);
  assert.equal(entries.length, 1, 'one entry for the round');
  assert.equal(entries[0].signer, ACCOUNT_0);
  assert.deepEqual(await again.evaluate(() => window.zgAlign.reports.store.all()), [], 'acknowledged: gone from IndexedDB');
  const next = await again.$eval('#round', (e) => Number(e.dataset.round));
  assert.ok(next > signing.round, 'the new page continues the round numbering');
  assert.deepEqual(errors, []);
  await again.close();
});

test('the worker refuses rounds it cannot report, before the wallet is asked', async () => {
  const { page, errors } = await open(QUERY);
  await connect(page);
  // A round just started: the slow storage node alone keeps it running for 2 s.
  const running = await (await page.waitForFunction(() => {
    const e = document.querySelector('#round');
    return e.dataset.state === 'started' ? Number(e.dataset.round) : null;
  }, null, { timeout: ROUND_MS })).jsonValue();
  const ask = (params) => page.evaluate((params) => window.zgAlign.client.reportRound(params).then(() => null, (e) => ({ reason: e.reason ?? null, message: e.message })), params);
  const license = { tokenId: '1', owner: ACCOUNT_0, operator: null };
  const base = { chainId: manifest.chainId, verifyingContract: manifest.licenses.contract };
  const notFinished = await ask({ ...base, round: running, license });
  assert.deepEqual(notFinished, { reason: 'roundNotFinished', message: `round ${running} did not finish: a report covers finished rounds only` });
  assert.equal((await ask({ ...base, round: 1e9, license })).reason, 'unknownRound');
  const badOwner = await ask({ ...base, round: running, license: { ...license, owner: '0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266' } });
  assert.equal(badOwner.reason, 'badRequest');
  assert.match(badOwner.message, /license\.owner: .* wrong EIP-55 checksum/);
  const shapeless = await ask({ round: running, license });
  assert.equal(shapeless.reason, null);
  assert.match(shapeless.message, /^reportRound needs \{round, license: \{tokenId, owner, operator\}, chainId, verifyingContract\}/);
  assert.deepEqual(await read(page, 'signed'), []);
  assert.ok(!(await read(page, 'requests')).includes('eth_signTypedData_v4'), 'the wallet was never asked');
  assert.deepEqual(errors, []);
  await page.close();
});

test('round numbers: two tabs allocating at once get different first rounds, and a round noted never moves back', async () => {
  const store = (page, db) => page.evaluate(async (db) => {
    const { ReportStore } = await import('/report-store.js');
    window.testStore = await ReportStore.open(db);
  }, db);
  const db = `zg-align-rounds-${Date.now()}`;
  const tabs = [(await open('')).page, (await open('')).page];
  try {
    await Promise.all(tabs.map((page) => store(page, db)));
    const firsts = await Promise.all(tabs.flatMap((page) => [0, 1, 2].map(() => page.evaluate(() => window.testStore.firstRound()))));
    assert.deepEqual([...firsts].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6], 'six allocations, six numbers');
    assert.equal(await tabs[0].evaluate(() => window.testStore.noteRound(40)), 40);
    assert.equal(await tabs[1].evaluate(() => window.testStore.noteRound(12)), 40, 'a lower round noted later does not move the number back');
    assert.equal(await tabs[1].evaluate(() => window.testStore.firstRound()), 41);
  } finally {
    await Promise.all(tabs.map((page) => page.close()));
  }
});
