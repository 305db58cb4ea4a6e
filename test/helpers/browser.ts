import { chromium, type Browser } from 'playwright-core'
import type { Tap } from './tap.js'

/** Debian's Chromium (installed by .ci/run); playwright's own browser download cannot work offline. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Launches headless Chromium (playwright gives it a fresh temporary profile) with the flags that keep it off the
 * network: this machine and CI are offline, and without them Chromium keeps trying Google's hosts. Closed after the test.
 */
export async function launchBrowser (t: Tap): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync']
  })
  t.teardown(() => browser.close())
  return browser
}
