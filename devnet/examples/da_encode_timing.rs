//! How long the devnet takes to encode one DA blob as 0G does (three FFTs of 2^20 points, the
//! coset trees) and to check rows as the worker does (decode a retrieved row, verify its 0G Merkle
//! proof). `cargo run --release -p zg-align-devnet --example da_encode_timing [blobs]`.

use std::time::Instant;
use zg_align::da::{decode_row, encode_row, verify_row_merkle};
use zg_align_devnet::da_encode::{payload, EncodedBlob};

fn main() {
    let blobs: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let mut last = None;
    for i in 0..blobs {
        let start = Instant::now();
        let blob = EncodedBlob::encode(&payload(i, 1024), ark_bn254::Fr::from(7u64));
        println!("encode blob {i}: {:.2} s", start.elapsed().as_secs_f64());
        last = Some(blob);
    }
    let blob = last.expect("at least one blob");
    let rows = 256;
    let wire: Vec<(Vec<u8>, Vec<u8>)> = (0..rows).map(|r| (encode_row(blob.row(r * 12).unwrap()), blob.merkle(r * 12).unwrap().encode())).collect();
    let start = Instant::now();
    for (r, (bytes, proof)) in wire.iter().enumerate() {
        let row = decode_row(bytes).unwrap();
        let merkle = zg_align::da::EncodedSliceMerkle::decode(proof).unwrap();
        verify_row_merkle(&row, (r * 12) as u16, &merkle, &blob.data_root).unwrap();
    }
    println!("decode and prove a row: {:.0} µs", start.elapsed().as_secs_f64() * 1e6 / rows as f64);
}
