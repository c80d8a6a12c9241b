// Verdicts in words: one line per verdict that says why (the evidence of a misbehaving node, or
// why one is unreachable), written from the node's own shapes: the Rust verdict enums, serialised
// with serde's `kind`/`verdict` tags. Their `rename_all` renames variants, not the variants' own
// fields, which stay snake_case (`signed_rows`, `data_root`, `row_hash`); structs' fields are
// camelCase (`dataRoot`, `voteA`). A fault's code name follows its words in parentheses, to find
// it in the raw JSON and in docs/. A shape this file does not know is said field by field: no
// line ever reads "undefined".

/** The kinds of check the node runs. */
export const CHECK_KINDS = Object.freeze(['storage', 'da', 'validator', 'serving']);

/** Verdict names, most serious first: the order problems are shown in. */
export const VERDICT_ORDER = Object.freeze(['misbehaving', 'unverifiable', 'drifting', 'unreachable', 'unchecked', 'pending', 'healthy']);

/** Whether a verdict needs the owner's eye (anything but healthy or not yet judged). */
export function isProblem(verdict) {
  return !['healthy', 'pending', 'unchecked'].includes(verdict);
}

/** A long hash as `0x12345678…abcd` (the raw JSON keeps it whole). */
export function shortId(id) {
  const s = String(id ?? '');
  return s.length > 22 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s;
}

/** A signed text `hex(sha256(request)):hex(sha256(response))` as `af685bad…:e1594d72…`. */
function shortText(text) {
  return String(text ?? '').split(':').map((h) => (h.length > 16 ? `${h.slice(0, 8)}…` : h)).join(':');
}

/** Any value as words: objects field by field, never "undefined" or "[object Object]". */
function said(value) {
  if (value === undefined || value === null) return 'none';
  if (Array.isArray(value)) return value.length ? value.map(said).join(', ') : 'none';
  if (typeof value === 'object') {
    const { kind, ...rest } = value;
    const fields = Object.entries(rest).map(([k, v]) => `${k} ${said(v)}`).join(', ');
    return kind ? `${kind}${fields ? ` (${fields})` : ''}` : fields || 'nothing';
  }
  return String(value);
}

/** Words for a tagged fault: `table[kind](fault)` then its code, else its fields. */
function words(table, fault) {
  if (!fault || typeof fault !== 'object') return said(fault);
  const say = table[fault.kind];
  return say ? `${say(fault)} (${fault.kind})` : said(fault);
}

const proofFault = {
  format: (f) => `the proof has ${f.lemma} lemma entries for ${f.path} path bits`,
  tooDeep: (f) => `the proof is ${f.path} levels deep, more than ${f.max}`,
  leafMismatch: (f) => `the proof's leaf ${shortId(f.received)} is not the hash of the data served, ${shortId(f.expected)}`,
  rootMismatch: (f) => `the proof's root ${shortId(f.received)} is not the file root ${shortId(f.expected)}`,
  positionMismatch: (f) => `the proof's path leads to leaf ${f.received ?? 'none'} of ${f.leaves}, not ${f.expected}`,
  pathMismatch: (f) => `the proof's siblings hash to ${shortId(f.received)}, not the root ${shortId(f.expected)}`,
};

const segmentFault = {
  ...proofFault,
  wrongRoot: (f) => `the answer is for root ${shortId(f.received)}, not ${shortId(f.expected)}`,
  wrongIndex: (f) => `the answer is for segment ${f.received}, not ${f.expected}`,
  wrongFileSize: (f) => `the answer gives file size ${f.received}, not ${f.expected}`,
  dataLength: (f) => `the segment's data is ${f.received} bytes, not ${f.expected}`,
  rearPadding: (f) => `proof node ${shortId(f.received)} covers only rear padding and must be ${shortId(f.expected)}`,
};

const transportError = {
  timeout: (e) => `no answer within ${e.ms} ms`,
  connect: (e) => `cannot reach the node: ${e.message}`,
  status: (e) => `the node answered HTTP ${e.status}`,
  tooLarge: (e) => `the answer is over the ${e.limit}-byte cap`,
  refused: (e) => `the network peer could not relay the call (${e.code}): ${e.message}`,
};

