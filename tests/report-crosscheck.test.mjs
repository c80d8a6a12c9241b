// Signed alignment reports and license views held against ethers 6, which we did not write:
// ethers' EIP-712 hash equals the devnet's digest, reports ethers signs are accepted by
// `verify report` and POST /reports, our typed data verifies with ethers' verifyTypedData, every
// kind of bad report is refused with its reason, and an ethers Contract reads the devnet chain's EVM RPC.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Contract, HDNodeWallet, JsonRpcProvider, Signature, TypedDataEncoder, Wallet, ZeroAddress, id, verifyTypedData,
} from 'ethers';
import { devnetBinary, repoRoot, startDevnet } from './lib/devnet.mjs';

// anvil's accounts from the public test mnemonic: owner A (licenses 1, 2), owner B (3, 4), operator.
const MNEMONIC = 'test test test test test test test test test test test junk';
const account = (i) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
const ownerA = account(0);
const ownerB = account(1);
const operator = account(2);
const stranger = Wallet.createRandom();
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

let devnet;
let manifest;
let dir;

before(async () => {
  devnet = await startDevnet();
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
  dir = mkdtempSync(path.join(tmpdir(), 'zg-report-'));
});

after(async () => {
  await devnet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function draft({ tokenId = '1', owner = ownerA.address, op = ZeroAddress, round = '1', chainId = '31337' } = {}) {
  return {
    licenseTokenId: tokenId,
    owner,
    operator: op,
    round,
    chainId,
    verdicts: [
      { node: 'storage-0', kind: 'storage', verdict: 'healthy', evidenceHash: id('{"root":"0x01"}') },
      { node: 'storage-2', kind: 'storage', verdict: 'misbehaving', evidenceHash: id('{"fault":"root"}') },
    ],
    nodeVersion: '0.1.0',
  };
}

let fileCount = 0;
function writeJson(value) {
  const file = path.join(dir, `f${fileCount++}.json`);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** The devnet's typed data for a draft (`report typed-data`), split as ethers takes it. */
function typedData(message, extra = []) {
  const r = spawnSync(devnetBinary, ['report', 'typed-data', writeJson(message), ...extra], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const typed = JSON.parse(r.stdout);
  const { EIP712Domain, ...types } = typed.types;
  return { typed, domain: typed.domain, types, EIP712Domain };
}

async function signed(wallet, message, extra) {
  const { typed, domain, types } = typedData(message, extra);
  const signature = await wallet.signTypedData(domain, types, typed.message);
  return { domain, report: typed.message, signature };
}

function verify(report) {
  const r = spawnSync(devnetBinary, ['verify', 'report', writeJson(report)], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim() };
}

async function publish(report) {
  const response = await fetch(`${devnet.url}/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report),
  });
  return { status: response.status, body: await response.json() };
}

test('manifest lists the licenses and their contracts', () => {
  const { licenses } = manifest;
  assert.equal(licenses.evm, manifest.evm);
  assert.deepEqual(licenses.tokens.map((t) => [t.tokenId, t.owner, t.operator]), [
    ['1', ownerA.address, null], ['2', ownerA.address, operator.address],
    ['3', ownerB.address, null], ['4', ownerB.address, null],
  ]);
});

test('typed data: EIP712Domain as ethers derives it, and ethers verifyTypedData accepts the signature', async () => {
  const message = draft();
  const { typed, domain, types, EIP712Domain } = typedData(message);
  assert.equal(typed.primaryType, 'AlignmentReport');
  assert.deepEqual(EIP712Domain, TypedDataEncoder.getPayload(domain, types, typed.message).types.EIP712Domain);
  assert.deepEqual(domain, { name: 'zg-align', version: '1', chainId: 31337, verifyingContract: manifest.licenses.contract });
  assert.deepEqual(typed.message, message);
  const signature = await ownerA.signTypedData(domain, types, typed.message);
  assert.equal(verifyTypedData(domain, types, typed.message, signature), ownerA.address);
});

test('a report ethers signs: verify report, POST /reports (digest = ethers hash), GET /reports, then a replay', async () => {
  const report = await signed(ownerA, draft({ round: '7' }));
  assert.deepEqual(verify(report), { code: 0, out: ownerA.address });

  const { status, body } = await publish(report);
  assert.equal(status, 200, JSON.stringify(body));
  const { EIP712Domain, ...types } = typedData(report.report).typed.types;
  assert.deepEqual(body, {
    accepted: true, signer: ownerA.address, licenseTokenId: '1', round: 7,
    digest: TypedDataEncoder.hash(report.domain, types, report.report),
  });
  const stored = await (await fetch(`${devnet.url}/reports`)).json();
  assert.ok(stored.reports.some((r) => r.round === 7 && r.report.signature === report.signature));

  const replay = await publish(report);
  assert.equal(replay.status, 422);
  assert.equal(replay.body.reason.kind, 'replayedRound');
  assert.match(replay.body.message, /replayed round/);
  // The refusal names the stored report's digest: the same report's, so its sender knows it is in.
  assert.equal(replay.body.reason.storedDigest, body.digest);
  // Signed again (a new signature over new content) for the same round: still that round, and the
  // digest says it is another report than this one.
  const again = await signed(ownerA, { ...draft({ round: '7' }), nodeVersion: '0.1.1' });
  const refused = (await publish(again)).body.reason;
  assert.equal(refused.kind, 'replayedRound');
  assert.equal(refused.storedDigest, body.digest);
  assert.notEqual(refused.storedDigest, TypedDataEncoder.hash(again.domain, types, again.report));
});

test('the delegated license names its operator', async () => {
  const report = await signed(ownerA, draft({ tokenId: '2', op: operator.address, round: '1' }));
  assert.deepEqual(verify(report), { code: 0, out: ownerA.address });
  assert.equal((await publish(report)).status, 200);
  const wrong = await signed(ownerA, draft({ tokenId: '2', round: '2' }));
  assert.equal(verify(wrong).code, 1);
  assert.equal((await publish(wrong)).body.reason.kind, 'wrongOperator');
});

test('bad reports are refused with their reason, by verify report and by POST /reports alike', async () => {
  const good = await signed(ownerA, draft({ round: '20' }));
  const flipS = (sig) => {
    const s = Signature.from(sig);
    const high = '0x' + (N - BigInt(s.s)).toString(16).padStart(64, '0');
    return s.r + high.slice(2) + (s.v === 27 ? '1c' : '1b');
  };
  const cases = [
    ['tampered verdict', { ...good, report: { ...good.report, verdicts: [{ ...good.report.verdicts[0], verdict: 'misbehaving' }, good.report.verdicts[1]] } }, 'wrongSigner', /wrong signer/],
    ['stranger signs for the owner', await signed(stranger, draft({ round: '21' })), 'wrongSigner', /wrong signer/],
    ['stranger signs as owner', await signed(stranger, draft({ owner: stranger.address, round: '22' })), 'licenseNotOwned', /not owned by/],
    ['license of someone else', await signed(ownerB, draft({ owner: ownerB.address, round: '23' })), 'licenseNotOwned', /license 1 is not owned by/],
    ['no such license', await signed(ownerB, draft({ tokenId: '99', owner: ownerB.address })), 'licenseNotOwned', /no such license/],
    ['high s', { ...good, signature: flipS(good.signature) }, 'badSignature', /upper half|EIP-2/],
    ['v = 29', { ...good, signature: good.signature.slice(0, -2) + '1d' }, 'badSignature', /v is 29/],
    ['wrong chain', await signed(ownerA, draft({ chainId: '1', round: '24' })), 'wrongChain', /wrong chain/],
    ['wrong contract', await signed(ownerA, draft({ round: '25' }), ['--verifying-contract', ownerB.address]), 'wrongDomain', /wrong domain/],
  ];
  for (const [name, report, kind, message] of cases) {
    const v = verify(report);
    assert.equal(v.code, 1, `${name}: ${v.out}`);
    assert.match(v.out, /^invalid: /, name);
    assert.match(v.out, message, name);
    const { status, body } = await publish(report);
    assert.equal(status, 422, name);
    assert.equal(body.accepted, false, name);
    assert.equal(body.reason.kind, kind, `${name}: ${body.message}`);
    assert.match(body.message, message, name);
  }
  // The good one still goes through after all that.
  assert.equal((await publish(good)).status, 200);
});

test('a file that is no report: exit 2; a body that is no report: 400', async () => {
  const good = await signed(ownerA, draft({ round: '30' }));
  for (const bad of [{ nope: 1 }, { ...good, signature: good.signature.slice(0, 20) }, { ...good, extra: true }]) {
    assert.equal(verify(bad).code, 2, JSON.stringify(bad));
  }
  const r = spawnSync(devnetBinary, ['verify', 'report', path.join(dir, 'missing.json')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  const response = await fetch(`${devnet.url}/reports`, { method: 'POST', body: '{"domain":' });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).reason.kind, 'malformed');
});

test('ethers Contract reads licenses and delegations from the devnet chain\'s EVM RPC', async () => {
  const provider = new JsonRpcProvider(manifest.licenses.evm, undefined, { staticNetwork: false });
  assert.equal((await provider.getNetwork()).chainId, 31337n);
  assert.ok((await provider.getBlockNumber()) >= 1);
  const nft = new Contract(manifest.licenses.contract, [
    'function balanceOf(address owner) view returns (uint256)',
    'function ownerOf(uint256 tokenId) view returns (address)',
    'function tokenOfOwnerByIndex(address owner, uint256 index) view returns (uint256)',
    'function totalSupply() view returns (uint256)',
    'function supportsInterface(bytes4 interfaceId) view returns (bool)',
    'error ERC721NonexistentToken(uint256 tokenId)',
  ], provider);
  const manager = new Contract(manifest.licenses.manager, [
    'function getDelegatorInfo(address delegator, address operator) view returns (uint256[])',
  ], provider);
  assert.equal(await nft.balanceOf(ownerA.address), 2n);
  assert.equal(await nft.balanceOf(operator.address), 0n);
  assert.equal(await nft.ownerOf(3), ownerB.address);
  assert.equal(await nft.tokenOfOwnerByIndex(ownerB.address, 1), 4n);
  assert.equal(await nft.totalSupply(), 4n);
  assert.equal(await nft.supportsInterface('0x780e9d63'), true);
  assert.equal(await nft.supportsInterface('0xffffffff'), false);
  assert.deepEqual([...await manager.getDelegatorInfo(ownerA.address, operator.address)], [2n]);
  assert.deepEqual([...await manager.getDelegatorInfo(ownerB.address, operator.address)], []);
  await assert.rejects(nft.ownerOf(99), (e) => e.code === 'CALL_EXCEPTION' && e.revert?.name === 'ERC721NonexistentToken');
  provider.destroy();
});

test('the wasm core (pkg/) builds the same typed data, digest, calls and checks as ethers', async () => {
  const { readFileSync } = await import('node:fs');
  const { Interface, keccak256, toUtf8Bytes } = await import('ethers');
  const wasm = await import(path.join(repoRoot, 'pkg/zg_align.js'));
  wasm.initSync({ module: readFileSync(path.join(repoRoot, 'pkg/zg_align_bg.wasm')) });
  const contract = manifest.licenses.contract;

  const message = draft({ round: '40' });
  const typed = JSON.parse(wasm.reportTypedData(JSON.stringify(message), contract));
  assert.deepEqual(typed, typedData(message).typed);
  const { EIP712Domain, ...types } = typed.types;
  assert.equal(wasm.reportDigest(JSON.stringify(message), contract), TypedDataEncoder.hash(typed.domain, types, typed.message));

  const good = await signed(ownerA, message);
  assert.equal(wasm.reportSigner(JSON.stringify(good)), ownerA.address);
  const tampered = { ...good, report: { ...good.report, nodeVersion: '9' } };
  assert.throws(() => wasm.reportSigner(JSON.stringify(tampered)), /wrong signer/);
  const s = Signature.from(good.signature);
  const high = (N - BigInt(s.s)).toString(16).padStart(64, '0');
  assert.throws(() => wasm.reportSigner(JSON.stringify({ ...good, signature: s.r + high + (s.v === 27 ? '1c' : '1b') })), /upper half/);
  assert.throws(() => wasm.reportSigner('{"domain":1}'), /malformed report/);

  const erc721 = new Interface(['function balanceOf(address) view returns (uint256)', 'function ownerOf(uint256) view returns (address)']);
  const data = wasm.licenseCallData('balanceOf', [ownerA.address]);
  assert.equal(data, erc721.encodeFunctionData('balanceOf', [ownerA.address]));
  const answer = await (await fetch(manifest.licenses.evm, {
    method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: contract, data }, 'latest'] }),
  })).json();
  assert.equal(JSON.parse(wasm.licenseDecode('balanceOf', answer.result)), '2');
  const ownerAnswer = erc721.encodeFunctionResult('ownerOf', [ownerB.address]);
  assert.equal(JSON.parse(wasm.licenseDecode('ownerOf', ownerAnswer)), ownerB.address);
  assert.throws(() => wasm.licenseDecode('ownerOf', '0x1234'), /does not decode/);

  assert.equal(wasm.evidenceHash('{"b": 1, "a": [2.50, "x"]}'), keccak256(toUtf8Bytes('{"a":[2.5,"x"],"b":1}')));
  const panel = JSON.parse(wasm.rewardsPanel(100, 40, 60, 1000));
  assert.equal(panel.allocation, '854700854700854700854');
  assert.equal(panel.part1.penaltyPctToday, 50);
  assert.throws(() => wasm.rewardsPanel(10, 6, 5, 0), /more than/);
});
