// The tab: starts the node's worker, shows its verdicts. The checks never run on this thread.

const startButton = document.getElementById('start');
const stateEl = document.getElementById('state');
const rows = document.querySelector('#verdicts tbody');
let worker = null;

function setState(state) {
  stateEl.textContent = state;
  stateEl.dataset.state = state;
}

/** One line that says why: the evidence of a misbehaving node, or why one is unreachable. */
function describe(v) {
  if (v.verdict === 'healthy') return `${v.files.length} file(s), all sampled segments verified`;
  const bad = v.files.find((f) => f.verdict === v.verdict) ?? v;
  if (v.verdict === 'misbehaving') {
    const e = bad.evidence;
    return `file ${e.root} segment ${e.index}: ${JSON.stringify(e.fault)}`;
  }
  return `file ${bad.root}: ${JSON.stringify(bad.reason)}`;
}

function showVerdict({ node, kind, verdict }) {
  let row = rows.querySelector(`tr[data-node="${CSS.escape(node)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.node = node;
    row.innerHTML = '<td class="node"></td><td class="kind"></td><td class="verdict"></td><td class="evidence"></td>';
    rows.append(row);
  }
  row.dataset.kind = kind;
  row.dataset.verdict = verdict.verdict;
  row.querySelector('.node').textContent = node;
  row.querySelector('.kind').textContent = kind;
  row.querySelector('.verdict').textContent = verdict.verdict;
  row.querySelector('.evidence').textContent = describe(verdict);
}

function start() {
  if (worker) return;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (data.type === 'state') setState(data.state);
    else if (data.type === 'verdict') showVerdict(data);
    else if (data.type === 'error') setState(`error: ${data.message}`);
  };
  worker.onerror = (e) => setState(`error: ${e.message}`);
  worker.postMessage({ type: 'start', manifest: new URL('/devnet.json', location.href).href });
  startButton.disabled = true;
}

startButton.addEventListener('click', start);
if (new URLSearchParams(location.search).get('autostart') === '1') start();
