// Verdicts as a person reads them: one line per verdict that says why (the evidence of a
// misbehaving node, or why one is unreachable), and the table row of each node of each kind,
// keyed and marked by data attributes (`data-node`, `data-kind`, `data-verdict`, `data-round`).

/** The kinds of check the node runs. */
export const CHECK_KINDS = Object.freeze(['storage', 'da', 'validator', 'serving']);

const describers = {
  storage(v) {
    if (v.verdict === 'healthy') return `${v.samples} sampled segment(s) of its shard verified`;
    if (v.verdict === 'misbehaving') {
      const e = v.evidence;
      return `file ${e.root} segment ${e.index}: ${e.fault.kind} ${JSON.stringify(e.fault)}`;
    }
    if (v.verdict === 'unverifiable') {
      const e = v.evidence;
      return `through a relay this page does not trust, file ${e.root} segment ${e.index}: ${e.fault.kind} (unsigned: the relay could have changed it; accuses nobody)`;
    }
    if (v.verdict === 'unchecked') return `not checked (file ${v.root}): ${v.reason.kind}`;
    return `file ${v.root}: ${v.reason.kind} ${JSON.stringify(v.reason)}`;
  },
  // DA rows are blob certificates, keyed by data root (signedRows / evidence.epoch), or signers,
  // keyed by account (rows served over BatchRetrieve; `proven` of them against the blob's root).
  da(v) {
    if (v.verdict === 'healthy') {
      if ('signedRows' in v) return `certificate verified: ${v.signedRows} of 3072 rows signed`;
      if (v.rows === 0) return 'no rows of a checked certificate are counted as its';
      return `${v.rows} sampled row(s) served${v.proven ? `, ${v.proven} proven against their blob's data root` : ' (no row proofs to check them against)'}`;
    }
    if (v.verdict === 'unchecked') return `not checked: ${v.reason}`;
    if (v.verdict === 'misbehaving' || v.verdict === 'unverifiable') {
      const e = v.evidence;
      const relayed = v.verdict === 'unverifiable' ? ' (read through a relay this page does not trust: accuses nobody)' : '';
      return `certificate of blob ${e.dataRoot} epoch ${e.epoch} quorum ${e.quorumId}: ${e.fault.kind} ${JSON.stringify(e.fault)}${relayed}`;
    }
    const { kind, ...rest } = v.reason;
    return `blob ${v.dataRoot}: ${kind} ${JSON.stringify(rest)}`;
  },
  // Validator rows are keyed by CometBFT address; counts are over the verified heights in the
  // liveness window (a sample of the chain); evidence holds both signed votes, checkable by anyone.
  validator(v) {
    const spoiled = v.invalid ? `, ${v.invalid} invalid signature(s) in its slot, counted against nobody` : '';
    const counts = `signed ${v.signed}, nil ${v.nil}, missed ${v.missed}${spoiled} of the verified heights in the window; power ${v.power}`;
    if (v.verdict === 'misbehaving') {
      const e = v.evidence[0];
      const where = e.source.kind === 'block' ? `DuplicateVoteEvidence in block ${e.source.height}` : 'votes seen by this node';
      const block = (vote) => vote.block_id.hash || 'nil';
      return `equivocation at height ${e.voteA.height} round ${e.voteA.round}: signed ${e.voteA.vote_type}s for ${block(e.voteA)} and ${block(e.voteB)} (${where}; ${v.evidence.length} case(s)); ${counts}`;
    }
    const status = { offline: 'offline: voted at none', lagging: 'lagging: missed too many', pending: 'pending: too few heights seen yet' }[v.status] ?? v.status;
    return `${status}; ${counts}`;
  },
  serving(v) {
    const drift = (d) => (d.baseline ? `drift baseline ${d.observations} answers` : `drift statistic ${d.statistic.toFixed(1)} of ${d.threshold}`);
    if (v.verdict === 'healthy') return `${v.answers} signed answer(s) verified${v.drift ? `; ${drift(v.drift)}` : ' (canary re-run, bit for bit)'}`;
    if (v.verdict === 'drifting') return `answers left the provider's baseline: ${drift(v.drift)}, alarm at answer ${v.drift.alarmAt}`;
    if (v.verdict === 'misbehaving') {
      const f = v.evidence.fault;
      return `${f.kind === 'signature' ? f.signature.kind : f.kind}: ${JSON.stringify(f)}; node's text ${v.evidence.text}`;
    }
    if (v.verdict === 'unchecked') return `not checked: ${v.reason}`;
    const { kind, ...rest } = v.reason;
    return `${kind}: ${rest.message ?? JSON.stringify(rest)}`;
  },
};

/** One line that says why: the evidence of a misbehaving node, or why one is unreachable. */
export function describeVerdict(kind, v) {
  return (describers[kind] ?? ((x) => JSON.stringify(x)))(v);
}

/** Shows a verdict event in `rows` (a tbody): one row per node of each kind, updated in place. */
export function showVerdict(rows, { node, kind, verdict, round }) {
  // One row per node of each kind: ids are only unique within a kind.
  let row = rows.querySelector(`tr[data-kind="${CSS.escape(kind)}"][data-node="${CSS.escape(node)}"]`);
  if (!row) {
    row = rows.ownerDocument.createElement('tr');
    row.dataset.node = node;
    row.dataset.kind = kind;
    for (const cls of ['node', 'kind', 'verdict', 'round', 'evidence']) {
      const td = rows.ownerDocument.createElement('td');
      td.className = cls;
      row.append(td);
    }
    rows.append(row);
  }
  row.dataset.verdict = verdict.verdict;
  row.dataset.round = round;
  row.querySelector('.node').textContent = node;
  row.querySelector('.kind').textContent = kind;
  row.querySelector('.verdict').textContent = verdict.verdict;
  row.querySelector('.round').textContent = round;
  row.querySelector('.evidence').textContent = describeVerdict(kind, verdict);
  return row;
}
