// Dedicated worker of bench/crypto.mjs: loads our wasm as the node's worker does and runs the
// verification cores' workloads, timed inside the worker with performance.now().
import init, { benchBls, benchBlsInputs, benchBlsProfile, benchDa } from '/pkg/zg_align.js';

onmessage = async ({ data: { reps } }) => {
  try {
    await init();
    postMessage({ isolated: self.crossOriginIsolated, inputs: benchBlsInputs(), timings: [...benchBls(reps), ...benchBlsProfile(reps), ...benchDa(reps)] });
  } catch (e) {
    postMessage({ error: String(e?.message ?? e) });
  }
};
