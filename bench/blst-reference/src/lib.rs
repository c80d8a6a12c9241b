//! The three BLS rows of `make bench` with blst, from bytes (decoding and its checks included, as
//! in our rows and noble's): keys are 48-byte compressed G1 points concatenated, signatures 96-byte
//! G2 points, messages concatenated with their lengths alongside.

use blst::min_pk::{AggregatePublicKey, PublicKey, Signature};
use blst::{blst_scalar, BLST_ERROR};
use wasm_bindgen::prelude::*;

const DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

fn keys(bytes: &[u8]) -> Option<Vec<PublicKey>> {
    bytes.chunks(48).map(|k| PublicKey::key_validate(k).ok()).collect()
}

fn signature(bytes: &[u8]) -> Option<Signature> {
    Signature::sig_validate(bytes, true).ok()
}

fn messages<'a>(bytes: &'a [u8], lengths: &[u32]) -> Vec<&'a [u8]> {
    let mut at = 0;
    lengths
        .iter()
        .map(|&n| {
            let m = &bytes[at..at + n as usize];
            at += n as usize;
            m
        })
        .collect()
}

#[wasm_bindgen]
pub fn verify(key: &[u8], message: &[u8], sig: &[u8]) -> bool {
    let (Some(keys), Some(sig)) = (keys(key), signature(sig)) else { return false };
    sig.verify(false, message, DST, &[], &keys[0], false) == BLST_ERROR::BLST_SUCCESS
}

#[wasm_bindgen(js_name = fastAggregateVerify)]
pub fn fast_aggregate_verify(keys_bytes: &[u8], message: &[u8], sig: &[u8]) -> bool {
    let (Some(keys), Some(sig)) = (keys(keys_bytes), signature(sig)) else { return false };
    let refs: Vec<&PublicKey> = keys.iter().collect();
    let Ok(sum) = AggregatePublicKey::aggregate(&refs, false) else { return false };
    sig.verify(false, message, DST, &[], &sum.to_public_key(), false) == BLST_ERROR::BLST_SUCCESS
}

/// Weighted batch of distinct (key, message, signature) sets, one 64-bit weight each from
/// `weights` (8 bytes per set, from the page's CSPRNG): the job our batch row does.
#[wasm_bindgen(js_name = batchVerify)]
pub fn batch_verify(keys_bytes: &[u8], message_bytes: &[u8], lengths: &[u32], sigs: &[u8], weights: &[u8]) -> bool {
    let Some(keys) = keys(keys_bytes) else { return false };
    let Some(sigs) = sigs.chunks(96).map(signature).collect::<Option<Vec<_>>>() else { return false };
    let msgs = messages(message_bytes, lengths);
    let scalars: Vec<blst_scalar> = weights
        .chunks(8)
        .map(|w| {
            let mut s = blst_scalar::default();
            s.b[..8].copy_from_slice(w);
            s
        })
        .collect();
    let key_refs: Vec<&PublicKey> = keys.iter().collect();
    let sig_refs: Vec<&Signature> = sigs.iter().collect();
    Signature::verify_multiple_aggregate_signatures(&msgs, DST, &key_refs, false, &sig_refs, false, &scalars, 64)
        == BLST_ERROR::BLST_SUCCESS
}
