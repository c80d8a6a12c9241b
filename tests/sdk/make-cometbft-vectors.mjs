#!/usr/bin/env node
// CometBFT vote and validator vectors with BLS12-381 keys, from code we did not write for the
// crypto (@noble/curves: keys, hash to G2, signatures; node:crypto: SHA-256) and from an encoder
// written here from the .proto files, independent of the Rust core's prost messages: the
// length-delimited CanonicalVote each validator signs (own timestamp per vote), SimpleValidator
// with the v1 PublicKey's bls12381 field (3), the validator-set and header Merkle roots, and
// whole `/validators` and `/commit` JSON-RPC answers as CometBFT writes them. For each chain
// profile (0G's pinned rules and upstream CometBFT v1): an honest commit (signed, nil and absent
// slots) and a spoiled one (another validator's signature, a vote signed under the other
// profile's rules). crate/tests/cometbft_vectors.rs and devnet/tests/cli_verify_cometbft.rs hold
// our code to every value.
//
//   node tests/sdk/make-cometbft-vectors.mjs > tests/vectors/cometbft-bls.json

import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const DST_POP = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const DST_NUL = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const PROFILES = [
  { name: '0g', prehashOver32: true, dst: DST_POP, keyEncoding: 'compressed' },
  { name: 'cometbft-v1', prehashOver32: false, dst: DST_NUL, keyEncoding: 'uncompressed' },
];
const CHAIN_ID = 'zgtendermint_16661-1';
const HEIGHT = 1234567n;
const ROUND = 2n;

const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const hex = (b) => Buffer.from(b).toString('hex');
const HEX = (b) => hex(b).toUpperCase();
const b64 = (b) => Buffer.from(b).toString('base64');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const utf8 = (s) => new TextEncoder().encode(s);

// ---------- protobuf (proto3: zero scalars and empty bytes are left out)

function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return new Uint8Array(out);
}
const tag = (field, wire) => varint((field << 3) | wire);
const uintField = (f, v) => (BigInt(v) === 0n ? new Uint8Array() : concat(tag(f, 0), varint(v)));
const sfixed64Field = (f, v) => {
  if (BigInt(v) === 0n) return new Uint8Array();
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return concat(tag(f, 1), b);
};
const bytesField = (f, b) => (b.length === 0 ? new Uint8Array() : concat(tag(f, 2), varint(b.length), b));
/** A message field that is always written (non-nullable, or set). */
const messageField = (f, b) => concat(tag(f, 2), varint(b.length), b);

/** google.protobuf.Timestamp from RFC 3339 with up to 9 fraction digits, UTC. */
function timestamp(text) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  const seconds = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  const nanos = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return { seconds, nanos };
}
const timestampMessage = (t) => concat(uintField(1, t.seconds), uintField(2, t.nanos));

const partSetHeader = (p) => concat(uintField(1, p.total), bytesField(2, p.hash));
const blockIdMessage = (id) => concat(bytesField(1, id.hash), messageField(2, partSetHeader(id.parts)));
const isNil = (id) => id.hash.length === 0 && id.parts.total === 0 && id.parts.hash.length === 0;

/** types.VoteSignBytes: the length-delimited CanonicalVote. */
function voteSignBytes(chainId, vote) {
  const body = concat(
    uintField(1, vote.type),
    sfixed64Field(2, vote.height),
    sfixed64Field(3, vote.round),
    isNil(vote.blockId) ? new Uint8Array() : messageField(4, blockIdMessage(vote.blockId)),
    messageField(5, timestampMessage(timestamp(vote.timestamp))),
    bytesField(6, utf8(chainId)),
  );
  return concat(varint(body.length), body);
}

// ---------- Merkle (RFC 6962 style, split at the largest power of two below n)

function merkleRoot(items) {
  if (items.length === 0) return sha256(new Uint8Array());
  if (items.length === 1) return sha256(concat(new Uint8Array([0]), items[0]));
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return sha256(concat(new Uint8Array([1]), merkleRoot(items.slice(0, k)), merkleRoot(items.slice(k))));
}

