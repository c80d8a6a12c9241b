#!/usr/bin/env node
// BN254 vectors for 0G DA from libraries we did not write: @noble/curves (bn254 curve and
// pairing) and ethers 6 (keccak, Solidity's abi.encodePacked). For deterministic keys and blobs:
// hash to G1 by try-and-increment (written here in BigInt from the contract's rule), public keys
// in G1 and G2, the blob digest, signatures, aggregates, the contract's gamma, and whether noble's
// pairing accepts each aggregate. crate/tests/da_vectors.rs holds our core to every value.
//
//   node tests/sdk/make-da-vectors.mjs > tests/vectors/da-bn254.json

import { bn254 } from '@noble/curves/bn254';
import { keccak256, solidityPackedKeccak256, concat, toBeHex, getBytes } from 'ethers';
import { pathToFileURL } from 'node:url';

const { Fp, Fp12, Fr } = bn254.fields;
const G1 = bn254.G1.ProjectivePoint;
const G2 = bn254.G2.ProjectivePoint;
const P = Fp.ORDER;
const R = Fr.ORDER;

const word = (n) => toBeHex(n, 32);
const g1Hex = (p) => { const a = p.toAffine(); return concat([word(a.x), word(a.y)]); };
// EVM order: imaginary part first.
const g2Hex = (p) => { const a = p.toAffine(); return concat([word(a.x.c1), word(a.x.c0), word(a.y.c1), word(a.y.c0)]); };

/** The DA contracts' BN254.hashToG1: x = digest mod p; x += 1 until x^3 + 3 has the root (x^3+3)^((p+1)/4). */
function hashToG1(digest) {
  let x = BigInt(digest) % P;
  for (;;) {
    const beta = (x * x * x + 3n) % P;
    const y = Fp.pow(beta, (P + 1n) / 4n);
    if ((y * y) % P === beta) return G1.fromAffine({ x, y });
    x = (x + 1n) % P;
  }
}

const secretKey = (i) => BigInt(keccak256(new TextEncoder().encode(`zg-align da signer ${i}`))) % R;

function gamma(sig, apk1, apk2, h) {
  return BigInt(keccak256(concat([g1Hex(sig), g1Hex(apk1), g2Hex(apk2), g1Hex(h)]))) % R;
}

/** e(sig + g*apk1, -G2) * e(H + g*G1, apk2) == 1, with noble's pairing. */
function contractCheck(sig, apk1, apk2, h) {
  const g = gamma(sig, apk1, apk2, h);
  const f = bn254.pairingBatch([
    { g1: sig.add(apk1.multiply(g)), g2: G2.BASE.negate() },
    { g1: h.add(G1.BASE.multiply(g)), g2: apk2 },
  ]);
  return Fp12.eql(f, Fp12.ONE);
}

export function makeVectors() {
  const hashToG1Cases = [];
  for (let i = 0; i < 24; i++) {
    const digest = keccak256(new Uint8Array([i]));
    hashToG1Cases.push({ digest, point: g1Hex(hashToG1(digest)) });
  }
  // Digests near and above p, where the reduction and the increment matter.
  for (const d of [P - 1n, P, P + 5n, 2n ** 256n - 1n]) {
    const digest = word(d);
    hashToG1Cases.push({ digest, point: g1Hex(hashToG1(digest)) });
  }
  const signers = [];
  for (let i = 0; i < 8; i++) {
    const sk = secretKey(i);
    signers.push({ sk: word(sk), pkG1: g1Hex(G1.BASE.multiply(sk)), pkG2: g2Hex(G2.BASE.multiply(sk)) });
  }
  const blobs = [];
  for (let b = 0; b < 4; b++) {
    const dataRoot = keccak256(new TextEncoder().encode(`blob ${b}`));
    const epoch = BigInt(b * 7 + 1);
    const quorumId = BigInt(b % 3);
    const commitment = G1.BASE.multiply(BigInt(keccak256(getBytes(dataRoot))) % R);
    const c = commitment.toAffine();
    const digest = solidityPackedKeccak256(['bytes32', 'uint256', 'uint256', 'uint256', 'uint256'], [dataRoot, epoch, quorumId, c.x, c.y]);
    const h = hashToG1(digest);
    // Signers 0..(5+b) sign; the aggregate covers them.
    const who = [...Array(5 + (b % 4)).keys()];
    const sigs = who.map((i) => h.multiply(BigInt(signers[i].sk)));
    const sig = sigs.reduce((a, s) => a.add(s));
    const apk1 = who.map((i) => G1.BASE.multiply(BigInt(signers[i].sk))).reduce((a, p) => a.add(p));
    const apk2 = who.map((i) => G2.BASE.multiply(BigInt(signers[i].sk))).reduce((a, p) => a.add(p));
    const forged = sigs.slice(1).reduce((a, s) => a.add(s)).add(hashToG1(keccak256(digest)).multiply(BigInt(signers[0].sk)));
    const shortApk2 = who.slice(1).map((i) => G2.BASE.multiply(BigInt(signers[i].sk))).reduce((a, p) => a.add(p));
    blobs.push({
      dataRoot, epoch: Number(epoch), quorumId: Number(quorumId), commitment: g1Hex(commitment),
      digest, hash: g1Hex(h), signers: who,
      signatures: sigs.map(g1Hex), signature: g1Hex(sig), aggPkG1: g1Hex(apk1), aggPkG2: g2Hex(apk2),
      gamma: word(gamma(sig, apk1, apk2, h)),
      checks: [
        { case: 'aggregate of the named signers', signature: g1Hex(sig), aggPkG2: g2Hex(apk2), valid: contractCheck(sig, apk1, apk2, h) },
        { case: 'one signature over another message', signature: g1Hex(forged), aggPkG2: g2Hex(apk2), valid: contractCheck(forged, apk1, apk2, h) },
        { case: 'G2 aggregate missing one signer', signature: g1Hex(sig), aggPkG2: g2Hex(shortApk2), valid: contractCheck(sig, apk1, shortApk2, h) },
      ],
    });
  }
  return {
    source: '@noble/curves 1.9.7 (bn254 curve, pairing) and ethers 6 (keccak256, solidityPackedKeccak256); hashToG1 per BN254.sol in BigInt',
    hashToG1: hashToG1Cases, signers, blobs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(makeVectors(), null, 1) + '\n');
}
