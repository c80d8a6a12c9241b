// The committed DA vectors (tests/vectors/da-bn254.json, read by crate/tests/da_vectors.rs) are
// exactly what @noble/curves and ethers say today, and the vectors' pairing verdicts are not all alike.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeVectors } from './sdk/make-da-vectors.mjs';

const committed = JSON.parse(readFileSync(new URL('./vectors/da-bn254.json', import.meta.url), 'utf8'));

test('tests/vectors/da-bn254.json equals a fresh run of @noble/curves and ethers', () => {
  assert.deepEqual(makeVectors(), committed);
});

test('the DA vectors hold valid and invalid aggregates', () => {
  const checks = committed.blobs.flatMap((b) => b.checks);
  assert.equal(checks.filter((c) => c.valid).length, committed.blobs.length);
  assert.equal(checks.filter((c) => !c.valid).length, 2 * committed.blobs.length);
});