const rpcError = {
  tooLarge: (e) => `the answer is ${e.received} bytes, over the ${e.limit}-byte cap`,
  malformed: (e) => `the answer is not valid JSON-RPC: ${e.message}`,
  wrongId: (e) => `the answer has id ${e.received}, not ${e.expected}`,
  remote: (e) => `the node answered error ${e.code}: ${e.message}`,
  base64: (e) => `the segment data is not valid base64: ${e.message}`,
  dataTooLarge: (e) => `the segment data is ${e.received} bytes, over the ${e.limit}-byte segment size`,
};

const storageUnreachable = {
  transport: (r) => `segment ${r.index}: ${words(transportError, r.error)}`,
  badAnswer: (r) => `segment ${r.index}: ${words(rpcError, r.error)}`,
  withheld: (r) => `segment ${r.index}: the node returned no segment, withheld or not stored`,
  deadline: (r) => `the check did not finish within ${r.ms} ms`,
  nodeCall: (r) => `${r.call}: ${words(transportError, r.error)}`,
  nodeInfo: (r) => `${r.call}: ${words(rpcError, r.error)}`,
  fileUnknown: () => 'the node does not know the file (zgs_getFileInfo answers nothing)',
};

const storageUnchecked = {
  notInShard: () => 'the node holds no segment of this file in its shard',
  notFinalized: () => 'the file is not finalized on the node yet',
  pruned: () => 'the node pruned the file',
  notSynced: (r) => `the node's log is synced to block ${r.synced}, before the file's submission at block ${r.submitted}`,
  unknownSize: () => "the file's size is not known from the chain",
};

const certFault = {
  badSignature: (f) => `the aggregate signature does not verify for the ${f.signed_rows} row(s) its bitmap names`,
  belowQuorum: (f) => `only ${f.signed_rows} of ${f.rows} rows signed, under the 2/3 quorum`,
  dataRootMismatch: (f) => `the blob's coset roots hash to ${shortId(f.computed)}, not to the certified data root`,
  bitmapLength: (f) => `the signer bitmap is ${f.received} bytes, the chain needs ${f.expected}`,
};

const rowProofFault = {
  length: (f) => `the row has ${f.received} bytes, a row is ${f.expected}`,
  wrongIndex: (f) => `the proof is for row ${f.received}, row ${f.expected} was asked`,
  dataRoot: (f) => `the proof's coset roots hash to ${shortId(f.computed)}, not to the data root`,
  localRoot: () => "its words do not hash to the proof's leaf",
  path: () => "the path does not lead to its coset's root",
  commitment: () => "the slice's erasure commitment is not the certified one",
};

const sliceError = {
  truncated: (e) => `${e.what}: ${e.needed} more bytes needed, ${e.remaining} left`,
  trailing: (e) => `${e.extra} bytes after the end`,
  count: (e) => `${e.what}: count ${e.received}, expected ${e.expected}`,
  index: (e) => `${e.what} ${e.received} is out of range (at most ${e.max})`,
  notCanonical: (e) => `word ${e.index} of the row is not a canonical scalar`,
  element: (e) => `${e.what}: not a valid scalar or G1 point (${e.message})`,
};

const replyError = {
  tooLarge: (e) => `a reply of ${e.bytes} bytes, more than ${e.max}`,
  protobuf: (e) => `not a BatchRetrieveReply: ${e.message}`,
  requests: (e) => `${e.received} slice lists for 1 request`,
  rows: (e) => `${e.received} rows for ${e.expected} asked`,
  row: (e) => `row ${e.index}: ${words(sliceError, e.source)}`,
};

// A DA signer that did not serve its rows over Signer.BatchRetrieve.
const daUnreachable = {
  transport: (r) => `no answer: ${r.message}`,
  refused: (r) => `the signer refused the request (gRPC ${r.code}): ${r.message}`,
  lost: (r) => `rows lost from the signer's store: ${r.message}`,
  garbled: (r) => `the reply is not an answer to the request: ${words(replyError, r.error)}`,
};

const signatureFault = {
  malformed: (f) => `the signature is not 65 bytes of hex: ${f.message}`,
  invalid: (f) => `the signature is not a valid secp256k1 signature: ${f.message}`,
  unregisteredSigner: (f) => `signed by ${f.recovered}, not by the registered TEE signer ${f.registered}`,
  responseMismatch: (f) => `the signed text ${shortText(f.signed)} does not match the response received, ${shortText(f.expected)}`,
  requestMismatch: (f) => `the signed text ${shortText(f.signed)} does not match the request sent, ${shortText(f.expected)}`,
};