function headerHash(h) {
  const fields = [
    concat(uintField(1, h.version.block), uintField(2, h.version.app)),
    bytesField(1, utf8(h.chainId)),
    uintField(1, h.height),
    timestampMessage(timestamp(h.time)),
    blockIdMessage(h.lastBlockId),
    ...['lastCommitHash', 'dataHash', 'validatorsHash', 'nextValidatorsHash', 'consensusHash', 'appHash', 'lastResultsHash', 'evidenceHash', 'proposerAddress'].map((k) => bytesField(1, h[k])),
  ];
  return merkleRoot(fields);
}

// ---------- keys and signatures (noble)

const R = bls.fields.Fr.ORDER;
function secretKey(i) {
  const n = BigInt(`0x${hex(sha256(utf8(`zg-align cometbft vector validator ${i}`)))}`) % R;
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(0, n >> 192n);
  new DataView(out.buffer).setBigUint64(8, (n >> 128n) & 0xffffffffffffffffn);
  new DataView(out.buffer).setBigUint64(16, (n >> 64n) & 0xffffffffffffffffn);
  new DataView(out.buffer).setBigUint64(24, n & 0xffffffffffffffffn);
  return out;
}

function chainKey(profile, pk) {
  return pk.toBytes(profile.keyEncoding === 'compressed');
}

function sign(profile, sk, signBytes) {
  const message = profile.prehashOver32 && signBytes.length > 32 ? sha256(signBytes) : signBytes;
  const sig = bls.longSignatures.sign(bls.longSignatures.hash(message, profile.dst), sk);
  return { message, signature: bls.longSignatures.Signature.toBytes(sig) };
}

const blockIdJson = (id) => ({ hash: HEX(id.hash), parts: { total: id.parts.total, hash: HEX(id.parts.hash) } });

