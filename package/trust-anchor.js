// The validator check's trust anchor as a person writes it: "<chain id> <height> <header hash>"
// (spaces or commas between). The owner takes it from a source they trust (a block explorer, their
// own node, 0G's announcement), never from the relay: the light verifier starts from it (weak
// subjectivity, docs/validators.md). The worker checks it again (TrustConfig::options).

/** The anchor's config (`{ chainId, height, hash }`) from its text; throws an `Error` saying what is wrong. */
export function parseTrustAnchor(text) {
  const words = String(text).trim().split(/[\s,]+/).filter(Boolean);
  if (words.length !== 3) throw new Error(`a trust anchor is "<chain id> <height> <header hash>", not ${words.length} word(s)`);
  const [chainId, heightText, hash] = words;
  if (chainId.length > 50) throw new Error(`a chain id has at most 50 characters: ${chainId.slice(0, 60)}…`);
  const height = Number(heightText);
  if (!/^\d+$/.test(heightText) || !Number.isSafeInteger(height) || height < 1) throw new Error(`not a block height: ${heightText.slice(0, 30)}`);
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`not a header hash (64 hex digits): ${hash.slice(0, 70)}`);
  return { chainId, height, hash };
}
