// The node's dedicated worker: the wasm core runs here, never on the page's thread. Bundlers
// find the wasm through the `new URL(..., import.meta.url)` below.
//
// The module's download starts before the glue's (a dynamic import, not a static one, which
// would load first): on a cold load the two overlap instead of following each other.
const wasm = fetch(new URL('./wasm/zg_align_bg.wasm', import.meta.url));
const { default: init, runWorker } = await import('./wasm/zg_align.js');

await init({ module_or_path: wasm });
runWorker();
