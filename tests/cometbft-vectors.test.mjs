// The committed CometBFT BLS vectors (tests/vectors/cometbft-bls.json, read by
// crate/tests/cometbft_vectors.rs and devnet/tests/cli_verify_cometbft.rs) are exactly what
// @noble/curves and the encoder written from the .proto files say today, and hold both verdicts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeVectors } from './sdk/make-cometbft-vectors.mjs';

const committed = JSON.parse(readFileSync(new URL('./vectors/cometbft-bls.json', import.meta.url), 'utf8'));

test('tests/vectors/cometbft-bls.json equals a fresh run of @noble/curves', () => {
  assert.deepEqual(makeVectors(), committed);
});

test('each profile has an honest commit with a quorum and a spoiled one with invalid slots', () => {
  for (const p of committed.profiles) {
    assert.equal(p.expected.honest.quorum, true);
    assert.ok(!p.expected.honest.slots.includes('invalid'));
    assert.equal(p.expected.spoiled.slots.filter((s) => s === 'invalid').length, 2);
  }
});
