// A third-party app that installs the zg-align tarball: two <zg-align-node> elements on one page
// against the relay a manifest names (?manifest=URL), and the NodeClient API for the test to drive.
// The app (not the package) asks for a global: `window.consumer`.
import 'zg-align/element';
import { NodeClient } from 'zg-align';

const manifest = new URLSearchParams(location.search).get('manifest');
const seen = { verdicts: [], connections: [], reports: [] };

for (const node of document.querySelectorAll('zg-align-node')) {
  node.setAttribute('manifest-url', manifest);
  node.setAttribute('round-interval-ms', '500');
  node.addEventListener('zg-verdict', (e) => seen.verdicts.push({ element: node.id, ...e.detail }));
  node.addEventListener('zg-connection', (e) => seen.connections.push({ element: node.id, state: e.detail.state }));
  node.addEventListener('zg-report', (e) => seen.reports.push({ element: node.id, round: e.detail.round, verdicts: e.detail.verdicts.length }));
}

/** A client on a worker that runs the package's worker and crashes on request (dying-worker.js). */
async function spawnDying() {
  const worker = new Worker(new URL('./dying-worker.js', import.meta.url), { type: 'module' });
  const client = new NodeClient(worker);
  await client.ready;
  await client.request('subscribe');
  return client;
}

window.consumer = { NodeClient, spawnDying, seen, manifest };
