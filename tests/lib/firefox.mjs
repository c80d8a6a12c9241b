// Headless Debian firefox-esr through puppeteer-core over WebDriver BiDi (Playwright drives only its
// own patched Firefox build, which cannot be downloaded here). Each launch gets a fresh profile.
//
// Loopback ICE: Firefox gathers host candidates only on the default-route interface unless the page
// has camera or microphone permission, and its ICE agent never pairs a non-loopback local candidate
// with a loopback remote one, so a webrtc-direct listener on 127.0.0.1 gets no STUN packet at all
// ("ICE failed"). The profile therefore turns on loopback candidates and grants `camera` to the
// origins under test (the page never asks for a camera; the grant only widens ICE gathering).
// A listener on a non-loopback address needs neither (docs/browsers.md).

import puppeteer from 'puppeteer-core';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const firefoxPath = '/usr/bin/firefox-esr';

/**
 * Launches headless Firefox. `origins` get the camera grant that lets ICE use loopback (for
 * example a devnet's `http://127.0.0.1:PORT`); `prefs` and `env` (MOZ_LOG, MOZ_LOG_FILE) add to it.
 */
export async function launchFirefox({ origins = [], prefs = {}, env = {} } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zg-align-firefox-'));
  // Firefox reads default permissions from this file at start-up: `origin TYPE CAPABILITY ORIGIN`.
  const permissions = path.join(dir, 'permissions');
  await fs.writeFile(permissions, origins.map((o) => `origin\tcamera\t1\t${new URL(o).origin}\n`).join(''));
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath,
      headless: true,
      userDataDir: path.join(dir, 'profile'),
      extraPrefsFirefox: {
        'media.peerconnection.ice.loopback': true,
        'permissions.manager.defaultsUrl': `file://${permissions}`,
        ...prefs,
      },
      env: { ...process.env, ...env },
    });
    const close = browser.close.bind(browser);
    browser.close = () => close().finally(() => fs.rm(dir, { recursive: true, force: true, maxRetries: 3 }));
    return browser;
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  }
}
