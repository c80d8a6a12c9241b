// The wallet in the shell, against the test wallet extension (tests/wallet/) really installed in
// headless Chromium: two unpacked copies loaded with --load-extension in new headless mode, each
// announcing itself by EIP-6963 from a content script in the page's world, signing with anvil's
// test keys through ethers. Nothing here injects a provider from the test.
//
// The page finds both wallets, connects to the one chosen, switches (and adds) the devnet's chain,
// reports a refusal clearly with nothing signed, follows account changes and disconnects, and the
// worker's signature requests go tab -> wallet -> worker and verify with ethers to the account.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyTypedData } from 'ethers';
import { startDevnet } from './lib/devnet.mjs';
import { launchWithWallets, TEST_KEYS, WALLETS } from './lib/wallet.mjs';

const [[, ACCOUNT_0], [, ACCOUNT_1]] = TEST_KEYS;
const A = WALLETS[0].rdns;
const B = WALLETS[1].rdns;

/** Typed data like a report's: EIP-712 with the devnet's chain in its domain. */
function typedData(chainId, round = 1) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' },
      ],
      Check: [{ name: 'node', type: 'string' }, { name: 'round', type: 'uint64' }, { name: 'verdict', type: 'string' }],
    },
    primaryType: 'Check',
    domain: { name: 'zg-align', version: '1', chainId },
    message: { node: 'storage-0', round, verdict: 'healthy' },
  };
}

function verify(data, signature) {
  const { EIP712Domain: _, ...types } = data.types;
  return verifyTypedData(data.domain, types, data.message, signature);
}

let devnet;
let browser;
let chainId;

before(async () => {
  devnet = await startDevnet();
  chainId = (await (await fetch(`${devnet.url}/devnet.json`)).json()).chainId;
  browser = await launchWithWallets();
});

after(async () => {
  await browser?.close();
  await devnet?.stop();
});

/** A fresh page of the shell (each page load gets fresh wallet state) with both wallets found. */
async function open() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${devnet.url}/`);
  await page.waitForFunction((n) => document.querySelectorAll('#wallet-list li').length === n, WALLETS.length, { timeout: 10000 });
  await page.waitForSelector(`#wallet[data-expected-chain="${chainId}"]`);
  return { page, errors };
}

const wallet = (page) => page.$eval('#wallet', (e) => ({ ...e.dataset, message: document.querySelector('#wallet-message').textContent }));
const control = (page, rdns, fn, arg) => page.evaluate(([rdns, fn, arg]) => window.zgTestWallets[rdns][fn](arg), [rdns, fn, arg]);
const read = (page, rdns, field) => page.evaluate(([rdns, field]) => window.zgTestWallets[rdns][field], [rdns, field]);

async function choose(page, rdns) {
  await page.click(`#wallet-list li[data-rdns="${rdns}"] input`);
  await page.waitForSelector(`#wallet[data-wallet-rdns="${rdns}"]`);
}

async function connect(page, rdns) {
  await choose(page, rdns);
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet[data-wallet-state="connected"]', { timeout: 10000 });
}

async function switchChain(page) {
  await page.click('#wallet-switch');
  await page.waitForSelector('#wallet[data-chain-ok="true"]', { timeout: 10000 });
}

