// The validator check's trust anchor as the page and the element read it (package/trust-anchor.js):
// the written form to the worker's config, and each wrong form refused with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrustAnchor } from '../package/trust-anchor.js';

const HASH = 'A'.repeat(60) + '0f9E';

test('"<chain id> <height> <header hash>", spaces or commas between', () => {
  assert.deepEqual(parseTrustAnchor(`zgtendermint_16600-2 1234567 ${HASH}`), { chainId: 'zgtendermint_16600-2', height: 1234567, hash: HASH });
  assert.deepEqual(parseTrustAnchor(`  zg-devnet,12,\n0x${HASH} `), { chainId: 'zg-devnet', height: 12, hash: `0x${HASH}` });
});

test('a wrong anchor is refused with what is wrong', () => {
  for (const [text, reason] of [
    ['', /not 0 word/],
    [`zg 12`, /not 2 word/],
    [`zg 12 ${HASH} extra`, /not 4 word/],
    [`${'c'.repeat(51)} 12 ${HASH}`, /at most 50 characters/],
    [`zg 0 ${HASH}`, /not a block height: 0/],
    [`zg -3 ${HASH}`, /not a block height/],
    [`zg 1e3 ${HASH}`, /not a block height: 1e3/],
    [`zg 99999999999999999999 ${HASH}`, /not a block height/],
    [`zg 12 ${HASH.slice(1)}`, /not a header hash/],
    [`zg 12 ${HASH.slice(1)}g`, /not a header hash/],
  ]) {
    assert.throws(() => parseTrustAnchor(text), (e) => e instanceof Error && reason.test(e.message), text);
  }
});
