// The committed storage vectors are exactly what the 0G SDK says today, and the SDK's own proof
// check accepts each committed proof and rejects it with one bit changed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Proof } from '@0glabs/0g-ts-sdk';
import { makeVectors } from './sdk/make-storage-vectors.mjs';

const committed = JSON.parse(readFileSync(new URL('./vectors/storage-sdk.json', import.meta.url), 'utf8'));

test('tests/vectors/storage-sdk.json equals a fresh run of the SDK', { timeout: 180000 }, async () => {
  assert.deepEqual(await makeVectors(), committed);
});

test('the SDK validates each committed proof and rejects a flipped bit', () => {
  for (const file of committed.files) {
    for (const p of file.proofs) {
      const proof = new Proof(p.lemma, p.path);
      assert.equal(proof.validateHash(file.root, p.lemma[0], p.index, file.segments), null, `size ${file.size} index ${p.index}`);
      const flipped = p.lemma[0].slice(0, -1) + (p.lemma[0].endsWith('0') ? '1' : '0');
      assert.notEqual(proof.validateHash(file.root, flipped, p.index, file.segments), null);
    }
  }
});
