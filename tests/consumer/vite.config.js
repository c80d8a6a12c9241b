// What an app's Vite config needs for zg-align: module workers and top-level await (the worker
// loads its wasm before it takes messages). Vite finds the worker and the wasm by their
// `new URL(..., import.meta.url)`.
export default {
  build: { target: 'esnext', outDir: 'dist-vite', emptyOutDir: true },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['zg-align'] },
};
