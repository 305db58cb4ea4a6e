import { existsSync, readdirSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import type { Tap } from './tap.js'

/** The browser the tests drive, and how it was found (printed when it cannot start). */
export interface FoundBrowser {
  executablePath: string
  /** e.g. `CHROMIUM_PATH`, `/usr/bin/chromium`, `playwright's cache`, `@sparticuz/chromium (npm)`. */
  how: string
  /** Flags this browser needs besides the common ones. */
  args: string[]
  /** Variables the browser process needs (the npm browser's own libraries). */
  env?: Record<string, string>
}

/** Installed browsers, in the order they are tried: Debian, Ubuntu, Google Chrome, then the macOS apps. */
export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium'
]

/** Browsers `npx playwright install chromium` left: this playwright-core's own revision first, then any other. */
function playwrightCache (): string[] {
  const found = [chromium.executablePath()]
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), process.platform === 'darwin' ? 'Library/Caches/ms-playwright' : '.cache/ms-playwright')
  let revisions: string[] = []
  try {
    revisions = readdirSync(cache).filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name)).sort().reverse()
  } catch {}
  for (const revision of revisions) {
    for (const binary of ['chrome-linux64/chrome', 'chrome-linux/chrome', 'chrome-headless-shell-linux64/chrome-headless-shell']) found.push(join(cache, revision, binary))
  }
  return found
}

/**
 * @sparticuz/chromium (a dev dependency): a headless Chromium shipped inside the npm package, unpacked to the
 * temporary folder on first use (about 6 s). It brings the NSS libraries a machine without any browser lacks.
 */
async function npmBrowser (): Promise<FoundBrowser> {
  const { default: packaged, inflate } = await import('@sparticuz/chromium')
  const executablePath = await packaged.executablePath()
  // The package unpacks its libraries (NSS, NSPR, expat) only on Amazon Linux; a fresh Debian lacks them too.
  const libraries = join(tmpdir(), 'al2023', 'lib')
  if (!existsSync(libraries)) await inflate(fileURLToPath(new URL('../bin/al2023.tar.br', import.meta.resolve('@sparticuz/chromium'))))
  const env: Record<string, string> = { LD_LIBRARY_PATH: [libraries, process.env.LD_LIBRARY_PATH].filter((p) => p !== undefined && p !== '').join(':') }
  // Without fontconfig (a bare container): the fonts the package unpacked.
  if (!existsSync('/etc/fonts/fonts.conf')) env.FONTCONFIG_PATH = join(tmpdir(), 'fonts')
  // Its flags for a serverless function, less those that would make the browser more lenient than the developer's.
  const args = packaged.args.filter((arg) => !LENIENT.has(arg))
  return { executablePath, how: '@sparticuz/chromium (npm)', args, env }
}

/** @sparticuz/chromium's flags that switch off browser security the tests rely on (same-origin, mixed content). */
const LENIENT = new Set(['--disable-web-security', '--allow-running-insecure-content'])

/**
 * Finds a browser for the browser tests: CHROMIUM_PATH, an installed Chromium or Chrome, playwright's cache, and
 * where none is, the one in @sparticuz/chromium. `BROWSER_DISCOVERY_SKIP_SYSTEM=1` (or `skipSystem`) goes straight
 * to the npm one, as on a machine with no browser.
 */
export async function findBrowser (options: { env?: NodeJS.ProcessEnv, skipSystem?: boolean } = {}): Promise<FoundBrowser> {
  const env = options.env ?? process.env
  const skipSystem = options.skipSystem ?? env.BROWSER_DISCOVERY_SKIP_SYSTEM === '1'
  if (!skipSystem) {
    const chosen = env.CHROMIUM_PATH
    if (chosen !== undefined && chosen !== '') {
      if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH=${chosen} does not exist: point it at a Chromium or Chrome, or unset it to let the tests find one`)
      return { executablePath: chosen, how: 'CHROMIUM_PATH', args: [] }
    }
    for (const path of SYSTEM_BROWSERS) if (existsSync(path)) return { executablePath: path, how: path, args: [] }
    for (const path of playwrightCache()) if (existsSync(path)) return { executablePath: path, how: 'playwright\'s cache', args: [] }
  }
  return await npmBrowser()
}

/** Flags that keep Chromium off the network: this machine and CI are offline, and it keeps trying Google's hosts. */
const OFFLINE = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync']

/** Launches the browser {@link findBrowser} finds, headless (playwright gives it a fresh profile); closed after the test. */
export async function launchBrowser (t: Tap, found?: FoundBrowser): Promise<Browser> {
  const browser = found ?? await findBrowser()
  let launched: Browser
  try {
    launched = await chromium.launch({
      executablePath: browser.executablePath,
      headless: true,
      args: [...new Set([...OFFLINE, ...browser.args])],
      ...(browser.env === undefined ? {} : { env: { ...process.env, ...browser.env } })
    })
  } catch (err) {
    throw new Error(`the browser tests could not start ${browser.executablePath} (found by ${browser.how}): ${(err as Error).message.split('\n')[0]}; set CHROMIUM_PATH to a working Chromium or Chrome`)
  }
  t.teardown(() => launched.close())
  return launched
}
