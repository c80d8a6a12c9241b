// Starts the release devnet binary on a free loopback port and stops it again.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Makefile names the binary (its cargo target dir may be shared by several clones). */
export const devnetBinary = process.env.ZG_ALIGN_DEVNET
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target'), 'release/zg-align-devnet');

/** Spawns `zg-align-devnet serve` and resolves once it prints its URL (`http` picks the address).
 * It generates its DA network and chain first: about 20 s on a loaded 2-core machine. */
export function startDevnet(args = [], { timeoutMs = 60000, http = '127.0.0.1:0' } = {}) {
  const child = spawn(devnetBinary, ['serve', '--http', http, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`devnet did not start: ${output}`)); }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/open (http:\/\/[^/\s]+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGINT'); }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`devnet exited ${code}: ${output}`)); });
  });
}
