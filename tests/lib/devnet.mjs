// Starts the release devnet binary on a free loopback port and stops it again.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Makefile names the binary (its cargo target dir may be shared by several clones). */
export const devnetBinary = process.env.ZG_ALIGN_DEVNET
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target'), 'release/zg-align-devnet');

/** Spawns `zg-align-devnet serve` and resolves once it prints its URL (`http` picks the address).
 * Starting encodes the DA blobs (seconds of CPU): a loaded machine needs the wide time-out. */
export function startDevnet(args = [], { timeoutMs = 60000, http = '127.0.0.1:0' } = {}) {
  const child = spawn(devnetBinary, ['serve', '--http', http, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let signed;
  /** Resolves once the devnet has signed every commit ahead (its busiest start-up work, ~30 s of
   * one core: the benchmarks wait for it, see BENCHMARKS.md) or has exited. */
  const committed = new Promise((resolve) => { signed = resolve; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`devnet did not start: ${output}`)); }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (/every commit signed/.test(output)) signed();
      const match = output.match(/open (http:\/\/[^/\s]+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          committed,
          stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGINT'); }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => { signed(); clearTimeout(timer); reject(new Error(`devnet exited ${code}: ${output}`)); });
  });
}

/** `startDevnet`, resolving once the devnet has also signed its chain's commits: about 30 s of one
 * core after it opens, work a relay in front of the real network never does, which slowed a tab
 * loaded meanwhile by about 170 ms (BENCHMARKS.md, "The first verdict on a quiet machine"). For
 * benchmarks that time the node. */
export async function startQuietDevnet(args = [], options = {}) {
  const devnet = await startDevnet(args, options);
  await devnet.committed;
  return devnet;
}
