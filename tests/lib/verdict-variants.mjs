// One verdict of every variant the node can send, in its serialised shape (the Rust enums under
// crate/src: serde `verdict`/`kind` tags; a variant's own fields snake_case, structs' camelCase),
// for the page's words to be checked against all of them, not only those a devnet round shows.

const H = (n) => `0x${String(n).repeat(64).slice(0, 64)}`;
const HEX = (n) => String(n).repeat(64).slice(0, 64).toUpperCase();

const proofFaults = [
  { kind: 'format', lemma: 3, path: 2 }, { kind: 'tooDeep', path: 70, max: 64 }, { kind: 'leafMismatch', expected: H(1), received: H(2) },
  { kind: 'rootMismatch', expected: H(1), received: H(2) }, { kind: 'positionMismatch', expected: 5, received: null, leaves: 18 },
  { kind: 'positionMismatch', expected: 5, received: 6, leaves: 18 }, { kind: 'pathMismatch', expected: H(1), received: H(2) },
];
const segmentFaults = [
  { kind: 'wrongRoot', expected: H(1), received: H(2) }, { kind: 'wrongIndex', expected: 3, received: 4 }, { kind: 'wrongFileSize', expected: 200, received: 201 },
  { kind: 'dataLength', expected: 256, received: 262144 }, ...proofFaults, { kind: 'rearPadding', expected: H(1), received: H(2) },
];
const transportErrors = [{ kind: 'timeout', ms: 3000 }, { kind: 'connect', message: 'refused' }, { kind: 'status', status: 502 }, { kind: 'tooLarge', limit: 1048576 }, { kind: 'refused', code: 3, message: 'no such peer' }];
const rpcErrors = [
  { kind: 'tooLarge', limit: 10, received: 11 }, { kind: 'malformed', message: 'EOF' }, { kind: 'wrongId', expected: 1, received: '2' },
  { kind: 'remote', code: -32000, message: 'busy' }, { kind: 'base64', message: 'bad char' }, { kind: 'dataTooLarge', limit: 262144, received: 262145 },
];
const segmentEvidence = (fault) => ({ root: H(3), fileSize: 4194560, index: 16, fault, answerKeccak: H(4), answer: '{"id":1}' });

const storage = [
  { verdict: 'healthy', root: H(3), samples: 4 },
  ...segmentFaults.flatMap((f) => [{ verdict: 'misbehaving', evidence: segmentEvidence(f) }, { verdict: 'unverifiable', evidence: segmentEvidence(f) }]),
  ...[
    ...transportErrors.map((error) => ({ kind: 'transport', index: 2, error })), ...rpcErrors.map((error) => ({ kind: 'badAnswer', index: 2, error })),
    { kind: 'withheld', index: 3 }, { kind: 'deadline', ms: 60000 }, ...transportErrors.map((error) => ({ kind: 'nodeCall', call: 'zgs_getStatus', error })),
    ...rpcErrors.map((error) => ({ kind: 'nodeInfo', call: 'zgs_getFileInfo', error })), { kind: 'fileUnknown' },
  ].map((reason) => ({ verdict: 'unreachable', root: H(3), reason })),
  ...[{ kind: 'notInShard' }, { kind: 'notFinalized' }, { kind: 'pruned' }, { kind: 'notSynced', synced: 10, submitted: 12 }, { kind: 'unknownSize' }]
    .map((reason) => ({ verdict: 'unchecked', root: H(3), reason })),
];

