// The shell started from a packaged layout: resources/app holds exactly the files electron-builder's
// own matchers pick from this project, and better-sqlite3's binding sits in app.asar.unpacked, where
// asarUnpack puts it. (Node cannot read an asar archive, so the app folder stands for app.asar; Electron
// accepts resources/app the same way.) Needs `npm run build`.

import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_BINDING_IN_APP } from '../../src/main/shell/packaged'
import { FIRST_CHECK_DELAY_MS } from '../../src/main/shell/updates'
import { appFileFilter, listFiles, loadConfig } from '../unit/packaging/electronBuilder'
import { Shell, projectDir } from './shell/shellHarness'

interface Packaged {
  resources: string
  appDir: string
  unpackedBinding: string
}

/** resources/app from electron-builder's own file selection, the binding unpacked, and app-update.yml. */
async function stagePackagedApp(feedUrl: string): Promise<Packaged> {
  const resources = mkdtempSync(join(tmpdir(), 'pregon-packaged-'))
  const appDir = join(resources, 'app')
  const included = appFileFilter(await loadConfig())
  for (const file of ['package.json', ...listFiles('out'), ...listFiles('resources')].filter(included)) {
    mkdirSync(dirname(join(appDir, file)), { recursive: true })
    copyFileSync(join(projectDir, file), join(appDir, file))
  }
  // Production node_modules are electron-builder's business; the app's own files are what is tested.
  symlinkSync(join(projectDir, 'node_modules'), join(appDir, 'node_modules'), 'dir')
  const unpackedBinding = join(resources, 'app.asar.unpacked', ...SQLITE_BINDING_IN_APP)
  mkdirSync(dirname(unpackedBinding), { recursive: true })
  copyFileSync(join(projectDir, ...SQLITE_BINDING_IN_APP), unpackedBinding)
  // What electron-builder writes when the build is given an update feed.
  writeFileSync(join(resources, 'app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: pregon-updater\n`)
  return { resources, appDir, unpackedBinding }
}

beforeAll(() => {
  if (!existsSync(join(projectDir, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before these tests')
})

describe('the packaged app', () => {
  let packaged: Packaged
  let shell: Shell
  beforeAll(async () => {
    packaged = await stagePackagedApp('http://127.0.0.1:9/pregon') // nothing listens: this build never gets to check
    shell = new Shell({ bundle: join(packaged.appDir, 'out/main/index.js'), appPath: packaged.appDir, resourcesPath: packaged.resources, packaged: true })
    await shell.ready()
  })
  afterAll(() => shell?.kill())

  it('finds its preload and renderer inside the packed files', () => {
    const options = shell.named('new BrowserWindow')[0].args[0] as { webPreferences: { preload: string } }
    expect(options.webPreferences.preload).toBe(join(packaged.appDir, 'out/preload/index.js'))
    expect(existsSync(options.webPreferences.preload)).toBe(true)
    const page = shell.named('window.loadFile')[0].args[0] as string
    expect(page).toBe(join(packaged.appDir, 'out/renderer/index.html'))
    expect(existsSync(page)).toBe(true)
  })

  it('finds its tray icons inside the packed files', () => {
    const icon = (shell.named('new Tray')[0].args[0] as { path: string }).path
    expect(icon).toBe(join(packaged.appDir, 'resources/tray/idle.png'))
    expect(existsSync(icon)).toBe(true)
  })

  it('opens its database and answers the window', async () => {
    expect(await shell.invoke('app.info')).toMatchObject({ ok: true, value: { mode: 'desktop' } })
    expect((await shell.invoke('accounts.addDemo')).ok).toBe(true)
  })

  it('looks for updates by default when built with a feed, and stops when the owner turns the setting off', async () => {
    expect(await shell.invoke('settings.get')).toMatchObject({ ok: true, value: { autoUpdate: true } })
    expect(await shell.invoke('settings.set', { autoUpdate: false })).toMatchObject({ ok: true, value: { autoUpdate: false } })
  })

  it('quits and leaves in its log why updates stopped, having loaded SQLite from app.asar.unpacked', async () => {
    await shell.command('quit')
    expect(await shell.exited).toBe(0)
    expect(shell.nativeModules.filter((file) => file.endsWith('better_sqlite3.node'))).toEqual([packaged.unpackedBinding])
    const updateLines = shell.logLines().filter((line) => line.msg === 'not checking for updates')
    expect(updateLines.map((line) => line.reason)).toEqual(['turned_off'])
  })
})

/** A packaged Pregón 0.1.0 run from an AppImage, its update feed offering 0.2.0 on loopback. */
async function updatingShell(): Promise<{ shell: Shell; appImage: string; requests: string[]; newer: Buffer; close(): void }> {
  const newer = Buffer.from('#!/bin/sh\necho "Pregón 0.2.0"\n')
  const sha512 = createHash('sha512').update(newer).digest('base64')
  const latest = [
    'version: 0.2.0',
    'files:',
    '  - url: Pregon-0.2.0-linux-x86_64.AppImage',
    `    sha512: ${sha512}`,
    `    size: ${newer.length}`,
    'path: Pregon-0.2.0-linux-x86_64.AppImage',
    `sha512: ${sha512}`,
    "releaseDate: '2026-12-01T00:00:00.000Z'",
    '',
  ].join('\n')
  const requests: string[] = []
  const feed = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url?.startsWith('/pregon/latest-linux.yml')) return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(latest)
    if (req.url === '/pregon/Pregon-0.2.0-linux-x86_64.AppImage') return void res.writeHead(200, { 'content-length': newer.length }).end(newer)
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve))
  const packaged = await stagePackagedApp(`http://127.0.0.1:${(feed.address() as AddressInfo).port}/pregon`)
  // The AppImage this "installed" Pregón runs from (no version in its name: replaced in place at quit).
  const appImage = join(packaged.resources, 'Pregon.AppImage')
  writeFileSync(appImage, '#!/bin/sh\necho "Pregón 0.1.0"\n')
  const shell = new Shell({
    bundle: join(packaged.appDir, 'out/main/index.js'),
    appPath: packaged.appDir,
    resourcesPath: packaged.resources,
    packaged: true,
    soonMs: FIRST_CHECK_DELAY_MS,
    env: { APPIMAGE: appImage, XDG_CACHE_HOME: join(packaged.resources, 'cache') },
  })
  await shell.ready()
  return { shell, appImage, requests, newer, close: () => (shell.kill(), feed.close()) }
}

/** electron-updater verifies the download (sha512), logs this, and only then adds its quit handler. */
const downloaded = (shell: Shell) => shell.logLines().some((line) => String(line.msg).startsWith('New version 0.2.0 has been downloaded'))

// The AppImage updater is Linux's (Windows and macOS have their own installers), so these run on Linux.
describe.runIf(process.platform === 'linux')('an update through electron-updater, from a feed on loopback', () => {
  let run: Awaited<ReturnType<typeof updatingShell>> | null = null
  afterEach(() => run?.close())

  it('is found at the first check, downloaded in the background, and installed at a quit that leaves nothing sending', async () => {
    run = await updatingShell()
    const { shell, appImage, requests, newer } = run
    await until(() => downloaded(shell))
    expect(requests.some((url) => url.startsWith('/pregon/latest-linux.yml'))).toBe(true)
    expect(requests).toContain('/pregon/Pregon-0.2.0-linux-x86_64.AppImage')
    expect(readFileSync(appImage).equals(newer)).toBe(false)
    await shell.command('quit')
    expect(await shell.exited, shell.log).toBe(0)
    expect(readFileSync(appImage).equals(newer)).toBe(true)
  })

  it('is not installed when the computer shuts down (campaigns are left to resume at the next start)', async () => {
    run = await updatingShell()
    const { shell, appImage, newer } = run
    await until(() => downloaded(shell))
    await shell.emit('shutdown')
    expect(await shell.exited, shell.log).toBe(0)
    expect(readFileSync(appImage).equals(newer)).toBe(false)
  })
})

/** Waits without a clock of its own: the test's timeout bounds it. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50))
}
