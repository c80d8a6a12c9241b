// Type-checked against the installed package (tsc --noEmit in tests/consumer.test.mjs): every
// export is declared, and the worker protocol's types come from the Rust enums.
import { NodeClient, NodeClientError, SharedNode, WalletManager, expectedChain, describeVerdict, CHECK_KINDS } from 'zg-align';
import type { Command, NodeEvent, StartParams, Status, VerdictEvent, WorkerMessage, CheckKind } from 'zg-align';
import { ZgAlignNode } from 'zg-align/element';

export async function run(manifestUrl: string): Promise<void> {
  const client: NodeClient = await NodeClient.spawn({ timeoutMs: 5000 });
  const config: StartParams = { manifestUrl, kinds: ['storage'] satisfies CheckKind[], roundIntervalMs: 500 };
  await client.start(config);
  const status: Status = await client.status();
  console.log(status.running, status.wasmMemoryBytes, CHECK_KINDS.length);
  client.addEventListener('verdict', (e) => console.log(e.detail.node, describeVerdict(e.detail.kind, e.detail.verdict)));
  for await (const event of client.events()) {
    const e: NodeEvent = event;
    if (e.type === 'verdict') console.log((e satisfies VerdictEvent).verdict.verdict);
    break;
  }
  const wallet = new WalletManager();
  wallet.discover();
  wallet.expect(await expectedChain());
  client.signer = (account, typedData) => wallet.signTypedData(account, typedData);
  const command: Command = { method: 'echo', params: { len: 16, count: 1 } };
  const answer: WorkerMessage = { id: 1, result: null };
  console.log(command.method, 'id' in answer);
  try {
    await client.request('status', undefined, { timeoutMs: 10 });
  } catch (e) {
    if (e instanceof NodeClientError && e.reason === 'timeout') console.log('slow');
  }
  client.dispose();
  const shared = await SharedNode.join({ name: 'typed' });
  console.log(shared.role, shared.currentEvents().length);
  const node = document.querySelector('zg-align-node');
  if (node instanceof ZgAlignNode) node.addEventListener('zg-verdict', (e) => console.log(e.detail.kind));
}
