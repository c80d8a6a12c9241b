// Serving response signatures held against ethers 6, which we did not write: EIP-191 signatures
// ethers' Wallet.signMessage makes are accepted by `zg-align-devnet verify serving` (and refused
// for another signer or a changed text), and ethers.verifyMessage recovers each devnet provider's
// registered TEE signer from the records it serves, over texts ethers computes from the bytes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Wallet, sha256, toUtf8Bytes, verifyMessage } from 'ethers';
import { devnetBinary, repoRoot, startDevnet } from './lib/devnet.mjs';

let devnet;
let manifest;

before(async () => {
  devnet = await startDevnet(['--slow-ms', '200']);
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
});

after(async () => { await devnet?.stop(); });

const verify = (...args) => spawnSync(devnetBinary, ['verify', 'serving', ...args], { cwd: repoRoot, encoding: 'utf8' });
const text = (request, response) => `${sha256(request).slice(2)}:${sha256(response).slice(2)}`;

test('signatures made by ethers are accepted, and only for their signer and text', async () => {
  for (let i = 0; i < 5; i += 1) {
    const wallet = Wallet.createRandom();
    const t = text(toUtf8Bytes(`{"q":${i}}`), toUtf8Bytes(`{"a":${i}}`));
    const signature = await wallet.signMessage(t);
    const ok = verify('--text', t, '--signature', signature, '--signer', wallet.address);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout.trim(), `valid: ${wallet.address}`);
    const other = verify('--text', t, '--signature', signature, '--signer', Wallet.createRandom().address);
    assert.equal(other.status, 1, other.stdout);
    const changed = verify('--text', `${t}0`, '--signature', signature, '--signer', wallet.address);
    assert.equal(changed.status, 1, changed.stdout);
  }
  assert.equal(verify('--text', 'x', '--signature', '0x1234').status, 2);
});

test('ethers recovers each provider signer from the devnet records, as the manifest says', async () => {
  const byId = Object.fromEntries(manifest.serving.providers.map((p) => [p.id, p]));
  for (const id of ['serving-0', 'serving-1', 'serving-2', 'serving-3']) {
    const p = byId[id];
    const request = JSON.stringify({ model: p.model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4, temperature: 0 });
    const answer = await fetch(`${devnet.url}/serving/${id}`, { method: 'POST', body: request });
    assert.equal(answer.status, 200);
    const { response, signature } = await answer.json();
    const bytes = Buffer.from(response, 'base64');
    const recovered = verifyMessage(signature.text, signature.signature);
    assert.equal(recovered, signature.signing_address);
    const ours = text(toUtf8Bytes(request), bytes);
    if (p.fault === 'unregistered-key') {
      assert.notEqual(recovered, p.teeSigner);
      assert.equal(signature.text, ours);
    } else {
      assert.equal(recovered, p.teeSigner, id);
      assert.equal(signature.text === ours, p.fault !== 'tampered-response', id);
    }
  }
});
