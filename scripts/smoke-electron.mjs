// `npm run smoke:electron`: the real desktop app in the real Electron (under Xvfb when there is no
// display): the window opens, the tray is shown, a CSV "opened with Pregón" lands in the importer, a
// demo campaign is sent to the built-in simulator, and the app quits cleanly. Where it cannot run (no
// Electron binary, no display and no xvfb-run) it prints one line saying why and exits 0.
// Its data folder is a temporary one: the owner's own campaigns are never touched.
import { spawnSync } from 'node:child_process'
import console from 'node:console'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { electronBinary } from './electron-binary.mjs'

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const csv = join(projectDir, 'tests', 'e2e', 'fixtures', 'contacts-150.csv')
const DEADLINE_MS = 120_000

function skip(reason) {
  console.log(`smoke:electron skipped: ${reason}`)
  process.exit(0)
}

function fail(message) {
  console.error(`smoke:electron FAILED: ${message}`)
  process.exit(1)
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0

const binary = electronBinary()
if (!binary) skip('the Electron binary is not installed (npm install downloads it from GitHub, which was not reachable)')
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (process.env.PREGON_SMOKE_UNDER_XVFB) fail('xvfb-run started no display')
  if (!hasCommand('xvfb-run')) skip('no display and no xvfb-run to make one (apt-get install xvfb)')
  const rerun = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, PREGON_SMOKE_UNDER_XVFB: '1' },
  })
  process.exit(rerun.status ?? 1)
}

const build = spawnSync('npm', ['run', 'build'], { cwd: projectDir, stdio: 'inherit', shell: process.platform === 'win32' })
if (build.status !== 0) fail('npm run build failed')

const { _electron } = await import('playwright-core')
const home = mkdtempSync(join(tmpdir(), 'pregon-smoke-'))
let waitingFor = 'the window'
let mainLog = ''
const timer = setTimeout(() => fail(`still waiting for ${waitingFor} after ${DEADLINE_MS / 1000} s\n--- main process output ---\n${mainLog}`), DEADLINE_MS)

const app = await _electron.launch({
  executablePath: binary,
  // The CSV as a launch argument: what "Open with Pregón" does on Windows and Linux.
  args: [projectDir, csv, `--user-data-dir=${join(home, 'pregon')}`],
  env: { ...process.env, XDG_CONFIG_HOME: home, PREGON_PORT: '0', ELECTRON_RENDERER_URL: '' },
})
app.process().stdout?.on('data', (chunk) => (mainLog += chunk.toString()))

try {
  const window = await app.firstWindow()
  await window.waitForLoadState('domcontentloaded')
  const title = await window.title()
  if (title !== 'Pregón') fail(`the window is titled "${title}"`)
  console.log('✓ the window opened')

  const windowState = await app.evaluate(({ BrowserWindow }) => {
    const [win] = BrowserWindow.getAllWindows()
    const prefs = win.webContents.getLastWebPreferences()
    return { count: BrowserWindow.getAllWindows().length, sandbox: prefs.sandbox, contextIsolation: prefs.contextIsolation }
  })
  if (windowState.count !== 1 || !windowState.sandbox || !windowState.contextIsolation) fail(`unexpected window: ${JSON.stringify(windowState)}`)

  await until(() => mainLog.includes('tray icon shown'), 'the tray icon')
  console.log('✓ the tray icon is shown')

  await window.getByTestId('import-summary').waitFor({ timeout: 30_000 })
  console.log('✓ the CSV given at launch opened in the importer')

  const campaignId = await window.evaluate(async (path) => {
    const must = async (promise) => {
      const result = await promise
      if (!result.ok) throw new Error(result.error.message)
      return result.value
    }
    await must(window.api.invoke('accounts.addDemo', {}))
    const imported = await must(window.api.invoke('contacts.import', { fileName: 'contacts-150.csv', path }))
    const created = await must(
      window.api.invoke('campaigns.create', {
        importId: imported.importId,
        template: { name: 'hello_world', language: { code: 'en_US' } },
        campaignName: 'smoke:electron',
        pacing: { kind: 'standard' },
      }),
    )
    return created.campaignId
  }, csv)
  await until(async () => {
    const status = await window.evaluate(async (id) => (await window.api.invoke('campaigns.get', { id })).value?.status, campaignId)
    return status === 'completed'
  }, 'the demo campaign to complete')
  console.log('✓ a demo campaign was sent to the built-in simulator')

  await app.close()
  clearTimeout(timer)
  console.log('smoke:electron passed')
} catch (error) {
  await app.close().catch(() => undefined)
  fail(`${error instanceof Error ? error.message : String(error)}\n--- main process output ---\n${mainLog}`)
}

/** Polls until `check` holds; the overall deadline above names what never happened. */
async function until(check, what) {
  waitingFor = what
  while (!(await check())) await sleep(250)
}