const certFaults = [{ kind: 'badSignature', signed_rows: 3072 }, { kind: 'belowQuorum', signed_rows: 1280, rows: 3072 }, { kind: 'dataRootMismatch', computed: H(5) }, { kind: 'bitmapLength', expected: 16, received: 15 }];
const certEvidence = (fault) => ({ dataRoot: H(6), epoch: 1, quorumId: 0, fault });
const rowProofFaults = [
  { kind: 'length', expected: 32768, received: 3 }, { kind: 'wrongIndex', expected: 7, received: 8 }, { kind: 'dataRoot', computed: H(5) },
  { kind: 'localRoot', index: 111 }, { kind: 'path', index: 111 }, { kind: 'commitment' },
];
const sliceErrors = [
  { kind: 'truncated', what: 'row', needed: 4, remaining: 1 }, { kind: 'trailing', extra: 3 }, { kind: 'count', what: 'words', expected: 1024, received: 3 },
  { kind: 'index', what: 'coset', received: 9, max: 2 }, { kind: 'notCanonical', index: 5 }, { kind: 'element', what: 'commitment', message: 'not on curve' },
];
const replyErrors = [
  { kind: 'tooLarge', bytes: 10, max: 5 }, { kind: 'protobuf', message: 'bad wire type' }, { kind: 'requests', received: 2 }, { kind: 'rows', expected: 3, received: 2 },
  ...sliceErrors.map((source) => ({ kind: 'row', index: 4, source })),
];
const da = [
  { verdict: 'healthy', signed_rows: 3072 },
  ...certFaults.flatMap((f) => [{ verdict: 'misbehaving', evidence: certEvidence(f) }, { verdict: 'unverifiable', evidence: certEvidence(f) }]),
  { verdict: 'unchecked', reason: 'no quorum 0 of epoch 9 in the map' },
  // RetrievedVerdict (Signer.BatchRetrieve)
  { verdict: 'healthy', rows: 16, proven: 16 }, { verdict: 'healthy', rows: 16, proven: 0 }, { verdict: 'healthy', rows: 0, proven: 0 },
  ...[
    { kind: 'transport', message: 'closed' }, { kind: 'refused', code: 3, message: 'row not assigned' }, { kind: 'lost', message: 'slice is missing' },
    ...replyErrors.map((error) => ({ kind: 'garbled', error })), ...rowProofFaults.map((fault) => ({ kind: 'badRow', index: 111, row_hash: H(7), fault })),
  ].map((reason) => ({ verdict: 'unreachable', data_root: H(6), reason })),
  { verdict: 'unchecked', reason: 'no checked certificate gives it rows' },
];

const vote = (hash) => ({
  vote_type: 'precommit', height: 5, round: 0, block_id: { hash, parts: { total: hash ? 1 : 0, hash: hash ? HEX(9) : '' } }, timestamp: '2026-01-01T00:00:00Z',
  validator_address: HEX(8).slice(0, 40), validator_index: 3, signature: HEX(1), extension: '', extension_signature: '',
});
const equivocation = (source, b) => ({
  chainId: 'zg-align-devnet', profile: 'cometbft', validator: { address: HEX(8).slice(0, 40), keyType: 'ed25519', keyBase64: 'AAAA' }, voteA: vote(HEX(1)), voteB: vote(b), source,
});
const counts = { address: HEX(8).slice(0, 40), power: 10, signed: 90, nil: 2, missed: 8, invalid: 0, evidence: [] };
const validator = [
  { verdict: 'healthy', status: 'healthy', ...counts }, { verdict: 'healthy', status: 'healthy', ...counts, invalid: 1 },
  { verdict: 'pending', status: 'pending', ...counts, signed: 1, missed: 0 }, { verdict: 'unreachable', status: 'offline', ...counts, signed: 0, nil: 0, missed: 20 },
  { verdict: 'unreachable', status: 'lagging', ...counts, missed: 30 },
  { verdict: 'misbehaving', status: 'misbehaving', ...counts, evidence: [equivocation({ kind: 'block', height: 7 }, HEX(2))] },
  { verdict: 'misbehaving', status: 'misbehaving', ...counts, evidence: [equivocation({ kind: 'observed' }, ''), equivocation({ kind: 'observed' }, HEX(3))] },
];

