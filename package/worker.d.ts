// The worker entry: importing it in a dedicated worker starts the node's wasm and its message
// handler (see the protocol types in ./wasm/zg_align.d.ts). It exports nothing.
export {};
