// The committed storage vectors (tests/vectors/storage-sdk.json, read by
// crate/tests/sdk_reference.rs) are exactly what the 0G SDK says today, and the SDK's own proof
// check accepts each committed proof and rejects it with any one bit or flag changed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Proof } from '@0glabs/0g-ts-sdk';
import { makeVectors } from './sdk/make-storage-vectors.mjs';

const committed = JSON.parse(readFileSync(new URL('./vectors/storage-sdk.json', import.meta.url), 'utf8'));

/** `hash` (0x + 64 lowercase hex digits) with bit `bit` (0 = lowest bit of the last byte) flipped. */
function flipBit(hash, bit) {
  const digit = 65 - (bit >> 2);
  const value = parseInt(hash[digit], 16) ^ (1 << (bit & 3));
  return hash.slice(0, digit) + value.toString(16) + hash.slice(digit + 1);
}

test('tests/vectors/storage-sdk.json equals a fresh run of the SDK', { timeout: 300_000 }, async () => {
  assert.deepEqual(await makeVectors(), committed);
});

test('the vectors cover the sizes the core must agree on', () => {
  const sizes = new Set(committed.files.map((f) => f.size));
  for (const size of [1, 255, 256, 257, 262143, 262144, 262145, 16 * 262144 + 256, 17 * 262144, 4 * 2 ** 20 + 1, 9 * 2 ** 20 - 7]) {
    assert.ok(sizes.has(size), `size ${size}`);
  }
  assert.ok(committed.files.some((f) => f.segments > Math.ceil(f.size / 262144)), 'a file with rear padding segments');
});

test('the SDK validates each committed proof and rejects every one-bit change', () => {
  let checked = 0;
  for (const file of committed.files) {
    for (const p of file.proofs) {
      const check = (lemma, path, index = p.index, root = file.root) =>
        new Proof(lemma, path).validateHash(root, p.lemma[0], index, file.segments);
      assert.equal(check(p.lemma, p.path), null, `size ${file.size} index ${p.index}`);
      // One bit of each lemma entry (leaf, siblings, root), at a different place in each; the
      // leaf hash asked for stays the true one.
      p.lemma.forEach((_, i) => {
        const lemma = p.lemma.slice();
        lemma[i] = flipBit(lemma[i], (i * 37 + p.index) % 256);
        assert.notEqual(check(lemma, p.path), null, `size ${file.size} index ${p.index} lemma ${i}`);
      });
      // Every path flag.
      p.path.forEach((_, i) => {
        const path = p.path.slice();
        path[i] = !path[i];
        assert.notEqual(check(p.lemma, path), null, `size ${file.size} index ${p.index} path ${i}`);
      });
      // Another position.
      if (file.segments > 1) assert.notEqual(check(p.lemma, p.path, (p.index + 1) % file.segments), null);
      // Another root. The SDK does not compare the root of a one-leaf proof (lemma = [root]);
      // the core does (crate/tests/sdk_reference.rs), so only longer proofs are asked here.
      if (p.lemma.length > 1) assert.notEqual(check(p.lemma, p.path, p.index, flipBit(file.root, 0)), null);
      checked += 1;
    }
  }
  assert.ok(checked > 150, `${checked} proofs`);
});