test('finds every installed wallet by EIP-6963 and connects the one chosen', async () => {
  const { page, errors } = await open();
  const listed = await page.$$eval('#wallet-list li', (lis) => lis.map((li) => [li.dataset.rdns, li.textContent]).sort());
  assert.deepEqual(listed, [[A, WALLETS[0].name], [B, WALLETS[1].name]]);
  assert.equal((await wallet(page)).walletState, 'available');
  assert.equal(await read(page, A, 'authorised'), false, 'nothing asked of a wallet before the owner connects');

  await connect(page, B);
  const w = await wallet(page);
  assert.equal(w.account, ACCOUNT_1, 'wallet B shares its first account');
  assert.equal(w.chain, '1', 'the test wallet starts on Ethereum');
  assert.equal(w.chainOk, 'false');
  assert.equal(await read(page, B, 'authorised'), true);
  assert.equal(await read(page, A, 'authorised'), false, 'the other wallet is left alone');
  assert.equal(await page.$eval('#wallet-account', (e) => e.textContent), ACCOUNT_1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('wrong chain: the switch adds the devnet chain (4902) and the wallet moves to it', async () => {
  const { page, errors } = await open();
  await connect(page, A);
  assert.equal(await page.$eval('#wallet-switch', (e) => e.hidden), false, 'a switch button on the wrong chain');
  assert.match((await wallet(page)).message, new RegExp(`switch to zg-align devnet \\(${chainId}\\)`));
  await switchChain(page);
  const w = await wallet(page);
  assert.equal(w.chain, String(chainId));
  assert.equal(await read(page, A, 'chainId'), chainId);
  const added = await read(page, A, 'added');
  assert.equal(added.length, 1);
  assert.equal(added[0].chainId, `0x${chainId.toString(16)}`);
  assert.deepEqual(added[0].rpcUrls, [(await (await fetch(`${devnet.url}/devnet.json`)).json()).evm]);
  const requests = await read(page, A, 'requests');
  assert.deepEqual(requests.filter((m) => m.startsWith('wallet_')), ['wallet_switchEthereumChain', 'wallet_addEthereumChain']);
  assert.equal(await page.$eval('#wallet-switch', (e) => e.hidden), true);

  // The owner moves the wallet to another chain: the page follows (chainChanged) and says so.
  await control(page, A, 'switchChain', 16661);
  await page.waitForSelector('#wallet[data-chain="16661"][data-chain-ok="false"]');
  // A known chain is switched to without adding it again.
  await switchChain(page);
  assert.equal((await read(page, A, 'added')).length, 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('refusals: a declined connection, switch or signature says so and nothing is signed', async () => {
  const { page, errors } = await open();
  await choose(page, A);
  await control(page, A, 'setRefuse', true);
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet[data-wallet-state="refused"]');
  let w = await wallet(page);
  assert.equal(w.walletError, '4001');
  assert.equal(w.message, 'You declined the connection in your wallet.');
  assert.equal(w.account, '');

  await control(page, A, 'setRefuse', false);
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet[data-wallet-state="connected"]');
  await control(page, A, 'setRefuse', true);
  await page.click('#wallet-switch');
  await page.waitForSelector('#wallet[data-wallet-error="4001"]');
  assert.match((await wallet(page)).message, /^You declined the switch to zg-align devnet in your wallet\.$/);
  await control(page, A, 'setRefuse', false);
  await switchChain(page);

  // The worker asks for a signature and the owner declines: the worker gets `refused`.
  await control(page, A, 'setRefuse', true);
  const refused = await page.evaluate(async ([data, account]) => {
    const client = await window.zgAlign.getClient();
    return client.signTypedData(data, account).then(() => null, (e) => ({ isError: e instanceof Error, message: e.message, reason: e.reason }));
  }, [typedData(chainId), ACCOUNT_0]);
  assert.deepEqual(refused, { isError: true, message: 'the owner declined to sign in the wallet', reason: 'refused' });
  w = await wallet(page);
  assert.equal(w.message, 'You declined the signature in your wallet.');
  assert.equal(w.walletState, 'connected', 'a declined signature leaves the wallet connected');
  assert.deepEqual(await read(page, A, 'signed'), [], 'nothing signed');

  // A second request while the wallet still shows one: -32002, explained.
  await control(page, A, 'setRefuse', false);
  await control(page, A, 'setHold', 1500);
  const both = await page.evaluate(async ([data, account]) => {
    const client = await window.zgAlign.getClient();
    const first = client.signTypedData(data, account);
    await new Promise((r) => setTimeout(r, 300));
    const second = await client.signTypedData(data, account).then(() => null, (e) => ({ message: e.message, reason: e.reason }));
    return { second, first: await first };
  }, [typedData(chainId), ACCOUNT_0]);
  assert.equal(both.second.reason, 'wallet');
  assert.match(both.second.message, /already has a request waiting/);
  assert.match(both.second.message, /\(code -32002\)$/);
  assert.equal(verify(typedData(chainId), both.first), ACCOUNT_0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the worker signs through the tab and the wallet; ethers recovers the account', async () => {
  const { page, errors } = await open();
  const noWallet = await page.evaluate(async ([data, account]) => {
    const client = await window.zgAlign.getClient();
    return client.signTypedData(data, account).then(() => null, (e) => ({ message: e.message, reason: e.reason }));
  }, [typedData(chainId), ACCOUNT_0]);
  assert.equal(noWallet.reason, 'noWallet');
  assert.match(noWallet.message, /^no wallet is connected/);

  await connect(page, A);
  await switchChain(page);
  await control(page, A, 'setHold', 300);
  const data = typedData(chainId, 7);
  const result = await page.evaluate(async ([data, account]) => {
    const client = await window.zgAlign.getClient();
    const signing = client.signTypedData(data, account);
    // While the owner looks at it, the page says so.
    await new Promise((r) => setTimeout(r, 100));
    const shown = document.querySelector('#wallet').dataset.signing;
    const scope = (await client.status()).scope;
    return { signature: await signing, shown, scope, message: document.querySelector('#wallet-message').textContent };
  }, [data, ACCOUNT_0]);
  assert.equal(result.scope, 'DedicatedWorkerGlobalScope');
  assert.equal(result.shown, '1', 'the page shows a signature waiting in the wallet');
  assert.match(result.signature, /^0x[0-9a-f]{130}$/);
  assert.equal(verify(data, result.signature), ACCOUNT_0, 'the signature recovers to the wallet account');
  const signed = await read(page, A, 'signed');
  assert.equal(signed.length, 1);
  assert.equal(signed[0].signature, result.signature);
  assert.deepEqual(signed[0].typedData, data, 'the wallet signed exactly the typed data the worker sent');

  // Malformed requests stop in the worker, before the wallet sees them.
  const bad = await page.evaluate(async ([data]) => {
    const client = await window.zgAlign.getClient();
    const fail = (p) => p.then(() => null, (e) => ({ message: e.message, reason: e.reason }));
    return Promise.all([
      fail(client.signTypedData(data, 'not an address')),
      fail(client.signTypedData('{"types":{}}', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')),
      fail(client.request('signTypedData', {})),
    ]);
  }, [data]);
  assert.deepEqual(bad.map((b) => b.reason), ['badRequest', 'badRequest', 'badRequest']);
  assert.match(bad[0].message, /not a 0x address/);
  assert.match(bad[1].message, /lacks primaryType, domain, message/);
  assert.equal((await read(page, A, 'signed')).length, 1, 'nothing more reached the wallet');

  // Another account than the wallet's: the tab says which and the wallet is not asked.
  const other = await page.evaluate(async ([data, account]) => {
    const client = await window.zgAlign.getClient();
    return client.signTypedData(data, account).then(() => null, (e) => ({ message: e.message, reason: e.reason }));
  }, [data, ACCOUNT_1]);
  assert.equal(other.reason, 'wallet');
  assert.match(other.message, /account is 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, not 0x70997970C51812dc3A010C7d01b50e0d17dc79C8.*\(code 4100\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an account change mid-session updates the view and the signer', async () => {
  const { page, errors } = await open();
  await connect(page, A);
  await switchChain(page);
  assert.equal((await wallet(page)).account, ACCOUNT_0);
  await control(page, A, 'switchAccount', 1);
  await page.waitForSelector(`#wallet[data-account="${ACCOUNT_1}"]`);
  assert.equal(await page.$eval('#wallet-account', (e) => e.textContent), ACCOUNT_1);
  const data = typedData(chainId, 9);
  const signature = await page.evaluate(async ([data, account]) => (await window.zgAlign.getClient()).signTypedData(data, account), [data, ACCOUNT_1]);
  assert.equal(verify(data, signature), ACCOUNT_1);

  // The owner withdraws the page's access in the wallet: accountsChanged([]).
  await control(page, A, 'revoke');
  await page.waitForSelector('#wallet[data-wallet-state="available"]');
  const w = await wallet(page);
  assert.equal(w.account, '');
  assert.match(w.message, /no longer shares an account/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('disconnect: from the wallet (EIP-1193 disconnect) and from the page', async () => {
  const { page, errors } = await open();
  await connect(page, A);
  await control(page, A, 'disconnect');
  await page.waitForSelector('#wallet[data-wallet-state="available"]');
  let w = await wallet(page);
  assert.equal(w.account, '');
  assert.equal(w.walletError, '4900');
  assert.match(w.message, /^The wallet disconnected \(.+\): connect again when it is back\.$/);
  // A signature asked for now: no wallet.
  const after = await page.evaluate(async ([data, account]) => (await window.zgAlign.getClient()).signTypedData(data, account).then(() => null, (e) => e.reason), [typedData(chainId), ACCOUNT_0]);
  assert.equal(after, 'noWallet');

  await control(page, A, 'reconnect');
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet[data-wallet-state="connected"]');
  await page.click('#wallet-disconnect');
  await page.waitForSelector('#wallet[data-wallet-state="available"]');
  w = await wallet(page);
  assert.equal(w.account, '');
  assert.equal(w.walletError, '');
  // Events from the wallet no longer move the page once it let go.
  await control(page, A, 'switchAccount', 1);
  await control(page, A, 'switchChain', 16661);
  await new Promise((r) => setTimeout(r, 200));
  w = await wallet(page);
  assert.equal(w.account, '');
  assert.equal(w.chain, '');
  assert.deepEqual(errors, []);
  await page.close();
});
