// What every browser test needs: a real `pregon serve --demo` child process (simulator behind it),
// Debian's Chromium driven by playwright-core, and a page that records console errors.

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

export const ROOT = path.resolve(__dirname, '../..')
export const SHOTS = path.join(__dirname, 'screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface DemoServe {
  /** `http://127.0.0.1:PORT/#key=…`: signs the browser in. */
  demoUrl: string
  origin: string
  key: string
  dataDir: string
  stop(): Promise<void>
}

/** Starts `pregon serve --demo` on a free port and resolves with the demo URL it prints. */
export async function startDemoServe(prefix: string): Promise<DemoServe> {
  for (const built of ['out/cli/index.js', 'out/renderer/index.html']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the e2e tests.`)
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix))
  const serve = spawn(process.execPath, ['bin/pregon.js', 'serve', '--demo', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, PREGON_API_KEYS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const demoUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pregon serve did not print the demo URL in 30 s:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = /Open the demo in a browser: (\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    serve.stdout?.on('data', onData)
    serve.stderr?.on('data', onData)
    serve.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`pregon serve exited with ${code}:\n${output}`))
    })
  })
  const url = new URL(demoUrl)
  return {
    demoUrl,
    origin: url.origin,
    key: decodeURIComponent(url.hash.replace('#key=', '')),
    dataDir,
    async stop() {
      if (serve.exitCode === null) {
        const exited = new Promise((resolve) => serve.once('exit', resolve))
        serve.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Chromium with the flags this closed network needs, and a page that collects console errors. */
export async function openBrowser(options: BrowserContextOptions = {}): Promise<{ browser: Browser; page: Page; consoleErrors: string[] }> {
  mkdirSync(SHOTS, { recursive: true })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...options })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  return { browser, page, consoleErrors }
}
