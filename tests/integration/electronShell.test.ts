// The Electron shell itself (the built out/main/index.js, not its helpers), started in Node with a
// fake `electron` that records every call: window options, CSP, tray, single-instance lock,
// power-save blocker, "Open with Pregón" and the quit sequence — against the real core, a real
// SQLite file and the built-in simulator. Needs `npm run build`.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Shell, projectDir, type Call } from './shell/shellHarness'

const shells: Shell[] = []
function start(opts: ConstructorParameters<typeof Shell>[0] = {}): Shell {
  const shell = new Shell(opts)
  shells.push(shell)
  return shell
}

beforeAll(() => {
  if (!existsSync(join(projectDir, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before these tests')
})
afterEach(() => {
  for (const shell of shells.splice(0)) shell.kill()
})

const names = (calls: Call[]) => calls.map((c) => c.name)
const menuLabels = (call: Call) => (call.args[0] as { label?: string }[]).flatMap((item) => (item.label ? [item.label] : []))

describe('the Electron shell, started from its built bundle', () => {
  // One start for the read-only checks: each start is a whole app (core, SQLite, simulator).
  let shell: Shell
  beforeAll(async () => {
    shell = new Shell()
    await shell.ready()
  })
  afterAll(() => shell.kill())

  it('takes the single-instance lock first, then opens one locked-down window with the preload and the renderer', async () => {
    expect(names(shell.calls).slice(0, 2)).toEqual(['app.requestSingleInstanceLock', 'app.whenReady'])
    const [window] = shell.named('new BrowserWindow')
    const options = window.args[0] as { show: boolean; title: string; webPreferences: Record<string, unknown> }
    expect(shell.named('new BrowserWindow')).toHaveLength(1)
    expect(options).toMatchObject({ show: false, title: 'Pregón' })
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(options.webPreferences.preload).toBe(join(projectDir, 'out/preload/index.js'))
    expect(shell.named('window.loadFile')[0].args[0]).toBe(join(projectDir, 'out/renderer/index.html'))
    await shell.waitFor('window.show')
  })

  it('puts a strict Content-Security-Policy on every response and refuses every permission request', async () => {
    const headers = await shell.command<{ responseHeaders: Record<string, string[]> }>('headers', { headers: { 'Content-Type': ['text/html'] } })
    const csp = headers.responseHeaders['Content-Security-Policy'].join(';')
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(await shell.command('permission', { permission: 'media' })).toBe(false)
  })

  it('shows the tray in the system language with its menu, from the icons in resources/tray', async () => {
    const icon = (shell.named('new Tray')[0].args[0] as { path: string }).path
    expect(icon).toBe(join(projectDir, 'resources/tray/idle.png'))
    expect(existsSync(icon)).toBe(true)
    const menu = await shell.waitFor('tray.setContextMenu')
    expect(menuLabels(menu)).toEqual(['Sin envíos en curso', 'Abrir Pregón', 'Pausar todo', 'Reanudar todo', 'Salir'])
  })

  it('answers the contract over IPC from its own window, as the desktop app', async () => {
    const info = await shell.invoke<{ mode: string; version: string }>('app.info')
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop', version: '0.1.0' } })
  })

  it('as a second launch gets no lock and quits at once: no window, no database, no tray', async () => {
    const shell = start({ lockTaken: true })
    expect(await shell.exited).toBe(0)
    expect(names(shell.calls)).toEqual(['app.requestSingleInstanceLock', 'app.quit'])
  })

  it('quits cleanly when nothing sends: webhooks, core and simulator closed, tray removed, no question asked', async () => {
    const shell = start()
    await shell.ready()
    await shell.command('quit')
    expect(await shell.exited).toBe(0)
    const quitCalls = names(shell.calls).filter((n) => ['app.quit', 'tray.destroy', 'dialog.showMessageBox'].includes(n))
    expect(quitCalls).toEqual(['app.quit', 'tray.destroy', 'app.quit'])
    expect(shell.named('app.quit').map((c) => c.args[0])).toEqual([{ prevented: true }, { prevented: false }])
    // Run from a clone, it never looks for updates (nor loads electron-updater).
    expect(shell.log).toContain('"reason":"not_packaged","msg":"not checking for updates"')
  })
})

describe('a demo campaign through the shell', () => {
  it('keeps the laptop awake while it sends, asks before quitting, pauses it, then lets the laptop sleep', async () => {
    const shell = start()
    await shell.ready()
    expect((await shell.invoke('accounts.addDemo')).ok).toBe(true)
    const imported = await shell.invoke<{ importId: string; summary: { valid: number } }>('contacts.import', {
      fileName: 'contacts-150.csv',
      path: join(projectDir, 'tests/e2e/fixtures/contacts-150.csv'),
    })
    const valid = imported.value.summary.valid
    expect(valid).toBeGreaterThan(100)
    const created = await shell.invoke<{ campaignId: string }>('campaigns.create', {
      importId: imported.value.importId,
      template: { name: 'hello_world', language: { code: 'en_US' } },
      campaignName: 'Demo desde la bandeja',
    })
    expect(created.ok, JSON.stringify(created.error)).toBe(true)
    await shell.waitFor('powerSaveBlocker.start', (c) => c.args[0] === 'prevent-app-suspension')
    await shell.waitFor('tray.setToolTip', (c) => String(c.args[0]).includes(`/ ${valid}`))

    await shell.command('quit')
    expect(await shell.exited).toBe(0)
    const question = shell.named('dialog.showMessageBox')[0].args[0] as { message: string; buttons: string[] }
    expect(question.message).toBe('Hay 1 campaña enviando. ¿Pausarla y salir?')
    expect(question.buttons[0]).toBe('Pausar y salir')
    const order = names(shell.calls)
    expect(order.indexOf('powerSaveBlocker.stop')).toBeGreaterThan(order.indexOf('dialog.showMessageBox'))
    expect(order.lastIndexOf('tray.destroy')).toBeGreaterThan(order.indexOf('powerSaveBlocker.stop'))
  })
})

describe('“Open with Pregón”', () => {
  it('hands the file it was started with to the window once the page has asked for app.info', async () => {
    const csv = join(projectDir, 'tests/e2e/fixtures/contacts-150.csv')
    const shell = start({ argv: [csv] })
    await shell.ready()
    expect(shell.named('webContents.send').filter((c) => c.args[1] === 'app:openFile')).toEqual([])
    await shell.invoke('app.info')
    const sent = await shell.waitFor('webContents.send', (c) => c.args[1] === 'app:openFile')
    expect(sent.args).toEqual(['api:event', 'app:openFile', { path: csv, fileName: 'contacts-150.csv' }])
  })

  it('takes the file of a second launch, and macOS’s open-file event, into the running window', async () => {
    const shell = start()
    await shell.ready()
    await shell.invoke('app.info')
    await shell.emit('second-instance', ['C:\\Pregon\\Pregon.exe', 'clientes.csv'], '/home/ana')
    await shell.emit('open-file', '/Users/ana/Lista.xlsx')
    const opened = shell.named('webContents.send').filter((c) => c.args[1] === 'app:openFile').map((c) => c.args[2])
    expect(opened).toEqual([
      { path: join('/home/ana', 'clientes.csv'), fileName: 'clientes.csv' },
      { path: '/Users/ana/Lista.xlsx', fileName: 'Lista.xlsx' },
    ])
    expect(shell.named('open-file.preventDefault')).toHaveLength(1)
  })
})
