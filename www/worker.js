// The node's dedicated worker: the wasm core runs here, never on the page's thread.
import init, { runWorker } from '../pkg/zg_align.js';

await init();
runWorker();
