// The node's dedicated worker: the wasm core runs here, never on the page's thread. Bundlers
// find the wasm through the `new URL(..., import.meta.url)` below.
import init, { runWorker } from './wasm/zg_align.js';

await init({ module_or_path: new URL('./wasm/zg_align_bg.wasm', import.meta.url) });
runWorker();
