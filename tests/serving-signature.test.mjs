// Serving response signatures held against ethers 6, which we did not write: EIP-191 signatures
// ethers' Wallet.signMessage makes are accepted by `zg-align-devnet verify serving` (and refused
// for another signer or a changed text), and ethers.verifyMessage recovers each devnet provider's
// registered TEE signer from the records it serves, over texts ethers computes from the bytes.
// The chat requests go to the devnet's provider brokers as the compute SDK sends them: a session
// signed by ethers for the devnet's funded account, the answer read raw (gzip not undone).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Wallet, getBytes, hexlify, keccak256, randomBytes, sha256, toUtf8Bytes, verifyMessage } from 'ethers';
import { devnetBinary, repoRoot, startDevnet } from './lib/devnet.mjs';

let devnet;
let manifest;

before(async () => {
  devnet = await startDevnet(['--slow-ms', '200']);
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
});

after(async () => { await devnet?.stop(); });

// The devnet's funded account (devnet/src/serving.rs `devnet_account`), as its providers know it.
const account = new Wallet(keccak256(toUtf8Bytes('zg-align devnet serving account')));

/** The compute SDK's ephemeral session for `provider`: its token as JSON, personal_sign over the
 * 32 bytes of keccak256(token), sent as `Authorization: Bearer app-sk-base64(token|signature)`. */
async function session(provider) {
  const now = Date.now();
  const token = JSON.stringify({ address: account.address, provider, timestamp: now, expiresAt: now + 3600000, nonce: hexlify(randomBytes(16)).slice(2), generation: 0, tokenId: 255 });
  const signature = await account.signMessage(getBytes(keccak256(toUtf8Bytes(token))));
  return { authorization: `Bearer app-sk-${Buffer.from(`${token}|${signature}`).toString('base64')}` };
}

/** POSTs `body` and returns the answer's bytes as sent (node:http undoes no Content-Encoding). */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip', ...headers } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

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
    const answer = await post(`${p.url}/v1/proxy/chat/completions`, await session(p.node), request);
    assert.equal(answer.status, 200, `${id}: ${answer.body}`);
    assert.equal(answer.headers['content-encoding'], 'gzip', 'the broker gzips its answers');
    const bytes = answer.body;
    const chatId = answer.headers['zg-res-key'] || JSON.parse(gunzipSync(bytes)).id;
    const record = await fetch(`${p.url}/v1/proxy/signature/${chatId}?model=${encodeURIComponent(p.model)}`);
    assert.equal(record.status, 200, id);
    const signature = await record.json();
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