const exchangeError = {
  status: (e) => `HTTP status ${e.status}`,
  tooLarge: (e) => `a response of ${e.bytes} bytes, more than ${e.max}`,
  encoding: (e) => `Content-Encoding "${e.encoding}" is not one the node reads`,
  decode: (e) => `the ${e.encoding} body does not decode: ${e.message}`,
  notCompletion: (e) => `the response is not a chat completion: ${e.message}`,
  noChatId: () => 'no chat ID: no ZG-Res-Key header and no id in the body',
  badChatId: (e) => `chat ID "${e.id}" is not a short token`,
  record: (e) => `signature record: ${e.message}`,
};

const servingUnreachable = {
  timeout: (r) => r.message,
  refused: (r) => r.message,
  http: (r) => `the provider answered HTTP ${r.status}`,
  unreadable: (r) => words(exchangeError, r.error),
  noSignature: (r) => words(exchangeError, r.error),
  unattributed: (r) => `${words(signatureFault, r.fault)}; through the relay this is not surely the provider's doing`,
};

const UNTRUSTED = '; seen through a relay this page does not trust, unsigned: the relay could have changed it, so it accuses nobody';

const describers = {
  storage(v) {
    const file = `file ${shortId(v.root ?? v.evidence?.root)}`;
    if (v.verdict === 'healthy') return `${v.samples} sampled segment(s) of its shard verified`;
    if (v.verdict === 'misbehaving' || v.verdict === 'unverifiable') {
      const e = v.evidence;
      return `${file} segment ${e.index}: ${words(segmentFault, e.fault)}${v.verdict === 'unverifiable' ? UNTRUSTED : ''}`;
    }
    if (v.verdict === 'unreachable') return `${file}: ${words(storageUnreachable, v.reason)}`;
    if (v.verdict === 'unchecked') return `not checked on ${file}: ${words(storageUnchecked, v.reason)}`;
    return null;
  },
  // DA rows are blob certificates, keyed by data root (signed_rows / evidence.epoch), or signers,
  // keyed by account (rows served over BatchRetrieve; `proven` of them against the blob's root).
  da(v) {
    if (v.verdict === 'healthy') {
      if ('signed_rows' in v) return `certificate verified: ${v.signed_rows} of 3072 rows signed`;
      if (v.rows === 0) return 'no rows of a checked certificate are counted as its';
      return `${v.rows} sampled row(s) served${v.proven ? `, ${v.proven} proven against their blob's data root` : ', none proven (no row proofs to check them against)'}`;
    }
    if (v.verdict === 'unchecked') return `not checked: ${v.reason}`;
    const e = v.evidence;
    if ((v.verdict === 'misbehaving' || v.verdict === 'unverifiable') && e && 'epoch' in e) {
      return `certificate of blob ${shortId(e.dataRoot)} (epoch ${e.epoch}, quorum ${e.quorumId}): ${words(certFault, e.fault)}${v.verdict === 'unverifiable' ? UNTRUSTED : ''}`;
    }
    if (v.verdict === 'unreachable') {
      const r = v.reason ?? {};
      const blob = `blob ${shortId(v.data_root)}`;
      if (r.kind === 'badRow') return `${blob}: row ${r.index} does not match its proof: ${rowProofFault[r.fault?.kind]?.(r.fault) ?? said(r.fault)} (badRow / ${r.fault?.kind ?? 'unknown'}); the row's hash is ${shortId(r.row_hash)}`;
      return `${blob}: ${words(daUnreachable, r)}`;
    }
    return null;
  },
  // Validator rows are keyed by CometBFT address; counts are over the verified heights in the
  // liveness window (a sample of the chain); evidence holds both signed votes, checkable by anyone.
  validator(v) {
    const spoiled = v.invalid ? `, ${v.invalid} invalid signature(s) in its slot, counted against nobody` : '';
    const counts = `signed ${v.signed}, nil ${v.nil}, missed ${v.missed}${spoiled} of the verified heights in the window; power ${v.power}`;
    const e = v.evidence?.[0];
    if (v.verdict === 'misbehaving' && e) {
      const where = e.source?.kind === 'block' ? `DuplicateVoteEvidence in block ${e.source.height}` : 'votes seen by this node';
      const block = (vote) => vote.block_id?.hash || 'nil';
      return `equivocation at height ${e.voteA.height} round ${e.voteA.round}: signed ${e.voteA.vote_type}s for ${block(e.voteA)} and ${block(e.voteB)} (${where}; ${v.evidence.length} case(s)); ${counts}`;
    }
    const status = { offline: 'offline: voted at none', lagging: 'lagging: missed too many', pending: 'pending: too few heights seen yet', healthy: 'healthy', misbehaving: 'misbehaving' }[v.status] ?? said(v.status);
    return `${status}; ${counts}`;
  },
  serving(v) {
    const drift = (d) => (d.baseline ? `drift baseline ${d.observations} answers` : `drift statistic ${Number(d.statistic).toFixed(1)} of ${d.threshold}`);
    if (v.verdict === 'healthy') return `${v.answers} signed answer(s) verified${v.drift ? `; ${drift(v.drift)}` : ' (canary re-run, bit for bit)'}`;
    if (v.verdict === 'drifting') return `answers left the provider's baseline: ${drift(v.drift)}${v.drift.alarmAt != null ? `, alarm at answer ${v.drift.alarmAt}` : ''}`;
    if (v.verdict === 'misbehaving') {
      const f = v.evidence.fault;
      const under = `; signed text ${shortText(v.evidence.text)}`;
      if (f.kind === 'signature') return `${f.signature.kind}: ${signatureFault[f.signature.kind]?.(f.signature) ?? said(f.signature)}${under}`;
      if (f.kind === 'canaryMismatch') return `canaryMismatch: the canary "${f.prompt}" got "${f.received}", the declared model's re-run gives "${f.expected}"${under}`;
      if (f.kind === 'unreadableResponse') return `unreadableResponse: the signed response is not a chat completion: ${f.message}${under}`;
      return `${said(f)}${under}`;
    }
    if (v.verdict === 'unchecked') return `not checked: ${v.reason}`;
    if (v.verdict === 'unreachable') {
      const say = servingUnreachable[v.reason?.kind];
      return say ? `${v.reason.kind}: ${say(v.reason)}` : said(v.reason);
    }
    return null;
  },
};