function profileVectors(profile, other) {
  const powers = [40, 35, 30, 25, 20, 15, 10];
  let validators = powers.map((power, i) => {
    const sk = secretKey(i);
    const pk = bls.longSignatures.getPublicKey(sk);
    const key = chainKey(profile, pk);
    const simple = concat(messageField(1, bytesField(3, key)), uintField(2, power));
    return { sk, pk, key, address: sha256(key).slice(0, 20), power, simple };
  });
  // CometBFT keeps a set sorted by power, then address.
  validators.sort((a, b) => b.power - a.power || Buffer.compare(Buffer.from(a.address), Buffer.from(b.address)));
  const validatorsHash = merkleRoot(validators.map((v) => v.simple));
  const header = {
    version: { block: 11n, app: 0n },
    chainId: CHAIN_ID,
    height: HEIGHT,
    time: '2025-09-21T08:15:42.123456789Z',
    lastBlockId: { hash: sha256(utf8('previous block')), parts: { total: 1, hash: sha256(utf8('previous parts')) } },
    lastCommitHash: sha256(utf8('last commit')),
    dataHash: sha256(new Uint8Array()),
    validatorsHash,
    nextValidatorsHash: validatorsHash,
    consensusHash: sha256(utf8('consensus params')),
    appHash: sha256(utf8('app state')),
    lastResultsHash: sha256(new Uint8Array()),
    evidenceHash: sha256(new Uint8Array()),
    proposerAddress: validators[0].address,
  };
  const hash = headerHash(header);
  const blockId = { hash, parts: { total: 3, hash: sha256(utf8('parts')) } };
  const nilId = { hash: new Uint8Array(), parts: { total: 0, hash: new Uint8Array() } };

  // Slot plans: flag, and for spoiled ones who signs and under which rules.
  const plans = {
    honest: ['commit', 'commit', 'commit', 'nil', 'commit', 'absent', 'commit'],
    spoiled: ['commit', 'other-signer', 'commit', 'nil', 'other-profile', 'absent', 'commit'],
  };
  const votes = [];
  const answers = {};
  const expected = {};
  for (const [name, plan] of Object.entries(plans)) {
    const signatures = [];
    const slots = [];
    let signed = 0;
    let nil = 0;
    plan.forEach((kind, i) => {
      const v = validators[i];
      if (kind === 'absent') {
        signatures.push({ block_id_flag: 1, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null });
        slots.push('absent');
        return;
      }
      const flag = kind === 'nil' ? 3 : 2;
      const time = `2025-09-21T08:15:4${3 + i}.${String(100000000 + i * 1234567).slice(1)}Z`;
      const vote = { type: 2, height: HEIGHT, round: ROUND, blockId: flag === 3 ? nilId : blockId, timestamp: time };
      const signBytes = voteSignBytes(CHAIN_ID, vote);
      const signer = kind === 'other-signer' ? validators[(i + 1) % validators.length] : v;
      const { message, signature } = sign(kind === 'other-profile' ? other : profile, signer.sk, signBytes);
      signatures.push({ block_id_flag: flag, validator_address: HEX(v.address), timestamp: time, signature: b64(signature) });
      const valid = kind === 'commit' || kind === 'nil';
      slots.push(valid ? (flag === 3 ? 'nil' : 'signed') : 'invalid');
      if (valid && flag === 2) signed += v.power;
      if (valid && flag === 3) nil += v.power;
      if (name === 'honest') votes.push({ slot: i, flag, timestamp: time, signBytes: hex(signBytes), message: hex(message), signature: hex(signature), publicKey: hex(v.pk.toBytes(true)) });
    });
    const total = validators.reduce((n, v) => n + v.power, 0);
    expected[name] = { slots, signedPower: signed, nilPower: nil, totalPower: total, quorum: 3 * signed > 2 * total };
    answers[name] = {
      jsonrpc: '2.0',
      id: -1,
      result: {
        signed_header: {
          header: {
            version: { block: String(header.version.block), app: String(header.version.app) },
            chain_id: header.chainId,
            height: String(header.height),
            time: header.time,
            last_block_id: blockIdJson(header.lastBlockId),
            last_commit_hash: HEX(header.lastCommitHash),
            data_hash: HEX(header.dataHash),
            validators_hash: HEX(header.validatorsHash),
            next_validators_hash: HEX(header.nextValidatorsHash),
            consensus_hash: HEX(header.consensusHash),
            app_hash: HEX(header.appHash),
            last_results_hash: HEX(header.lastResultsHash),
            evidence_hash: HEX(header.evidenceHash),
            proposer_address: HEX(header.proposerAddress),
          },
          commit: { height: String(HEIGHT), round: Number(ROUND), block_id: blockIdJson(blockId), signatures },
        },
        canonical: true,
      },
    };
  }
  const validatorsAnswer = {
    jsonrpc: '2.0',
    id: -1,
    result: {
      block_height: String(HEIGHT),
      validators: validators.map((v) => ({
        address: HEX(v.address),
        pub_key: { type: 'cometbft/PubKeyBls12_381', value: b64(v.key) },
        voting_power: String(v.power),
        proposer_priority: '0',
      })),
      count: String(validators.length),
      total: String(validators.length),
    },
  };
  return {
    profile: profile.name,
    chainId: CHAIN_ID,
    headerHash: HEX(hash),
    validatorsHash: HEX(validatorsHash),
    validators: validators.map((v) => ({ address: HEX(v.address), publicKey: hex(v.pk.toBytes(true)), chainKey: hex(v.key), power: v.power, simpleValidator: hex(v.simple) })),
    votes,
    expected,
    validatorsAnswer,
    commitAnswer: answers.honest,
    spoiledCommitAnswer: answers.spoiled,
  };
}

export function makeVectors() {
  return {
    source: 'tests/sdk/make-cometbft-vectors.mjs: @noble/curves (BLS12-381), node:crypto (SHA-256), protobuf written from the CometBFT .proto files',
    profiles: [profileVectors(PROFILES[0], PROFILES[1]), profileVectors(PROFILES[1], PROFILES[0])],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(makeVectors(), null, 1)}\n`);
}
