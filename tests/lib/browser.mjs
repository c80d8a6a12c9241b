// Headless Debian Chromium through playwright-core, with the flags this closed network needs.

import { chromium } from 'playwright-core';

export const chromiumArgs = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: false, args: chromiumArgs });
}

/** The one page error every closed libp2p stream raises upstream (rust-libp2p#6551): harmless. */
export const knownUpstreamError = /closure invoked recursively or after being dropped/;
