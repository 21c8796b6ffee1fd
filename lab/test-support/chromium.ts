// The headless Chromium of the browser tests (npm run test:browser): Debian's package, which scripts/ci-setup.sh
// installs, or the one SCIM_LAB_CHROMIUM names; launched with no sandbox (root in CI) and nothing that would reach
// the network on its own (the tests' pages are served on loopback).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SCIM_LAB_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the browser tests' Chromium; throws, saying how to install it, when it is missing. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: run scripts/ci-setup.sh (it installs Debian's chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
