// The shell started from a packaged layout: resources/app holds exactly the files electron-builder's
// own matchers pick from this project, and better-sqlite3's binding sits in app.asar.unpacked, where
// asarUnpack puts it. (Node cannot read an asar archive, so the app folder stands for app.asar; Electron
// accepts resources/app the same way.) Needs `npm run build`.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_BINDING_IN_APP } from '../../src/main/shell/packaged'
import { appFileFilter, listFiles, loadConfig } from '../unit/packaging/electronBuilder'
import { Shell, projectDir } from './shell/shellHarness'

let resources: string
let appDir: string
let unpackedBinding: string
let shell: Shell

beforeAll(async () => {
  if (!existsSync(join(projectDir, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before these tests')
  resources = mkdtempSync(join(tmpdir(), 'pregon-packaged-'))
  appDir = join(resources, 'app')
  const included = appFileFilter(await loadConfig())
  const candidates = ['package.json', ...listFiles('out'), ...listFiles('resources')]
  for (const file of candidates.filter(included)) {
    mkdirSync(dirname(join(appDir, file)), { recursive: true })
    copyFileSync(join(projectDir, file), join(appDir, file))
  }
  // Production node_modules are electron-builder's business; the app's own files are what is tested.
  symlinkSync(join(projectDir, 'node_modules'), join(appDir, 'node_modules'), 'dir')
  unpackedBinding = join(resources, 'app.asar.unpacked', ...SQLITE_BINDING_IN_APP)
  mkdirSync(dirname(unpackedBinding), { recursive: true })
  copyFileSync(join(projectDir, ...SQLITE_BINDING_IN_APP), unpackedBinding)
  // Built with an update feed (electron-builder writes this file when given one); nothing listens there.
  writeFileSync(join(resources, 'app-update.yml'), 'provider: generic\nurl: http://127.0.0.1:9/pregon\nupdaterCacheDirName: pregon-updater\n')

  shell = new Shell({ bundle: join(appDir, 'out/main/index.js'), appPath: appDir, resourcesPath: resources, packaged: true })
  await shell.ready()
})
afterAll(() => shell?.kill())

describe('the packaged app', () => {
  it('finds its preload and renderer inside the packed files', () => {
    const options = shell.named('new BrowserWindow')[0].args[0] as { webPreferences: { preload: string } }
    expect(options.webPreferences.preload).toBe(join(appDir, 'out/preload/index.js'))
    expect(existsSync(options.webPreferences.preload)).toBe(true)
    const page = shell.named('window.loadFile')[0].args[0] as string
    expect(page).toBe(join(appDir, 'out/renderer/index.html'))
    expect(existsSync(page)).toBe(true)
  })

  it('finds its tray icons inside the packed files', () => {
    const icon = (shell.named('new Tray')[0].args[0] as { path: string }).path
    expect(icon).toBe(join(appDir, 'resources/tray/idle.png'))
    expect(existsSync(icon)).toBe(true)
  })

  it('opens its database with the SQLite binding from app.asar.unpacked, not a copy inside the archive', async () => {
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
    expect(shell.nativeModules.filter((file) => file.endsWith('better_sqlite3.node'))).toEqual([unpackedBinding])
    const updateLines = shell.logLines().filter((line) => line.msg === 'not checking for updates')
    expect(updateLines.map((line) => line.reason)).toEqual(['turned_off'])
  })
})