const drift = (over) => ({ observations: 40, baseline: false, statistic: 3.25, threshold: 12, alarmAt: null, baselineCounts: [1, 2], recentCounts: [2, 1], ...over });
const signatureFaults = [
  { kind: 'malformed', message: '64 bytes' }, { kind: 'invalid', message: 'bad recovery id' }, { kind: 'unregisteredSigner', recovered: '0xabc', registered: '0xdef' },
  { kind: 'responseMismatch', signed: 'a:b', expected: 'a:c' }, { kind: 'requestMismatch', signed: 'a:b', expected: 'c:b' },
];
const exchangeErrors = [
  { kind: 'status', status: 500 }, { kind: 'tooLarge', bytes: 10, max: 5 }, { kind: 'encoding', encoding: 'br' }, { kind: 'decode', encoding: 'gzip', message: 'bad header' },
  { kind: 'notCompletion', message: 'no choices' }, { kind: 'noChatId' }, { kind: 'badChatId', id: '../x' }, { kind: 'record', message: 'not JSON' },
];
const servingEvidence = (fault) => ({ request: '{}', response: 'e30=', contentEncoding: 'gzip', text: 'ab:cd', record: { text: 'ab:cd', signature: '0x00' }, fault });
const serving = [
  { verdict: 'healthy', answers: 1, drift: null }, { verdict: 'healthy', answers: 3, drift: drift({ baseline: true }) }, { verdict: 'healthy', answers: 3, drift: drift() },
  { verdict: 'drifting', drift: drift({ statistic: 14.5, alarmAt: 41 }) }, { verdict: 'drifting', drift: drift({ statistic: 14.5 }) },
  ...[...signatureFaults.map((signature) => ({ kind: 'signature', signature })), { kind: 'unreadableResponse', message: 'no choices' },
    { kind: 'canaryMismatch', prompt: 'what is 1 plus 1?', expected: 'two', received: 'three' }].map((fault) => ({ verdict: 'misbehaving', evidence: servingEvidence(fault) })),
  ...[
    { kind: 'timeout', message: 'no answer within 3000 ms' }, { kind: 'refused', message: 'unknown provider' }, { kind: 'http', status: 503 },
    ...exchangeErrors.flatMap((error) => [{ kind: 'unreadable', error }, { kind: 'noSignature', error }]), ...signatureFaults.map((fault) => ({ kind: 'unattributed', fault })),
  ].map((reason) => ({ verdict: 'unreachable', reason })),
  { verdict: 'unchecked', reason: 'unknown canary version 9' },
];

// Two relays (crate/src/paths/): what each path saw, the first relay's fault, a fault seen through both.
const relayRef = (index) => ({ index, peer: `12D3KooWRelay${index}xxxxxxxxxxxxxxxxxxxxxxxxxxxx`, address: `/ip4/127.0.0.1/udp/900${index}/webrtc-direct/certhash/uEi/p2p/12D3KooWRelay${index}` });
const seen = (index, verdict, detail, answerKeccak) => ({ relay: relayRef(index), trusted: false, verdict, ...(detail ? { detail } : {}), ...(answerKeccak ? { answerKeccak } : {}) });
const fault = { kind: 'wrongIndex', expected: 16, received: 17 };
const twoPaths = [
  ['storage', { verdict: 'healthy', root: H(3), samples: 4, paths: [seen(0, 'unreachable', 'segment 2: no answer within 3000 ms'), seen(1, 'healthy', '4 segment(s) verified')], relayFault: { relay: relayRef(0), kind: 'hid' } }],
  ['storage', { verdict: 'healthy', root: H(3), samples: 4, paths: [seen(0, 'unverifiable', 'file 0x33 segment 16: answer is for segment 17, not 16', H(4)), seen(1, 'healthy', '1 segment(s) verified'), seen(1, 'healthy', '4 segment(s) verified')], relayFault: { relay: relayRef(0), kind: 'forged' } }],
  ['storage', { verdict: 'misbehaving', evidence: segmentEvidence(fault), paths: [seen(0, 'unverifiable', 'segment 16', H(4)), seen(1, 'unverifiable', 'segment 16', H(7))], confirmed: true }],
  ['storage', { verdict: 'unverifiable', evidence: segmentEvidence(fault), paths: [seen(0, 'unverifiable', 'segment 16', H(4)), seen(1, 'unreachable', 'segment 16: no answer within 3000 ms')] }],
  ['storage', { verdict: 'unreachable', root: H(3), reason: { kind: 'withheld', index: 3 }, paths: [seen(0, 'unreachable', 'withheld'), seen(1, 'unreachable', 'withheld')] }],
  ['da', { verdict: 'misbehaving', evidence: certEvidence(certFaults[1]), paths: [seen(0, 'unverifiable', 'belowQuorum'), seen(1, 'unverifiable', 'belowQuorum')], confirmed: true }],
  ['da', { verdict: 'healthy', rows: 8, proven: 8, paths: [seen(0, 'unreachable', 'no answer'), seen(1, 'healthy')], relayFault: { relay: relayRef(0), kind: 'hid' } }],
];

/** `[kind, verdict]` for every variant. */
export const VERDICT_VARIANTS = [
  ...storage.map((v) => ['storage', v]), ...da.map((v) => ['da', v]), ...validator.map((v) => ['validator', v]), ...serving.map((v) => ['serving', v]), ...twoPaths,
];

/** Words a reader must never see. */
export const UNSAID = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/;
