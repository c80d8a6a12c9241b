// The test wallet extension (tests/wallet/): bundled with esbuild (ethers inside) into a fresh
// temporary directory on every run, then loaded unpacked into headless Chromium. New headless
// mode (--headless=new) loads extensions; playwright's `headless: true` would start the old mode,
// which cannot. So the wallet really is an installed extension here, not a script the test injects.

import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './devnet.mjs';
import { chromiumArgs } from './browser.mjs';

const source = path.join(repoRoot, 'tests/wallet');

/** anvil's public test keys (never for value) and the addresses they sign for. */
export const TEST_KEYS = [
  ['0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'],
  ['0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'],
];

/** Two wallets, as an owner may have installed: B holds the same keys in the other order. */
export const WALLETS = [
  { dir: 'a', name: 'zg-align test wallet', rdns: 'dev.zg-align.testwallet', keys: TEST_KEYS.map(([k]) => k), primary: true },
  { dir: 'b', name: 'zg-align test wallet B', rdns: 'dev.zg-align.testwallet.b', keys: TEST_KEYS.map(([k]) => k).reverse() },
];

/** Builds each wallet into its own unpacked extension directory; returns the directories. */
export async function buildWallets(root, wallets = WALLETS) {
  const manifest = JSON.parse(await readFile(path.join(source, 'manifest.json'), 'utf8'));
  const dirs = [];
  for (const w of wallets) {
    const dir = path.join(root, w.dir);
    await build({
      entryPoints: [path.join(source, 'provider.js')],
      bundle: true,
      format: 'iife',
      target: 'chrome120',
      outfile: path.join(dir, 'provider.js'),
      define: { WALLET: JSON.stringify({ name: w.name, rdns: w.rdns, keys: w.keys, primary: Boolean(w.primary) }) },
      logLevel: 'error',
    });
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, name: w.name }, null, 2));
    dirs.push(dir);
  }
  return dirs;
}

/** Headless Chromium with the test wallets installed; `close()` also removes the profile. */
export async function launchWithWallets(wallets = WALLETS) {
  const root = await mkdtemp(path.join(tmpdir(), 'zg-align-wallet-'));
  const dirs = await buildWallets(path.join(root, 'extensions'), wallets);
  const context = await chromium.launchPersistentContext(path.join(root, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: false,
    args: [...chromiumArgs, `--disable-extensions-except=${dirs.join(',')}`, `--load-extension=${dirs.join(',')}`],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