/** A relay as the verdict names it: its place in the page's list and its peer id. */
function relayName(r) {
  return `relay ${r?.index ?? '?'}${r?.peer ? ` (${shortId(r.peer)})` : ''}`;
}

/** What two relays showed of the node (`paths`, `relayFault`, `confirmed`: crate/src/paths/), in
 * words; empty for a verdict seen through one relay. */
function pathsNote(v) {
  const paths = Array.isArray(v.paths) ? v.paths : [];
  if (!paths.length && !v.relayFault) return '';
  const [first, second] = paths;
  const parts = [];
  if (v.relayFault?.kind === 'hid') {
    parts.push(`${relayName(v.relayFault.relay)} hid this node (relay fault): through it ${first?.verdict ?? 'unreachable'}${first?.detail ? ` (${first.detail})` : ''}, while ${relayName(second?.relay)} reached it`);
  } else if (v.relayFault?.kind === 'forged') {
    parts.push(`${relayName(v.relayFault.relay)} forged a fault (relay fault): ${first?.detail ?? 'a fault'}, which the node's own answer through ${relayName(second?.relay)} does not have`);
  } else if (v.relayFault) {
    parts.push(`${relayName(v.relayFault.relay)}: relay fault ${said(v.relayFault.kind)}`);
  }
  if (v.confirmed) {
    const each = paths.map((p) => `${relayName(p.relay)}${p.answerKeccak ? `, answer keccak ${shortId(p.answerKeccak)}` : ''}`);
    parts.push(`the same fault through two independent relays: ${each.join(' and ')}`);
  } else if (!v.relayFault && second?.verdict === 'unreachable' && first?.verdict === 'unreachable') {
    parts.push(`unreachable through ${relayName(second.relay)} too${second.detail ? ` (${second.detail})` : ''}`);
  } else if (!v.relayFault && second) {
    parts.push(`asked again through ${relayName(second.relay)}: ${second.verdict}${second.detail ? ` (${second.detail})` : ''}, not confirmed`);
  }
  const note = parts.join('; ');
  return note ? `. ${note[0].toUpperCase()}${note.slice(1)}` : '';
}

/** One line that says why: the evidence of a misbehaving node, or why one is unreachable; and what
 * a second relay showed, when one was asked. */
export function describeVerdict(kind, v) {
  let line = null;
  try {
    line = describers[kind]?.(v) ?? null;
    if (line !== null) line += pathsNote(v);
  } catch {
    // A shape this page does not know (a newer node): said field by field below.
  }
  return line ?? said(v);
}
