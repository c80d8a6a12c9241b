// The node's dedicated worker: loads the wasm core and runs the checks off the page's thread.

import init, { checkStorageNode } from '/pkg/zg_align.js';

const CHECK_TIMEOUT_MS = 2000;

async function runRound(manifestUrl) {
  postMessage({ type: 'state', state: 'loading' });
  await init();
  const response = await fetch(manifestUrl);
  if (!response.ok) throw new Error(`manifest: HTTP ${response.status}`);
  const manifest = await response.json();
  const files = manifest.files.map(({ root, size }) => ({ root, size }));
  postMessage({ type: 'state', state: 'checking' });
  await Promise.all(manifest.storage.map(async (node) => {
    const verdict = await checkStorageNode(node.rpc, files, CHECK_TIMEOUT_MS);
    postMessage({ type: 'verdict', node: node.id, kind: 'storage', verdict });
  }));
  postMessage({ type: 'state', state: 'done' });
}

onmessage = ({ data }) => {
  if (data.type === 'start') {
    runRound(data.manifest).catch((e) => postMessage({ type: 'error', message: String(e?.message ?? e) }));
  }
};
