// The devnet is 0G-shaped, not just self-consistent: the official 0G TS SDKs (both scopes) list
// the storage nodes through the devnet's indexer and download every file from its honest storage
// nodes (two shards of two) with their own Downloader, and the bytes have the root the chain
// recorded; the chain's Submit logs decode with ethers into the submission the SDK itself makes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as legacy from '@0glabs/0g-ts-sdk';
import * as foundation from '@0gfoundation/0g-ts-sdk';
import { Interface, JsonRpcProvider } from 'ethers';
import { startDevnet } from './lib/devnet.mjs';

let devnet;
let manifest;

before(async () => {
  devnet = await startDevnet();
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
});

after(() => devnet?.stop());

for (const [scope, sdk] of [['@0glabs/0g-ts-sdk', legacy], ['@0gfoundation/0g-ts-sdk', foundation]]) {
  test(`${scope}: the indexer lists every node with its shard`, async () => {
    const indexer = new sdk.Indexer(manifest.indexer);
    const nodes = await indexer.getShardedNodes();
    assert.deepEqual(nodes.trusted.map((n) => [n.url, n.config]), manifest.storage.map((n) => [n.rpc, n.shard]));
    const honest = manifest.storage.filter((n) => n.fault === null);
    assert.deepEqual(honest.map((n) => n.shard.numShard), [2, 2], 'the honest nodes are two shards of two');
    const locations = await indexer.getFileLocations(manifest.files[0].root);
    assert.ok(locations.length >= honest.length);
  });

  test(`${scope}: its Downloader fetches every file from the honest sharded nodes`, { timeout: 120000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zg-sdk-'));
    try {
      const honest = manifest.storage.filter((n) => n.fault === null).map((n) => new sdk.StorageNode(n.rpc));
      for (const file of manifest.files) {
        const out = path.join(dir, file.name);
        const err = await new sdk.Downloader(honest).downloadFile(file.root, out, false);
        assert.equal(err, null, `${file.name}: ${err?.message}`);
        const bytes = readFileSync(out);
        assert.equal(bytes.length, file.size, file.name);
        const [tree, treeErr] = await new sdk.MemData(bytes).merkleTree();
        assert.equal(treeErr, null);
        assert.equal(tree.rootHash(), file.root, `${file.name}: the downloaded bytes have the chain's root`);
      }
      // Either honest node alone holds only its shard: the SDK finds no node for the other half.
      const single = new sdk.Downloader([honest[0]]);
      const big = manifest.files.find((f) => f.size > 2 * 262144);
      assert.notEqual(await single.downloadFile(big.root, path.join(dir, 'half'), false), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the chain\'s Submit logs are the submissions the SDK makes of the same bytes', { timeout: 120000 }, async () => {
  const flow = new Interface([
    'event Submit(address indexed sender, bytes32 indexed identity, uint256 submissionIndex, uint256 startPos, uint256 length, (uint256 length, bytes tags, (bytes32 root, uint256 height)[] nodes) submission)',
  ]);
  const provider = new JsonRpcProvider(manifest.evm, undefined, { staticNetwork: true });
  const logs = await provider.getLogs({ address: manifest.flow.flow, fromBlock: 0, toBlock: 'latest', topics: [flow.getEvent('Submit').topicHash] });
  provider.destroy();
  assert.equal(logs.length, manifest.files.length);
  assert.equal(flow.getEvent('Submit').topicHash, '0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555');
  const dir = mkdtempSync(path.join(tmpdir(), 'zg-sdk-'));
  try {
    const honest = manifest.storage.filter((n) => n.fault === null).map((n) => new foundation.StorageNode(n.rpc));
    for (const [log, file] of logs.map((l, i) => [flow.parseLog(l), manifest.files[i]])) {
      const out = path.join(dir, file.name);
      assert.equal(await new foundation.Downloader(honest).downloadFile(file.root, out, false), null);
      // 1.2.8 wraps the contract's Submission as `data` (beside the submitter); 0.3.3 returns it bare.
      const [made, err] = await new foundation.MemData(readFileSync(out)).createSubmission('0x');
      assert.equal(err, null);
      const submission = made.data ?? made;
      const nodes = log.args.submission.nodes.map((n) => [n.root, Number(n.height)]);
      assert.deepEqual(nodes, submission.nodes.map((n) => [n.root, Number(n.height)]), `${file.name}: nodes`);
      // (an ethers Result's own `.length` counts its fields: named values through getValue)
      assert.equal(log.args.submission.getValue('length'), BigInt(file.size), 'submission.length is the byte size');
      assert.equal(Number(log.args.startPos), file.startEntryIndex);
      assert.equal(Number(log.args.submissionIndex), file.txSeq);
      assert.equal(Number(log.args.getValue('length')), submission.nodes.reduce((a, n) => a + 2 ** Number(n.height), 0), 'length counts entries');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
